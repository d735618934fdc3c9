// The World Bank plug-in against the only real recorded answer (test/fixtures/recorded/worldbank):
// a v1 answer for Czech central government debt (% of GDP), 1960-2012, newest first. v2 answers
// are built from it following the documented v2 shape (FORMATS.md §4).
import { describe, expect, it } from 'vitest';
import { recorded } from '../replay-server.js';
import { worldbank, type WorldbankRef } from '../../src/sources/worldbank.js';
import { judged, only } from './parsed.js';
import { SourceError } from '../../src/sources/errors.js';
import type { SourceAnswer, SourceContext } from '../../src/sources/types.js';
import type { Frequency } from '../../src/core/index.js';

const V1 = recorded('worldbank/legacy-v1-CZ-GC.DOD.TOTL.GD.ZS-prettified.json').toString('utf8');
type Row = Record<string, unknown> & { date: string; value: unknown };
type Meta = Record<string, unknown>;

const REF: WorldbankRef = worldbank.ref.parse({ country: 'CZ', indicator: 'GC.DOD.TOTL.GD.ZS' });
const BASE = 'https://api.worldbank.org/v2/country/CZ/indicator/GC.DOD.TOTL.GD.ZS?format=json&per_page=1000';
const NOW = Date.UTC(2026, 2, 3);
const ctx = (frequency: Frequency = 'annual', from: string | null = null): SourceContext =>
  ({ baseUrl: 'https://api.worldbank.org', frequency, from, apiKey: null, now: NOW });
const answer = (text: string, url = BASE): SourceAnswer => ({ url, status: 200, headers: {}, body: Buffer.from(text), text, receivedAt: 0, elapsedMs: 1 });
const parse = (text: string, c = ctx(), url = BASE) => worldbank.parse(answer(text, url), REF, c);
/** The page's one series: the country and indicator asked for. */
const series = (text: string, c = ctx(), url = BASE) => only(parse(text, c, url));

/** The real answer, edited (each test says why). */
function edited(edit: (meta: Meta, rows: Row[]) => Row[] | void): string {
  const [meta, rows] = JSON.parse(V1) as [Meta, Row[]];
  return JSON.stringify([meta, edit(meta, rows) ?? rows]);
}

/** The real rows in the documented v2 shape: numbers, ISO3 code, unit and obs_status. */
const V2 = edited((meta, rows) => {
  Object.assign(meta, { per_page: 1000, sourceid: '2', lastupdated: '2026-01-28' });
  return rows.map((r) => ({ ...r, countryiso3code: 'CZE', value: r.value === null ? null : Number(r.value), unit: '', obs_status: '', decimal: 1 }));
});

