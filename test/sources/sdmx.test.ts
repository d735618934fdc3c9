// The SDMX 2.1 plug-in against real recorded answers (test/fixtures/recorded/sdmx): ECB GenericData,
// ISTAT and IMF StructureSpecificData, and the SDMX-JSON 1.0 sample message.
import { describe, expect, it } from 'vitest';
import { recorded } from '../replay-server.js';
import { sdmx, type SdmxRef } from '../../src/sources/sdmx.js';
import { judged, only } from './parsed.js';
import { SourceError } from '../../src/sources/errors.js';
import type { SourceAnswer, SourceContext } from '../../src/sources/types.js';
import type { Frequency } from '../../src/core/index.js';

const ECB = recorded('sdmx/ecb-EXR-M.USD.EUR.SP00.A-genericdata.xml').toString('utf8');
const ISTAT = recorded('sdmx/istat-22_289-structurespecific-obs-status-e.xml').toString('utf8');
const IMF = recorded('sdmx/imf-dataservices-PCPS-M.W00.PZINC-structurespecific.xml').toString('utf8');
const JSON_SAMPLE = recorded('sdmx/ecb-EXR-sdmx-json-1.0-sample-ts.json').toString('utf8');
const ESTAT = recorded('sdmx/estat-NAMA_10_GDP-A.CP_MEUR.B1GQ.LU-structurespecific.xml').toString('utf8');
const ESTAT_413 = recorded('sdmx/estat-nama_10_gdp-footer-413-large-query.xml').toString('utf8');

function ref(flow: string, key: string, format: SdmxRef['format'] = 'generic', extra: object = {}): SdmxRef {
  return sdmx.ref.parse({ base_url: 'https://data-api.ecb.europa.eu/service', flow, key, format, ...extra });
}
function ctx(frequency: Frequency, from: string | null = null): SourceContext {
  return { baseUrl: 'http://127.0.0.1:9/sdmx', frequency, from, apiKey: null, now: 0 };
}
function answer(text: string): SourceAnswer {
  return { url: 'http://127.0.0.1:9/sdmx/data', status: 200, headers: {}, body: Buffer.from(text), text, receivedAt: 0, elapsedMs: 1 };
}
/** The SourceError a parse throws (fails the test when it does not throw one). */
/** The one series the answer holds under the ref's key. */
const series = (text: string, r: SdmxRef, c: SourceContext) => only(sdmx.parse(answer(text), r, c));

