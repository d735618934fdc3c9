// The FRED plug-in against the real recorded answers (test/fixtures/recorded/fred): daily
// observations of RIFSPPAAAD30NB for January 2024 and the series' metadata, recorded 2024-06-27.
import { describe, expect, it } from 'vitest';
import { cassette, recorded } from '../replay-server.js';
import { fred, parseFredLastUpdated, type FredRef } from '../../src/sources/fred.js';
import { judged, only } from './parsed.js';
import { SourceError } from '../../src/sources/errors.js';
import type { SourceAnswer, SourceContext } from '../../src/sources/types.js';
import type { Frequency } from '../../src/core/index.js';

const OBS = recorded('fred/openbb-vcr-RIFSPPAAAD30NB-observations.body.json').toString('utf8');
const META = recorded('fred/openbb-vcr-RIFSPPAAAD30NB-series.body.json').toString('utf8');
type Body = { count: number; offset: number; observations: { date: string; value: string }[] };

const REF: FredRef = fred.ref.parse({ series_id: 'RIFSPPAAAD30NB' });
const BASE = 'https://api.stlouisfed.org/fred/series/observations?series_id=RIFSPPAAAD30NB&api_key=KEY&file_type=json';
const ctx = (frequency: Frequency = 'daily', from: string | null = null, apiKey: string | null = 'KEY'): SourceContext =>
  ({ baseUrl: 'https://api.stlouisfed.org', frequency, from, apiKey, now: 0 });
const answer = (text: string): SourceAnswer => ({ url: BASE, status: 200, headers: {}, body: Buffer.from(text), text, receivedAt: 0, elapsedMs: 1 });
const parse = (text: string, c = ctx()) => fred.parse(answer(text), REF, c);
/** The one series a page holds: FRED answers for the series asked for, under its id. */
const series = (text: string, c = ctx()) => only(parse(text, c));

/** The real answer, edited (each test says why). */
function edited(edit: (b: Body) => void): string {
  const body = JSON.parse(OBS) as Body;
  edit(body);
  return JSON.stringify(body);
}

/** An answer listing `dates`, each with a value, made from the real one. */
const withDates = (dates: string[]) => edited((b) => {
  b.observations = dates.map((date, i) => ({ ...b.observations[1]!, date, value: i === 1 ? '.' : '5.37' }));
  b.count = dates.length;
});

function failure(text: string, c: SourceContext = ctx()): SourceError {
  try {
    parse(text, c);
  } catch (e) {
    expect(e).toBeInstanceOf(SourceError);
    return e as SourceError;
  }
  throw new Error('parse did not throw');
}

