// The DBnomics plug-in against the real recorded answer (test/fixtures/recorded/dbnomics): the first
// page (1,000 annual series) of a CEPII CHELEM-TRADE-CHEL dataset query, DBnomics API v22.
import { describe, expect, it } from 'vitest';
import { recorded } from '../replay-server.js';
import { judged, only } from './parsed.js';
import { dbnomics, type DbnomicsRef } from '../../src/sources/dbnomics.js';
import { SourceError } from '../../src/sources/errors.js';
import type { SourceAnswer, SourceContext } from '../../src/sources/types.js';
import type { Frequency } from '../../src/core/index.js';

const PAGE = recorded('dbnomics/cepii-CHELEM-TRADE-CHEL-dataset-series-page1-prettified-crlf.json').toString('utf8');
type Doc = { '@frequency'?: string; series_code: string; period: unknown[]; value: unknown[] };
type Body = { errors: unknown; series: { docs: Doc[]; num_found: number; offset: number; limit: number }; message?: unknown };

const ref = (series: string): DbnomicsRef => dbnomics.ref.parse({ provider: 'CEPII', dataset: 'CHELEM-TRADE-CHEL', series });
const BA = ref('AES.AES.CAT.BA');
const ctx = (frequency: Frequency = 'annual'): SourceContext => ({ baseUrl: 'https://api.db.nomics.world', frequency, from: null, apiKey: null, now: 0 });
const answer = (text: string): SourceAnswer => ({ url: 'https://api.db.nomics.world/v22/series/x', status: 200, headers: {}, body: Buffer.from(text), text, receivedAt: 0, elapsedMs: 1 });

/** A series-query answer (num_found 1) made from the real page by keeping only its first series, then edited. */
function seriesAnswer(edit: (body: Body, doc: Doc) => void = () => {}): string {
  const body = JSON.parse(PAGE) as Body;
  const doc = body.series.docs[0]!;
  body.series = { docs: [doc], num_found: 1, offset: 0, limit: 1000 };
  edit(body, doc);
  return JSON.stringify(body);
}

