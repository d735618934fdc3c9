// The ONS time-series JSON (src/sources/ons.ts), on an excerpt of the answer R1cK-ChaN/macro-data-service
// captured from ONS for MGSX (the unemployment rate, dataset LMS) on 2026-04-26
// (test/fixtures/recorded/README.md): each three-month average filed under its label's last month,
// the whole series covered, and every way an answer can be wrong. Then the bundled UK series read
// through the fetch path over loopback.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observations, series } from '../../db/schema.js';
import { evaluateSeries } from '../../src/core/index.js';
import { fetchSeries, type FetchDeps } from '../../src/fetch/runner.js';
import { seriesFacts } from '../../src/read/facts.js';
import { createHttp } from '../../src/sources/http.js';
import { ons, onsRef, type OnsRef } from '../../src/sources/ons.js';
import type { SourceAnswer, SourceContext } from '../../src/sources/types.js';
import type { Frequency } from '../../src/core/index.js';
import { at, loadedDb } from '../helpers.js';
import { recorded, startReplayServer, type ReplayServer } from '../replay-server.js';
import { failure, judged, only } from './parsed.js';

const TEXT = recorded('ons/macro-data-service-mgsx-lms-excerpt.json').toString('utf8');
const PATH = 'employmentandlabourmarket/peoplenotinwork/unemployment/timeseries/mgsx/lms';
const REF = onsRef.parse({ path: PATH, period: 'label_end' });
const ctx = (frequency: Frequency = 'monthly'): SourceContext => ({ baseUrl: 'https://www.ons.gov.uk', frequency, from: null, apiKey: null, now: at('2026-04-27T00:00:00Z') });
const answer = (text: string): SourceAnswer => ({ url: 'https://www.ons.gov.uk/x/data', status: 200, headers: {}, body: Buffer.from(text), text, receivedAt: 0, elapsedMs: 1 });
const parse = (text: string, ref: OnsRef = REF, f: Frequency = 'monthly') => ons.parse(answer(text), ref, ctx(f));

describe('the ONS time-series JSON', () => {
  it('asks for the series page\'s data and names the series by its CDID and dataset', () => {
    expect(ons.request(REF, ctx())).toEqual({ url: `https://www.ons.gov.uk/${PATH}/data` });
    expect(ons.key(REF)).toBe('MGSX/LMS');
  });

  it('files each three-month average under its label\'s last month, across the turn of a year', () => {
    const s = only(parse(TEXT));
    expect(s.key).toBe('MGSX/LMS');
    const byPeriod = new Map(s.observations.map((o) => [o.period, o.valueText]));
    // "2023 JUL" is June to August ("2023 JUN-AUG"): lacuna's 2023-08; "2023 DEC" is "2023 NOV-JAN": 2024-01.
    expect(['2023-08', '2023-09', '2023-10', '2023-11', '2024-01', '2026-02'].map((p) => byPeriod.get(p))).toEqual(['4.3', '4.1', '4.0', '4.0', '4.1', '4.9']);
    expect(s.covers).toEqual({ from: '2023-02', to: '2026-02' });
    expect(s.observations).toHaveLength(37);
  });

  it('files them under their own date when asked to, and reads the years for an annual series', () => {
    const byDate = only(parse(TEXT, onsRef.parse({ path: PATH })));
    expect(byDate.covers).toEqual({ from: '2023-01', to: '2026-01' });
    expect(byDate.observations.find((o) => o.period === '2023-09')).toEqual({ period: '2023-09', value: 4, valueText: '4.0' });
    const years = only(parse(TEXT, onsRef.parse({ path: PATH }), 'annual'));
    expect(years.observations.map((o) => [o.period, o.value])).toEqual([['2023', 4.1], ['2024', 4.3], ['2025', 4.8]]);
  });

  it('holds no quarters list in this excerpt: a quarterly series fails naming the list', () => {
    expect(failure(() => parse(TEXT, onsRef.parse({ path: PATH }), 'quarterly')).message).toBe('ONS MGSX/LMS: the answer has no "quarters" list');
  });

  it('reads an answer for another series as one without the series asked for', () => {
    const other = TEXT.replace('"cdid":"MGSX"', '"cdid":"MGSY"');
    expect(judged(ons, REF, parse(other))).toMatchObject({ ok: false, code: 'absent' });
  });

  it('fails on an HTML page, a value that is not a number, a label that is not a span of months and a period listed twice', () => {
    expect(failure(() => parse('<!DOCTYPE html><html><body>Service unavailable</body></html>')).code).toBe('malformed');
    expect(failure(() => parse(TEXT.replace('"value":"4.9"', '"value":"n/a"'))).message).toMatch(/value "n\/a" for 2026-02 is not a number/);
    expect(failure(() => parse(TEXT.replace('"label":"2025 DEC-FEB"', '"label":"2026 JAN"'))).message).toMatch(/label "2026 JAN" of 2026 JAN is not a span of months/);
    expect(failure(() => parse(TEXT.replace('"label":"2025 DEC-FEB"', '"label":"2025 NOV-JAN"'))).message).toMatch(/period 2026-01 appears twice/);
    expect(failure(() => parse('{"months":[]}')).message).toBe('ONS MGSX/LMS: the answer has no description');
  });

  it('reads an empty value as a listed period without a figure, and refuses a ref that is not a series page', () => {
    const s = only(parse(TEXT.replace('"value":"4.9"', '"value":""')));
    expect(s.observations.find((o) => o.period === '2026-02')).toEqual({ period: '2026-02', value: null, valueText: '' });
    expect(onsRef.safeParse({ path: '/employmentandlabourmarket/timeseries/mgsx/lms' }).success).toBe(false);
    expect(onsRef.safeParse({ path: 'https://www.ons.gov.uk/x/timeseries/mgsx/lms' }).success).toBe(false);
  });
});