describe('fred ref and request', () => {
  it('asks for the observations with the API key, in JSON', () => {
    expect(fred.defaultBaseUrl).toBe('https://api.stlouisfed.org');
    expect(fred.apiKeyEnv).toBe('FRED_API_KEY');
    expect(fred.request(REF, ctx()).url).toBe(BASE);
  });

  it('starts the window at the first day of the first period wanted', () => {
    expect(fred.request(REF, ctx('daily', '2024-01-15')).url).toBe(`${BASE}&observation_start=2024-01-15`);
    expect(fred.request(REF, ctx('monthly', '2024-03')).url).toBe(`${BASE}&observation_start=2024-03-01`);
    expect(fred.request(REF, ctx('quarterly', '2024-Q2')).url).toBe(`${BASE}&observation_start=2024-04-01`);
    expect(fred.request(REF, ctx('annual', '2024')).url).toBe(`${BASE}&observation_start=2024-01-01`);
    expect(fred.request(REF, ctx('weekly', '2024-W02')).url).toBe(`${BASE}&observation_start=2024-01-08`);
  });

  it('refuses to build a request without an API key, saying to set FRED_API_KEY', () => {
    let err: unknown;
    try { fred.request(REF, ctx('daily', null, null)); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('config');
    expect((err as SourceError).permanent).toBe(true);
    expect((err as SourceError).message).toMatch(/set FRED_API_KEY/);
  });

  it('rejects a ref with the kind, an unknown key or a blank series id', () => {
    expect(fred.ref.safeParse({ series_id: 'TRESEGCNM052N' }).success).toBe(true);
    expect(fred.ref.safeParse({ kind: 'fred', series_id: 'TRESEGCNM052N' }).success).toBe(false);
    expect(fred.ref.safeParse({ series_id: 'TRESEGCNM052N', units: 'pch' }).success).toBe(false);
    expect(fred.ref.safeParse({ series_id: ' ' }).success).toBe(false);
    expect(fred.ref.safeParse({ series_id: 'A B' }).success).toBe(false);
  });
});

describe('fred parse', () => {
  it('reads the recorded daily observations with their values as written', () => {
    const page = series(OBS);
    expect(page.key).toBe('RIFSPPAAAD30NB');
    expect(page.observations).toHaveLength(24);
    expect(page.observations[1]).toEqual({ period: '2024-01-02', value: 5.37, valueText: '5.37' });
    expect(page.observations[23]).toEqual({ period: '2024-02-01', value: 5.35, valueText: '5.35' });
    expect(parse(OBS).next).toBeNull();
  });

  it('reads "." as a missing value, never as zero', () => {
    const gaps = series(OBS).observations.filter((o) => o.value === null);
    expect(gaps).toEqual([
      { period: '2024-01-01', value: null, valueText: '' },
      { period: '2024-01-15', value: null, valueText: '' },
    ]);
  });

  it('covers every period for a full history, and from the first period wanted to the last one listed for a window', () => {
    expect(series(OBS).covers).toBe('all');
    expect(series(OBS, ctx('daily', '2024-01-01')).covers).toEqual({ from: '2024-01-01', to: '2024-02-01' });
  });

  it('claims no coverage for a window in which FRED lists nothing, which the runner refuses as empty', () => {
    // A window after the last observation: the real answer with its observations removed.
    const page = parse(edited((b) => { b.observations = []; b.count = 0; }), ctx('daily', '2024-07-01'));
    expect(page).toEqual({ series: [{ key: 'RIFSPPAAAD30NB', observations: [], covers: null }], next: null });
    expect(judged(fred, REF, page)).toEqual({ ok: false, code: 'empty', message: 'the answer holds RIFSPPAAAD30NB without a single period' });
  });

  it('gives every date of a series whose observations are all ".", which the runner judges valueless', () => {
    // Every value of the real answer replaced by ".".
    const page = parse(edited((b) => { for (const o of b.observations) o.value = '.'; }));
    expect(only(page).observations.every((o) => o.value === null && o.valueText === '')).toBe(true);
    expect(judged(fred, REF, page)).toMatchObject({ ok: true, valueless: true, gaps: 24 });
    expect(judged(fred, REF, parse(OBS))).toMatchObject({ ok: true, valueless: false, gaps: 2 });
  });

  it('turns FRED\'s period start days into monthly, quarterly, annual and weekly periods', () => {
    const periods = (dates: string[], f: Frequency) => series(withDates(dates), ctx(f)).observations.map((o) => o.period);
    expect(periods(['2024-01-01', '2024-02-01'], 'monthly')).toEqual(['2024-01', '2024-02']);
    expect(periods(['2024-01-01', '2024-04-01'], 'quarterly')).toEqual(['2024-Q1', '2024-Q2']);
    expect(periods(['2023-01-01', '2024-01-01'], 'annual')).toEqual(['2023', '2024']);
    // Weekly series are dated by a day of the week (e.g. the Saturday that ends it).
    expect(periods(['2024-01-06', '2024-01-13'], 'weekly')).toEqual(['2024-W01', '2024-W02']);
    expect(series(withDates(['2024-01-01', '2024-02-01']), ctx('monthly')).observations[1]).toEqual({ period: '2024-02', value: null, valueText: '' });
  });

  it('asks for the next page while offset plus the observations listed is below count', () => {
    // count raised in a copy so that the recorded 24 observations are the first page of 50.
    const first = parse(edited((b) => { b.count = 50; }));
    expect(first.next?.url).toBe(`${BASE}&offset=24`);
    expect(only(first).covers).toEqual({ from: '2024-01-01', to: '2024-02-01' });
    const last = parse(edited((b) => { b.count = 46; b.offset = 24; b.observations = b.observations.slice(2); }));
    expect(last.next).toBeNull();
    expect(only(last).covers).toEqual({ from: '2024-01-03', to: '2024-02-01' });
  });

  it('reads last_updated of the recorded series metadata as the instant of its Last-Modified header', () => {
    const meta = JSON.parse(META) as { seriess: { last_updated: string }[] };
    expect(meta.seriess[0]!.last_updated).toBe('2024-06-26 12:04:19-05');
    const ms = parseFredLastUpdated(meta.seriess[0]!.last_updated);
    expect(ms).toBe(Date.UTC(2024, 5, 26, 17, 4, 19));
    const header = cassette('fred/openbb-vcr-RIFSPPAAAD30NB-observations-and-series.cassette.yaml').headers!['last-modified'];
    expect(ms).toBe(Date.parse(String(header)));
    expect(parseFredLastUpdated('2024-01-02 03:04:05+05:30')).toBe(Date.UTC(2024, 0, 1, 21, 34, 5));
  });

  it('refuses a last_updated it cannot read', () => {
    for (const s of ['2024-06-26T12:04:19Z', '2024-02-30 12:00:00-05', '']) {
      expect(() => parseFredLastUpdated(s)).toThrow(SourceError);
    }
  });
});

describe('fred failures', () => {
  it('fails on an HTML error page as malformed, saying it is HTML', () => {
    const e = failure('<html><head><title>503 Service Unavailable</title></head></html>');
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(/FRED RIFSPPAAAD30NB: not JSON \(an HTML page\)/);
  });

  it('fails on a truncated answer as malformed', () => {
    const e = failure(OBS.slice(0, 1200));
    expect(e.code).toBe('malformed');
    expect(e.message).toMatch(/not JSON/);
  });

  it('fails when given the series metadata instead of observations', () => {
    const e = failure(META);
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/no observations list/);
  });

  it('passes on FRED\'s error message when it comes with HTTP 200', () => {
    // FRED's documented error body; not recorded.
    const e = failure('{"error_code":400,"error_message":"Bad Request.  The series does not exist."}');
    expect(e.code).toBe('publisher_error');
    expect(e.message).toMatch(/The series does not exist/);
  });

  it('gives a full history without observations as a series without periods, which the runner refuses as empty, never "no data"', () => {
    const page = parse(edited((b) => { b.observations = []; b.count = 0; }));
    expect(judged(fred, REF, page)).toMatchObject({ ok: false, code: 'empty' });
  });

  it('fails on a date that is not the start of a period of the series\' frequency, naming it', () => {
    const e = failure(OBS, ctx('monthly'));
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/date 2024-01-02 is not the first day of a monthly period/);
  });

  it('fails when a daily series is read as weekly, because two days fall in one week', () => {
    const e = failure(OBS, ctx('weekly'));
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/two observations fall in weekly period 2024-W01/);
  });

  it('fails on a value that is not a number or ".", and on a date that is not a date', () => {
    const v = failure(edited((b) => { b.observations[2]!.value = 'ND'; }));
    expect(v.code).toBe('shape');
    expect(v.message).toMatch(/value "ND" for 2024-01-03 is not a number/);
    const d = failure(edited((b) => { b.observations[2]!.date = '2024/01/03'; }));
    expect(d.code).toBe('shape');
    expect(d.message).toMatch(/date "2024\/01\/03" is not a YYYY-MM-DD date/);
  });

  it('fails on an empty page in the middle of a paged answer rather than loop', () => {
    const e = failure(edited((b) => { b.observations = []; b.offset = 24; b.count = 50; }));
    expect(e.code).toBe('shape');
    expect(e.message).toMatch(/page at offset 24 of 50 is empty/);
  });
});

describe('fred freshness', () => {
  it('asks /fred/series and reads last_updated and observation_end: FRED\'s own word on its copy', () => {
    expect(fred.freshness!.request!(REF, ctx())!.url).toBe('https://api.stlouisfed.org/fred/series?series_id=RIFSPPAAAD30NB&api_key=KEY&file_type=json');
    expect(fred.freshness!.read(answer(META), REF, ctx())).toEqual({ updatedAt: Date.parse('2024-06-26T17:04:19Z'), through: '2024-06-25' });
  });

  it('fails on an answer without the series, so the read says nothing of freshness', () => {
    expect(() => fred.freshness!.read(answer('{"seriess":[]}'), REF, ctx())).toThrow(SourceError);
  });
});