function failure(text: string, r: DbnomicsRef = BA, c: SourceContext = ctx()): SourceError {
  try {
    dbnomics.parse(answer(text), r, c);
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('parse did not throw');
}

describe('dbnomics ref and request', () => {
  it('asks for one series with its observations under /v22/series/{provider}/{dataset}/{series}', () => {
    expect(dbnomics.defaultBaseUrl).toBe('https://api.db.nomics.world');
    expect(dbnomics.request(BA, ctx()).url).toBe('https://api.db.nomics.world/v22/series/CEPII/CHELEM-TRADE-CHEL/AES.AES.CAT.BA?observations=1&format=json');
  });

  it('rejects a ref with the kind, an unknown key, a missing series or a slash in a code', () => {
    const ok = { provider: 'CEPII', dataset: 'CHELEM-TRADE-CHEL', series: 'AES.AES.CAT.BA' };
    expect(dbnomics.ref.safeParse(ok).success).toBe(true);
    expect(dbnomics.ref.safeParse({ ...ok, kind: 'dbnomics' }).success).toBe(false);
    expect(dbnomics.ref.safeParse({ ...ok, series_id: 'x' }).success).toBe(false);
    expect(dbnomics.ref.safeParse({ provider: 'CEPII', dataset: 'CHELEM-TRADE-CHEL' }).success).toBe(false);
    expect(dbnomics.ref.safeParse({ ...ok, series: 'A/B' }).success).toBe(false);
  });
});

describe('dbnomics parse', () => {
  it('reads the full annual history of the series the ref names, and says it covers every period', () => {
    const parsed = dbnomics.parse(answer(PAGE), BA, ctx());
    const page = only(parsed);
    expect(page.key).toBe('AES.AES.CAT.BA');
    expect(page.observations).toHaveLength(55);
    expect(page.observations[0]).toEqual({ period: '1967', value: 4.4180715605, valueText: '4.4180715605' });
    expect(page.observations[54]).toEqual({ period: '2021', value: 1005.251046, valueText: '1005.251046' });
    expect(page.covers).toBe('all');
    expect(parsed.next).toBeNull();
    expect(parsed.others).toHaveLength(999);
    expect(judged(dbnomics, BA, parsed)).toMatchObject({ ok: true, gaps: 0, valueless: false });
  });

  it('picks its own series out of a page that lists many', () => {
    const page = only(dbnomics.parse(answer(PAGE), ref('AES.AFN.STN.B-BC'), ctx()));
    expect(page.observations[0]).toEqual({ period: '1967', value: 0.0012708988, valueText: '0.0012708988' });
    expect(page.observations.at(-1)).toEqual({ period: '2021', value: 5.119529, valueText: '5.119529' });
  });

  it('keeps a real zero as zero, never as a gap', () => {
    const page = only(dbnomics.parse(answer(PAGE), ref('AES.AES.CAT.II'), ctx()));
    expect(page.observations[0]).toEqual({ period: '1967', value: 0, valueText: '0' });
  });

  it('reads "NA" as a missing value, never as zero', () => {
    // The fixture has no "NA" (it is complete); one is written into a copy.
    const text = seriesAnswer((_b, doc) => { doc.value[54] = 'NA'; });
    const parsed = dbnomics.parse(answer(text), BA, ctx());
    const page = only(parsed);
    expect(page.observations[54]).toEqual({ period: '2021', value: null, valueText: '' });
    expect(page.observations[53]).toEqual({ period: '2020', value: 891.809016, valueText: '891.809016' });
    expect(judged(dbnomics, BA, parsed)).toMatchObject({ ok: true, gaps: 1, valueless: false });
  });

  it('gives the series listed without any value when every value is "NA", which the runner judges valueless', () => {
    const text = seriesAnswer((_b, doc) => { doc.value = doc.value.map(() => 'NA'); });
    const parsed = dbnomics.parse(answer(text), BA, ctx());
    expect(judged(dbnomics, BA, parsed)).toMatchObject({ ok: true, gaps: 55, valueless: true });
    expect(only(parsed).observations.every((o) => o.value === null && o.valueText === '')).toBe(true);
  });

  it('reads DBnomics monthly, quarterly, weekly and daily periods in lacuna form', () => {
    const cases: [Frequency, string[], string[]][] = [
      ['monthly', ['2023-06', '2023-07'], ['2023-06', '2023-07']],
      ['quarterly', ['2023-Q2', '2023-Q3'], ['2023-Q2', '2023-Q3']],
      ['weekly', ['2023-W05', '2023-W06'], ['2023-W05', '2023-W06']],
      ['daily', ['2023-06-30', '2023-07-03'], ['2023-06-30', '2023-07-03']],
    ];
    for (const [f, raw, want] of cases) {
      // Periods and frequency edited into a copy of the real answer.
      const text = seriesAnswer((_b, doc) => { doc['@frequency'] = f; doc.period = raw; doc.value = [1.5, 'NA']; });
      expect(only(dbnomics.parse(answer(text), BA, ctx(f))).observations.map((o) => o.period)).toEqual(want);
    }
  });

  it('asks for the next page when the series is not on this one but more series follow', () => {
    const page = dbnomics.parse(answer(PAGE), ref('ZZZ.ZZZ.CAT.BA'), ctx());
    expect(page.series).toEqual([]);
    expect(page.next?.url).toBe('https://api.db.nomics.world/v22/series/CEPII/CHELEM-TRADE-CHEL/ZZZ.ZZZ.CAT.BA?observations=1&format=json&offset=1000');
  });
});

describe('dbnomics failures', () => {
  it('fails on an HTML error page as malformed, saying it is HTML', () => {
    const e = failure('<!DOCTYPE html><html><body>502 Bad Gateway</body></html>');
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(/DBnomics CEPII\/CHELEM-TRADE-CHEL\/AES\.AES\.CAT\.BA: not JSON \(an HTML page\)/);
  });

  it('fails on a truncated answer as malformed', () => {
    const e = failure(PAGE.slice(0, 5000));
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(/not JSON/);
  });

  it('fails on a wrong shape naming what is missing', () => {
    expect(failure('[1,2]').code).toBe('shape');
    const e = failure('{"errors":null,"series":{"docs":"x"}}');
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/no series\.docs list/);
    expect(failure('{"errors":null,"series":{"docs":[]}}').message).toMatch(/num_found\/offset\/limit are not numbers/);
  });

  it('passes on the publisher\'s error from `errors` or `message`', () => {
    // Error bodies are not recorded; these follow the documented keys.
    const e = failure(seriesAnswer((b) => { b.errors = [{ message: 'Series not found: AES.AES.CAT.BA' }]; }));
    expect(e.code).toBe('publisher_error');
    expect(e.message).toMatch(/Series not found: AES\.AES\.CAT\.BA/);
    const m = failure('{"message":"Provider not found: CEPIIX"}');
    expect(m.code).toBe('publisher_error');
    expect(m.message).toMatch(/Provider not found: CEPIIX/);
  });

  it('calls an answer without any series a publisher error, never "no data"', () => {
    const e = failure(seriesAnswer((b) => { b.series = { docs: [], num_found: 0, offset: 0, limit: 1000 }; }));
    expect(e.code).toBe('publisher_error');
    expect(e.message).toMatch(/no such series/);
  });

  it('names the other series of a last page without this one, which the runner refuses as absent', () => {
    const r = ref('AES.AES.CAT.BB');
    const page = dbnomics.parse(answer(seriesAnswer()), r, ctx());
    expect(page).toEqual({ series: [], others: ['AES.AES.CAT.BA'], next: null });
    expect(judged(dbnomics, r, page)).toEqual({ ok: false, code: 'absent', message: 'the answer does not hold AES.AES.CAT.BB: it holds AES.AES.CAT.BA' });
  });

  it('fails when DBnomics says the series has another frequency than the catalogue, as the catalogue\'s error', () => {
    const e = failure(PAGE, BA, ctx('monthly'));
    expect(e.code).toBe('config');
    expect(e.message).toMatch(/DBnomics says the series is annual, the catalogue says monthly/);
  });

  it('fails on a period that does not fit the frequency, naming it', () => {
    // Without @frequency only the periods can tell.
    const e = failure(seriesAnswer((_b, doc) => { delete doc['@frequency']; }), BA, ctx('quarterly'));
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/period "1967" is not a quarterly period/);
  });

  it('fails on a value that is neither a number nor "NA", and on arrays of different lengths', () => {
    const v = failure(seriesAnswer((_b, doc) => { doc.value[3] = 'n/a'; }));
    expect(v.code).toBe('shape');
    expect(v.message).toMatch(/value "n\/a" for 1970/);
    const l = failure(seriesAnswer((_b, doc) => { doc.value.pop(); }));
    expect(l.code).toBe('shape');
    expect(l.message).toMatch(/55 periods but 54 values/);
  });

  it('fails on a period listed twice', () => {
    const e = failure(seriesAnswer((_b, doc) => { doc.period[1] = '1967'; }));
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/period 1967 appears twice/);
  });
});

describe('dbnomics freshness', () => {
  it('reads the series document\'s indexed_at: when DBnomics last updated its copy', () => {
    expect(dbnomics.freshness!.read(answer(PAGE), BA, ctx())).toEqual({ updatedAt: Date.parse('2023-06-08T14:45:21.851Z'), through: null });
  });

  it('says nothing of a series the page does not hold', () => {
    expect(dbnomics.freshness!.read(answer(PAGE), ref('NO.SUCH.SERIES'), ctx())).toEqual({ updatedAt: null, through: null });
  });
});