function failure(text: string, c: SourceContext = ctx(), url = BASE): SourceError {
  try {
    parse(text, c, url);
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('parse did not throw');
}

describe('worldbank ref and request', () => {
  it('asks the v2 API for one country and indicator, 1000 rows a page', () => {
    expect(worldbank.defaultBaseUrl).toBe('https://api.worldbank.org');
    expect(worldbank.request(REF, ctx()).url).toBe(BASE);
  });

  it('asks for a date window from the first period wanted to now, in the World Bank\'s spelling', () => {
    expect(worldbank.request(REF, ctx('annual', '2019')).url).toBe(`${BASE}&date=2019:2026`);
    expect(worldbank.request(REF, ctx('monthly', '2012-01')).url).toBe(`${BASE}&date=2012M01:2026M03`);
    expect(worldbank.request(REF, ctx('quarterly', '2013-Q1')).url).toBe(`${BASE}&date=2013Q1:2026Q1`);
  });

  it('refuses daily and weekly series, which the World Bank does not publish', () => {
    expect(() => worldbank.request(REF, ctx('daily'))).toThrow(/publishes no daily data/);
    expect(() => worldbank.request(REF, ctx('weekly'))).toThrow(expect.objectContaining({ code: 'config', permanent: true }));
  });

  it('rejects a ref with the kind, an unknown key, several countries or no indicator', () => {
    expect(worldbank.ref.safeParse({ country: 'CZE', indicator: 'NY.GDP.MKTP.CD' }).success).toBe(true);
    expect(worldbank.ref.safeParse({ kind: 'worldbank', country: 'CZ', indicator: 'X' }).success).toBe(false);
    expect(worldbank.ref.safeParse({ country: 'CZ', indicator: 'X', source: '2' }).success).toBe(false);
    expect(worldbank.ref.safeParse({ country: 'CZ;SK', indicator: 'X' }).success).toBe(false);
    expect(worldbank.ref.safeParse({ country: 'CZ' }).success).toBe(false);
  });
});

describe('worldbank parse', () => {
  it('reads the recorded v1 answer: values given as strings, newest year first', () => {
    const page = series(V1);
    expect(page.key).toBe('CZ/GC.DOD.TOTL.GD.ZS');
    expect(page.observations).toHaveLength(53);
    expect(page.observations[2]).toEqual({ period: '2010', value: 35.1422970266502, valueText: '35.1422970266502' });
    expect(page.observations[19]).toEqual({ period: '1993', value: 16.6567773464055, valueText: '16.6567773464055' });
    expect(page.observations.filter((o) => o.value !== null)).toHaveLength(18);
    expect(page.covers).toBe('all');
    expect(page.unit).toBeNull();
    expect(parse(V1).next).toBeNull();
    expect(judged(worldbank, REF, parse(V1))).toMatchObject({ ok: true, gaps: 35, valueless: false });
  });

  it('reads null as a missing value, never as zero', () => {
    const page = series(V1);
    expect(page.observations[0]).toEqual({ period: '2012', value: null, valueText: '' });
    expect(page.observations[52]).toEqual({ period: '1960', value: null, valueText: '' });
  });

  it('reads the v2 shape with numeric values the same way', () => {
    const page = series(V2);
    expect(page.observations[2]).toEqual({ period: '2010', value: 35.1422970266502, valueText: '35.1422970266502' });
    expect(page.observations[0]).toEqual({ period: '2012', value: null, valueText: '' });
    expect(page.covers).toBe('all');
  });

  it('keeps the unit and observation status v2 states', () => {
    // Values written into a copy: the v1 file has neither field.
    const text = edited((_m, rows) => rows.map((r) => ({ ...r, unit: '% of GDP', obs_status: r.date === '2010' ? 'E' : '' })));
    const page = series(text);
    expect(page.unit).toBe('% of GDP');
    expect(page.observations[2]).toEqual({ period: '2010', value: 35.1422970266502, valueText: '35.1422970266502', obsStatus: 'E' });
    expect(page.observations[3]!.obsStatus).toBeUndefined();
  });

  it('names the rows of another indicator rather than reading them, so an answer about another one is absent', () => {
    // A copy of the real rows, the first one relabelled as GDP.
    const one = parse(edited((_m, rows) => { rows[0]!.indicator = { id: 'NY.GDP.MKTP.CD', value: 'GDP' }; }));
    expect(one.others).toEqual(['CZ/NY.GDP.MKTP.CD']);
    expect(only(one).observations).toHaveLength(52);
    const all = parse(edited((_m, rows) => { for (const r of rows) r.indicator = { id: 'NY.GDP.MKTP.CD', value: 'GDP' }; }));
    expect(judged(worldbank, REF, all)).toEqual({ ok: false, code: 'absent', message: 'the answer does not hold CZ/GC.DOD.TOTL.GD.ZS: it holds CZ/NY.GDP.MKTP.CD' });
  });

  it('gives every row of an indicator whose rows are all null, which the runner judges valueless', () => {
    // The real 1960-1992 rows, which are all null.
    const page = parse(edited((meta, rows) => { meta.total = 33; return rows.slice(20); }));
    expect(only(page).observations).toHaveLength(33);
    expect(judged(worldbank, REF, page)).toMatchObject({ ok: true, valueless: true });
  });

  it('covers a date window from the first period wanted to the newest period listed', () => {
    // The answer to date=2005:2026, cut from the real rows.
    const text = edited((meta, rows) => { meta.total = 8; return rows.filter((r) => r.date >= '2005'); });
    const page = series(text, ctx('annual', '2005'), `${BASE}&date=2005:2026`);
    expect(page.covers).toEqual({ from: '2005', to: '2012' });
  });

  it('reads monthly 2012M01 and quarterly 2013Q1 dates in lacuna form', () => {
    // Dates rewritten in a copy of the real rows.
    const monthly = edited((_m, rows) => rows.slice(0, 3).map((r, i) => ({ ...r, date: `2012M0${3 - i}` })));
    expect(series(monthly, ctx('monthly')).observations.map((o) => o.period)).toEqual(['2012-03', '2012-02', '2012-01']);
    const quarterly = edited((_m, rows) => rows.slice(0, 2).map((r, i) => ({ ...r, date: `2013Q${2 - i}` })));
    expect(series(quarterly, ctx('quarterly')).observations.map((o) => o.period)).toEqual(['2013-Q2', '2013-Q1']);
  });

  it('asks for the next page while page is below pages, and claims only the span each page lists', () => {
    // The real 53 rows presented as two pages.
    const first = parse(edited((meta, rows) => { Object.assign(meta, { pages: 2, per_page: '30' }); return rows.slice(0, 30); }));
    expect(first.next?.url).toBe(`${BASE}&page=2`);
    expect(only(first).covers).toEqual({ from: '1983', to: '2012' });
    const last = parse(edited((meta, rows) => { Object.assign(meta, { page: 2, pages: 2, per_page: '30' }); return rows.slice(30); }));
    expect(last.next).toBeNull();
    expect(only(last).covers).toEqual({ from: '1960', to: '1982' });
    // 1960-1982 are all null: this page alone has no value, the series has.
    expect(judged(worldbank, REF, last)).toMatchObject({ ok: true, valueless: true });
    expect(judged(worldbank, REF, first, last)).toMatchObject({ ok: true, valueless: false, gaps: 35, covers: { from: '1960', to: '2012' } });
  });
});

describe('worldbank failures', () => {
  it('fails on an HTML error page as malformed, saying it is HTML', () => {
    const e = failure('<!DOCTYPE html><html><body>Service Unavailable</body></html>');
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(/World Bank CZ\/GC\.DOD\.TOTL\.GD\.ZS: not JSON \(an HTML page\)/);
  });

  it('fails on a truncated answer as malformed', () => {
    const e = failure(V1.slice(0, 700));
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(/not JSON/);
  });

  it('passes on the World Bank\'s error message', () => {
    // The documented error shape (third-party test code); not recorded here.
    const e = failure('[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]');
    expect(e.code).toBe('publisher_error');
    expect(e.message).toMatch(/Invalid value: The provided parameter value is not valid/);
  });

  it('gives an empty answer as holding nothing, which the runner refuses as empty, never "no new data"', () => {
    const empty = '[{"page":0,"pages":0,"per_page":0,"total":0,"sourceid":null,"lastupdated":null},null]';
    const page = parse(empty, ctx('annual', '2030'), `${BASE}&date=2030:2030`);
    expect(page).toEqual({ series: [], next: null });
    expect(judged(worldbank, REF, page)).toMatchObject({ ok: false, code: 'empty' });
  });

  it('fails on a wrong shape: an object, a meta without counts, or rows missing while total says otherwise', () => {
    expect(failure('{"page":1}').code).toBe('shape');
    expect(failure('[{"page":"one","pages":1,"total":53},[]]').message).toMatch(/meta\.page is "one"/);
    const e = failure('[{"page":1,"pages":1,"per_page":"1000","total":53},null]');
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/page 1 of 1 \(total 53\) has no rows list/);
  });

  it('fails on a period that does not fit the series\' frequency, naming it', () => {
    const e = failure(V1, ctx('monthly'));
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/date "2012" is not a monthly period/);
  });

  it('fails on a value that is not a number', () => {
    const v = failure(edited((_m, rows) => { rows[2]!.value = 'n.a.'; }));
    expect(v.code).toBe('shape');
    expect(v.message).toMatch(/value "n\.a\." for 2010/);
  });

  it('fails on a year listed twice', () => {
    const e = failure(edited((_m, rows) => { rows[1]!.date = '2012'; }));
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/period 2012 appears twice/);
  });
});