describe('the UK unemployment rate read from ONS over loopback', () => {
  const ID = 'gb.ons.lfs.unemployment_rate';
  const NOW = at('2026-04-27T09:00:00Z');
  let server: ReplayServer;
  let deps: FetchDeps;
  beforeAll(async () => {
    server = await startReplayServer();
    server.route((r) => (r.url === `/${PATH}/data` ? { headers: { 'content-type': 'application/json;charset=utf-8' }, body: TEXT } : undefined));
    const { db } = loadedDb(NOW);
    deps = { db, now: () => NOW, sources: { urls: { ONS: server.url }, apiKeys: {} }, http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 24 }) };
  });
  afterAll(async () => { await server.close(); });

  it('records the months the suspension covered as figures that arrived long after they were due, the suspension still on record', async () => {
    const r = await fetchSeries(deps, ID, 'cli');
    expect(r).toMatchObject({ outcome: 'ok', withdrawn: 0, error: null, source: 'ons MGSX/LMS' });
    const held = deps.db.select().from(observations).where(and(eq(observations.seriesId, ID), isNull(observations.supersededAt))).all();
    // The grid starts in 2023-01: what ONS lists from then on is recorded.
    expect(held.filter((o) => o.period >= '2023-08' && o.period <= '2023-11').map((o) => [o.period, o.valueText])).toEqual([['2023-08', '4.3'], ['2023-09', '4.1'], ['2023-10', '4.0'], ['2023-11', '4.0']]);
    const row = deps.db.select().from(series).where(eq(series.id, ID)).get()!;
    const grid = evaluateSeries(seriesFacts(deps.db, row), NOW).grid;
    const cell = grid.find((c) => c.period === '2023-10')!;
    expect(cell.value).toBe(4);
    expect(cell.firstSeenAt).toBe(NOW);
    expect(grid.filter((c) => c.period >= '2023-07' && c.period <= '2023-12').map((c) => [c.period, c.state, c.eventId])).toEqual([
      ['2023-07', 'disclosed', null],
      ...['2023-08', '2023-09', '2023-10', '2023-11'].map((p) => [p, 'disclosed', 'gb-ons-lfs-2023-10-suspended']),
      ['2023-12', 'disclosed', null],
    ]);
    expect(evaluateSeries(seriesFacts(deps.db, row), NOW).status).toBe('current');
    expect((await fetchSeries(deps, ID)).outcome).toBe('no_change');
  });
});