function failure(text: string, r: SdmxRef, c: SourceContext): SourceError {
  try {
    sdmx.parse(answer(text), r, c);
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('parse did not throw');
}

const EXR = ref('EXR', 'M.USD.EUR.SP00.A');
const POPRES = (key: string) => ref('22_289', key, 'structure_specific');
const JSON_REF = (key: string) => ref('EXR', key, 'json');

describe('sdmx ref and request', () => {
  it('builds the data URL from the base URL the runner passes, never from the ref', () => {
    const req = sdmx.request(EXR, ctx('monthly'));
    expect(req.url).toBe('http://127.0.0.1:9/sdmx/data/EXR/M.USD.EUR.SP00.A');
    expect(req.headers).toEqual({ accept: 'application/vnd.sdmx.genericdata+xml;version=2.1' });
    expect(sdmx.defaultBaseUrl).toBeNull();
  });

  it('asks for the window from startPeriod and names agency and version in the flowRef', () => {
    const r = ref('EXR', 'M.USD.EUR.SP00.A', 'structure_specific', { agency: 'ECB', version: '1.0' });
    const req = sdmx.request(r, { ...ctx('monthly', '2019-01'), baseUrl: 'https://x.example/service/' });
    expect(req.url).toBe('https://x.example/service/data/ECB,EXR,1.0/M.USD.EUR.SP00.A?startPeriod=2019-01');
    expect(req.headers).toEqual({ accept: 'application/vnd.sdmx.structurespecificdata+xml;version=2.1' });
    expect(sdmx.request(JSON_REF('D..EUR.SP00.A'), ctx('daily')).headers).toEqual({ accept: 'application/vnd.sdmx.data+json;version=1.0.0' });
  });

  it('adds the headers a service requires beside the Accept of its format, which the ref cannot change', () => {
    const r = ref('EXR', 'M.USD.EUR.SP00.A', 'generic', { headers: { 'Accept-Language': 'en', Accept: 'text/csv' } });
    expect(sdmx.request(r, ctx('monthly')).headers).toEqual({ 'accept-language': 'en', accept: 'application/vnd.sdmx.genericdata+xml;version=2.1' });
  });

  it('rejects a ref without a format, with an unknown key, or with a version but no agency', () => {
    const base = { base_url: 'https://data-api.ecb.europa.eu/service', flow: 'EXR', key: 'M.USD.EUR.SP00.A' };
    expect(sdmx.ref.safeParse(base).success).toBe(false);
    expect(sdmx.ref.safeParse({ ...base, format: 'generic', series_id: 'x' }).success).toBe(false);
    expect(sdmx.ref.safeParse({ ...base, format: 'generic', version: '1.0' }).success).toBe(false);
    expect(sdmx.ref.safeParse({ ...base, format: 'generic', key: 'M/USD' }).success).toBe(false);
  });
});

describe('sdmx GenericData (ECB EXR)', () => {
  it('reads all 252 monthly observations with their OBS_STATUS and the series unit', () => {
    const page = series(ECB, EXR, ctx('monthly'));
    expect(page.key).toBe('M.USD.EUR.SP00.A');
    expect(page.observations).toHaveLength(252);
    expect(page.observations[0]).toEqual({ period: '1999-01', value: 1.16078, valueText: '1.16078', obsStatus: 'A' });
    expect(page.observations[2]).toEqual({ period: '1999-03', value: 1.088295652173913, valueText: '1.088295652173913', obsStatus: 'A' });
    expect(page.observations.at(-1)).toEqual({ period: '2019-12', value: 1.111345, valueText: '1.111345', obsStatus: 'A' });
    expect(page.observations.every((o) => o.obsStatus === 'A')).toBe(true);
    expect(page).toMatchObject({ covers: 'all', unit: 'USD' });
  });

  it('covers the asked window up to the last period it holds', () => {
    expect(series(ECB, EXR, ctx('monthly', '2019-01')).covers).toEqual({ from: '2019-01', to: '2019-12' });
  });

  it('names the period that does not fit the series frequency', () => {
    const e = failure(ECB, EXR, ctx('quarterly'));
    expect(e.code).toBe('shape');
    expect(e.message).toContain('"1999-01" is not a quarterly period');
  });

  it('reads NaN, empty and absent ObsValue as gaps that keep their OBS_STATUS, never as zero', () => {
    // Edited copy of the ECB answer: the fixture has no missing observation.
    const text = ECB
      .replace('<generic:ObsValue value="1.111345"/>\n<generic:Attributes>\n<generic:Value id="OBS_STATUS" value="A"/>', '<generic:ObsValue value="NaN"/>\n<generic:Attributes>\n<generic:Value id="OBS_STATUS" value="M"/>')
      .replace('<generic:ObsValue value="1.105095238095238"/>', '<generic:ObsValue value=""/>')
      .replace('<generic:ObsValue value="1.105256521739131"/>', '');
    const obs = series(text, EXR, ctx('monthly')).observations;
    expect(obs).toHaveLength(252);
    expect(obs.slice(-3)).toEqual([
      { period: '2019-10', value: null, valueText: '', obsStatus: 'A' },
      { period: '2019-11', value: null, valueText: '', obsStatus: 'A' },
      { period: '2019-12', value: null, valueText: '', obsStatus: 'M' },
    ]);
  });

  it('rejects a value that is not a number, naming it', () => {
    const e = failure(ECB.replace('value="1.111345"', 'value="1,111"'), EXR, ctx('monthly'));
    expect(e.code).toBe('shape');
    expect(e.message).toContain('"1,111" for 2019-12');
  });

  it('rejects a period listed twice', () => {
    const e = failure(ECB.replace('<generic:ObsDimension value="2019-12"/>', '<generic:ObsDimension value="2019-11"/>'), EXR, ctx('monthly'));
    expect(e.code).toBe('shape');
    expect(e.message).toContain('2019-11 appears twice');
  });
});

describe('sdmx StructureSpecificData (ISTAT, IMF)', () => {
  it("selects the series the key names and keeps ISTAT's lower-case 'e' on the 2022 observation", () => {
    const page = series(ISTAT, POPRES('A.IT.JAN.1.TOTAL.99'), ctx('annual'));
    expect(page.observations).toEqual([
      { period: '2019', value: 29131195, valueText: '29131195', obsStatus: null },
      { period: '2020', value: 29050096, valueText: '29050096', obsStatus: null },
      { period: '2021', value: 28866226, valueText: '28866226', obsStatus: null },
      { period: '2022', value: 28747417, valueText: '28747417', obsStatus: 'e' },
    ]);
    expect(page).toMatchObject({ covers: 'all', unit: null });
    const women = series(ISTAT, POPRES('A.IT.JAN.2.TOTAL.99'), ctx('annual', '2021'));
    expect(women.observations.at(-1)).toEqual({ period: '2022', value: 30235705, valueText: '30235705', obsStatus: 'e' });
    expect(women.covers).toEqual({ from: '2021', to: '2022' });
  });

  it('gives every series the key matches under the key, so that the runner refuses to guess between two', () => {
    const r = POPRES('A.IT.JAN..TOTAL.99');
    const page = sdmx.parse(answer(ISTAT), r, ctx('annual'));
    expect(page.series.map((s) => s.key)).toEqual([r.key, r.key]);
    expect(judged(sdmx, r, page)).toEqual({
      ok: false, code: 'config', message: 'the answer holds 2 series under A.IT.JAN..TOTAL.99, not one: the source\'s key must name a single series',
    });
  });

  it('names the series of an answer that do not match the key, which the runner refuses as absent', () => {
    const r = POPRES('A.FR.JAN.1.TOTAL.99');
    const page = sdmx.parse(answer(ISTAT), r, ctx('annual'));
    expect(page.series).toEqual([]);
    expect(judged(sdmx, r, page)).toMatchObject({ ok: false, code: 'absent', message: expect.stringMatching(/^the answer does not hold A\.FR\.JAN\.1\.TOTAL\.99: it holds A\.IT\.JAN\.1\.TOTAL\.99\S*, A\.IT\.JAN\.2\.TOTAL\.99/) });
  });

  it("reads IMF's StructureSpecificTimeSeriesData single observation and its unit", () => {
    const page = series(IMF, ref('PCPS', 'M.W00.PZINC', 'structure_specific'), ctx('monthly'));
    expect(page.observations).toEqual([{ period: '2021-01', value: 2705.345, valueText: '2705.345', obsStatus: null }]);
    expect(page).toEqual({ key: 'M.W00.PZINC', observations: page.observations, covers: 'all', unit: 'USD' });
  });

  it('reads SDMX reporting periods (2021-M01, 2021-Q1, 2021-A1), as the IMF\'s new service writes them (an edited copy of the IMF answer)', () => {
    const at = (period: string, f: Frequency) => series(IMF.replace('TIME_PERIOD="2021-01"', `TIME_PERIOD="${period}"`), ref('PCPS', 'M.W00.PZINC', 'structure_specific'), ctx(f)).observations[0]!.period;
    expect([at('2021-M01', 'monthly'), at('2021-Q1', 'quarterly'), at('2021-A1', 'annual')]).toEqual(['2021-01', '2021-Q1', '2021']);
    expect(failure(IMF.replace('TIME_PERIOD="2021-01"', 'TIME_PERIOD="2021-M13"'), ref('PCPS', 'M.W00.PZINC', 'structure_specific'), ctx('monthly')).message).toMatch(/period "2021-M13" is not a monthly period/);
  });

  it('builds the IMF\'s api.imf.org SDMX 2.1 data URL from agency, flow and version', () => {
    const r = sdmx.ref.parse({ base_url: 'https://api.imf.org/external/sdmx/2.1', agency: 'IMF.STA', flow: 'CPI', version: '5.0.0', key: 'USA.CPI._T.IX.M', format: 'structure_specific' });
    expect(sdmx.request(r, { ...ctx('monthly', '2025-01'), baseUrl: 'https://api.imf.org/external/sdmx/2.1' }).url)
      .toBe('https://api.imf.org/external/sdmx/2.1/data/IMF.STA,CPI,5.0.0/USA.CPI._T.IX.M?startPeriod=2025-01');
  });

  it('reads an empty OBS_VALUE as a gap, and a series without any value is judged valueless', () => {
    // Edited copy of the IMF answer: the fixture has no missing observation.
    const text = IMF.replace('OBS_VALUE="2705.345"', 'OBS_VALUE="" OBS_STATUS="O"');
    const r = ref('PCPS', 'M.W00.PZINC', 'structure_specific');
    const page = sdmx.parse(answer(text), r, ctx('monthly'));
    expect(only(page).observations).toEqual([{ period: '2021-01', value: null, valueText: '', obsStatus: 'O' }]);
    expect(judged(sdmx, r, page)).toMatchObject({ ok: true, valueless: true });
  });
});

describe('sdmx StructureSpecificData (Eurostat)', () => {
  // Eurostat writes a series' dimensions in its own order (geo, na_item, unit, freq), not the key's
  // (freq.unit.na_item.geo): the ref names the key's dimensions so that each is read by its name.
  const GDP = (extra: object = {}) => ref('NAMA_10_GDP', 'A.CP_MEUR.B1GQ.LU', 'structure_specific', extra);

  it('reads Luxembourg\'s GDP 2012-2015 when the ref names the key\'s dimensions, whatever order Eurostat writes them in', () => {
    const s = series(ESTAT, GDP({ dimensions: ['freq', 'unit', 'na_item', 'geo'] }), ctx('annual'));
    expect(s.key).toBe('A.CP_MEUR.B1GQ.LU');
    expect(s.observations.map((o) => [o.period, o.valueText])).toEqual([['2012', '46526.2'], ['2013', '49094.5'], ['2014', '51791.3'], ['2015', '54142.3']]);
    expect(s.covers).toBe('all');
  });

  it('names the dimensions in capitals or not (Eurostat writes them in lower case)', () => {
    expect(series(ESTAT, GDP({ dimensions: ['FREQ', 'UNIT', 'NA_ITEM', 'GEO'] }), ctx('annual')).observations).toHaveLength(4);
  });

  it('without the dimensions, names the series the answer holds in Eurostat\'s order, which the runner refuses as absent', () => {
    const page = sdmx.parse(answer(ESTAT), GDP(), ctx('annual'));
    expect(page.others).toEqual(['LU.B1GQ.CP_MEUR.A']);
    expect(judged(sdmx, GDP(), page)).toMatchObject({ ok: false, code: 'absent' });
  });

  it('fails as the publisher\'s error on Eurostat\'s footer 413 (the answer written to a file for a large query)', () => {
    const err = failure(ESTAT_413, GDP({ dimensions: ['freq', 'unit', 'na_item', 'geo'] }), ctx('annual'));
    expect(err.code).toBe('publisher_error');
    expect(err.message).toMatch(/^SDMX: no data: 413: Due to the large query the response will be written to a file/);
  });

  it('refuses dimensions that do not match the key\'s length, naming both', () => {
    const r = sdmx.ref.safeParse({ base_url: 'https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1', flow: 'NAMA_10_GDP', key: 'A.CP_MEUR.B1GQ.LU', format: 'structure_specific', dimensions: ['freq', 'geo'] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/2 dimensions for a key of 4 parts/);
  });
});

describe('sdmx SDMX-JSON 1.0 (ECB sample)', () => {
  it('selects the NZD series by its full key, dataset-level dimensions included', () => {
    const page = series(JSON_SAMPLE, JSON_REF('D.NZD.EUR.SP00.A'), ctx('daily'));
    expect(page.observations).toEqual([
      { period: '2013-01-18', value: 1.5931, valueText: '1.5931', obsStatus: 'A' },
      { period: '2013-01-21', value: 1.5925, valueText: '1.5925', obsStatus: 'A' },
    ]);
    expect(page).toMatchObject({ covers: 'all', unit: null });
  });

  it('selects the RUB series with an alternative in the key', () => {
    const page = series(JSON_SAMPLE, JSON_REF('D.RUB+USD.EUR.SP00.A'), ctx('daily', '2013-01-01'));
    // JSON numbers lose trailing zeros: the file's 40.3000 reads as 40.3.
    expect(page.observations.map((o) => [o.period, o.value, o.valueText])).toEqual([['2013-01-18', 40.3426, '40.3426'], ['2013-01-21', 40.3, '40.3']]);
    expect(page.covers).toEqual({ from: '2013-01-01', to: '2013-01-21' });
  });

  it('gives both series a key with an empty position matches, which the runner refuses as ambiguous', () => {
    const r = JSON_REF('D..EUR.SP00.A');
    expect(judged(sdmx, r, sdmx.parse(answer(JSON_SAMPLE), r, ctx('daily')))).toMatchObject({ ok: false, code: 'config', message: expect.stringContaining('2 series under D..EUR.SP00.A') });
  });

  it('reads a null value as a gap', () => {
    // Edited copy of the sample: it has no missing observation.
    const text = JSON_SAMPLE.replace('"1": [1.5925, 0]', '"1": [null, null]');
    expect(series(text, JSON_REF('D.NZD.EUR.SP00.A'), ctx('daily')).observations[1]).toEqual({ period: '2013-01-21', value: null, valueText: '', obsStatus: null });
  });

  it('names the period that does not fit the series frequency', () => {
    const e = failure(JSON_SAMPLE, JSON_REF('D.NZD.EUR.SP00.A'), ctx('monthly'));
    expect(e.code).toBe('shape');
    expect(e.message).toContain('"2013-01-18" is not a monthly period');
  });

  it('reports the errors array as a publisher error', () => {
    const e = failure('{"errors":[{"code":404,"message":"No results found."}]}', JSON_REF('D.NZD.EUR.SP00.A'), ctx('daily'));
    expect(e.code).toBe('publisher_error');
    expect(e.message).toContain('404: No results found.');
  });

  it('rejects JSON that is not a data message, and truncated JSON', () => {
    const shape = failure('{"data":{"dataSets":[]}}', JSON_REF('D.NZD.EUR.SP00.A'), ctx('daily'));
    expect([shape.code, shape.message]).toEqual(['shape', expect.stringContaining('SDMX-JSON: not a data message: structure')]);
    const cut = failure(JSON_SAMPLE.slice(0, 2000), JSON_REF('D.NZD.EUR.SP00.A'), ctx('daily'));
    expect([cut.code, cut.message]).toEqual(['malformed', expect.stringContaining('SDMX-JSON: not JSON')]);
  });
});

describe('sdmx failures', () => {
  it('reports an SDMX-ML Error message as a publisher error with its code and text', () => {
    // The SDMX 2.1 error message shape (no recorded one in the fixtures).
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<mes:Error xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
  <mes:ErrorMessage code="100"><com:Text xml:lang="en">No Results Found</com:Text></mes:ErrorMessage>
</mes:Error>`;
    const e = failure(text, EXR, ctx('monthly'));
    expect([e.code, e.message]).toEqual(['publisher_error', 'SDMX error: 100: No Results Found']);
  });

  it('gives an answer without any series as empty, which the runner refuses, never "no new data"', () => {
    // Edited copy of the ECB answer with its only series removed.
    const text = ECB.replace(/<generic:Series>[\s\S]*<\/generic:Series>/, '');
    const page = sdmx.parse(answer(text), EXR, ctx('monthly', '2020-01'));
    expect(page).toEqual({ series: [], others: [] });
    expect(judged(sdmx, EXR, page)).toMatchObject({ ok: false, code: 'empty' });
    const sample = JSON.parse(JSON_SAMPLE) as { dataSets: { series: object }[] };
    sample.dataSets[0]!.series = {};
    const r = JSON_REF('D.NZD.EUR.SP00.A');
    expect(judged(sdmx, r, sdmx.parse(answer(JSON.stringify(sample)), r, ctx('daily')))).toMatchObject({ ok: false, code: 'empty' });
  });

  it('quotes a footer message that explains an empty answer', () => {
    // Edited copy of the ISTAT answer: series removed, an SDMX footer message added.
    const text = ISTAT.replace(/<Series[\s\S]*<\/Series>/, '').replace('</message:StructureSpecificData>',
      '<footer:Footer><footer:Message code="413" severity="Error"><common:Text xml:lang="en">Too many results</common:Text></footer:Message></footer:Footer></message:StructureSpecificData>');
    const e = failure(text, POPRES('A.IT.JAN.1.TOTAL.99'), ctx('annual'));
    expect([e.code, e.message]).toEqual(['publisher_error', 'SDMX: no data: 413: Too many results']);
  });

  it('rejects an HTML error page as malformed', () => {
    const e = failure('<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><br></body></html>', EXR, ctx('monthly'));
    expect([e.code, e.message]).toEqual(['malformed', expect.stringContaining('an HTML page')]);
    const xhtml = failure('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', EXR, ctx('monthly'));
    expect(xhtml.code).toBe('malformed');
  });

  it('rejects truncated XML as malformed', () => {
    for (const cut of [ECB.slice(0, 30_000), ISTAT.slice(0, ISTAT.indexOf('</message:DataSet>'))]) {
      const e = failure(cut, EXR, ctx('monthly'));
      expect([e.code, e.message]).toEqual(['malformed', expect.stringContaining('not well-formed XML')]);
    }
  });

  it('rejects an empty body and a body that is neither XML nor JSON', () => {
    expect(failure('', EXR, ctx('monthly')).message).toBe('SDMX: empty answer');
    expect(failure('Service Unavailable', EXR, ctx('monthly')).code).toBe('malformed');
  });

  it('rejects an SDMX-ML message that is not a data message, naming its root', () => {
    const text = '<?xml version="1.0"?><message:Structure xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"/>';
    const e = failure(text, EXR, ctx('monthly'));
    expect([e.code, e.message]).toEqual(['shape', 'SDMX: not a data message: root element <Structure>']);
  });

  it('rejects observations not grouped in series', () => {
    // Edited copy of the ISTAT answer written with dimensionAtObservation=AllDimensions.
    const text = ISTAT.replace(/<Series[\s\S]*<\/Series>/, '<Obs FREQ="A" REF_AREA="IT" TIME_PERIOD="2019" OBS_VALUE="29131195"/>');
    expect(failure(text, POPRES('A.IT.JAN.1.TOTAL.99'), ctx('annual')).code).toBe('shape');
  });
});
