// Argentina's time-series API (src/sources/argentina.ts) on two recordings of INDEC's national CPI
// (test/fixtures/recorded/README.md): an excerpt of the answer in the API's own envelope (three
// months, dondevalaplata), and a recording of the whole series with metadata=full that its project
// reshaped (117 months and the series' field, openarg_backend), put back here into the envelope
// the excerpt shows. Then the bundled series read through the fetch path over loopback.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observations, series } from '../../db/schema.js';
import { evaluateSeries, type Frequency } from '../../src/core/index.js';
import { fetchSeries, type FetchDeps } from '../../src/fetch/runner.js';
import { seriesFacts } from '../../src/read/facts.js';
import { argentina, argentinaFreshness, argentinaRef } from '../../src/sources/argentina.js';
import { createHttp } from '../../src/sources/http.js';
import type { SourceAnswer, SourceContext } from '../../src/sources/types.js';
import { at, loadedDb } from '../helpers.js';
import { recorded, startReplayServer, type ReplayServer } from '../replay-server.js';
import { failure, judged, only } from './parsed.js';

const ID = '148.3_INIVELNAL_DICI_M_26';
const REF = argentinaRef.parse({ id: ID });
const EXCERPT = recorded('datos-gob-ar/dondevalaplata-ipc_sample-excerpt.json').toString('utf8');
const RESHAPED = JSON.parse(recorded('datos-gob-ar/openarg-ipc_148_3-reshaped.json').toString('utf8')) as {
  field: Record<string, unknown>; dataset: Record<string, unknown>; data: [string, number][];
};
/** The whole recorded series in the API's envelope: the excerpt's, with the recording's rows and field. */
function wholeAnswer(edit: (rows: [string, number | null][]) => [string, number | null][] = (r) => r): string {
  const doc = JSON.parse(EXCERPT) as { data: unknown[]; count: number; meta: [Record<string, unknown>, Record<string, unknown>] };
  const rows = edit(RESHAPED.data.map(([d, v]) => [d, v]));
  doc.data = rows;
  doc.count = rows.length;
  doc.meta[0] = { ...doc.meta[0], start_date: rows[0]![0], end_date: rows.at(-1)![0] };
  doc.meta[1] = { ...doc.meta[1], field: RESHAPED.field };
  return JSON.stringify(doc);
}
const ctx = (frequency: Frequency = 'monthly'): SourceContext => ({ baseUrl: 'https://apis.datos.gob.ar', frequency, from: null, apiKey: null, now: at('2026-10-05T00:00:00Z') });
const answer = (text: string): SourceAnswer => ({ url: 'https://apis.datos.gob.ar/series/api/series/', status: 200, headers: {}, body: Buffer.from(text), text, receivedAt: 0, elapsedMs: 1 });
const parse = (text: string, f: Frequency = 'monthly') => argentina.parse(answer(text), REF, ctx(f));

describe('Argentina\'s time-series API', () => {
  it('asks for the series with its full metadata, from a period when one is wanted', () => {
    expect(argentina.request(REF, ctx()).url).toBe(`https://apis.datos.gob.ar/series/api/series/?ids=${ID}&metadata=full&format=json&limit=5000`);
    expect(argentina.request(REF, { ...ctx(), from: '2024-01' }).url).toMatch(/&start_date=2024-01-01$/);
  });

  it('reads the excerpt in the API\'s own envelope: three months of the national index, named by the series id', () => {
    const s = only(parse(EXCERPT));
    expect(s.key).toBe(ID);
    expect(s.observations).toEqual([
      { period: '2023-12', value: 3533.1922, valueText: '3533.1922' },
      { period: '2024-01', value: 4261.5324, valueText: '4261.5324' },
      { period: '2024-02', value: 4825.7881, valueText: '4825.7881' },
    ]);
    expect(s.covers).toEqual({ from: '2023-12', to: '2024-02' });
  });

  it('reads the whole recorded series and how far the portal says its copy runs', () => {
    const s = only(parse(wholeAnswer()));
    expect(s.observations).toHaveLength(117);
    expect([s.observations[0], s.observations.at(-1)]).toEqual([
      { period: '2016-12', value: 100, valueText: '100' },
      { period: '2026-08', value: 12276.766, valueText: '12276.766' },
    ]);
    expect(argentinaFreshness(answer(wholeAnswer()), REF, ctx())).toEqual({ updatedAt: null, through: '2026-08' });
    // The excerpt was asked without metadata=full: no end date of the portal's own.
    expect(argentinaFreshness(answer(EXCERPT), REF, ctx())).toEqual({ updatedAt: null, through: null });
  });

  it('reads a null as a listed month without a figure', () => {
    const s = only(parse(wholeAnswer((rows) => rows.map(([d, v]) => [d, d === '2026-07-01' ? null : v]))));
    expect(s.observations.find((o) => o.period === '2026-07')).toEqual({ period: '2026-07', value: null, valueText: '' });
  });

  it('fails on another series\' answer, another frequency, an HTML page and rows it cannot read', () => {
    expect(judged(argentina, REF, parse(EXCERPT.replaceAll(ID, '101.1_I2NG_2016_M_22')))).toMatchObject({ ok: false, code: 'absent' });
    const quarterly = failure(() => parse(EXCERPT, 'quarterly'));
    expect([quarterly.code, quarterly.message]).toEqual(['config', `datos.gob.ar ${ID}: the portal says the series is monthly, the catalogue says quarterly`]);
    expect(failure(() => parse('<!DOCTYPE html><html><body>502 Bad Gateway</body></html>')).code).toBe('malformed');
    expect(failure(() => parse(EXCERPT.replace('"2024-01-01"', '"2024-01"'))).message).toMatch(/date "2024-01" is not YYYY-MM-DD/);
    expect(failure(() => parse(EXCERPT.replace('4261.5324', '"4261.5324"'))).message).toMatch(/the value for 2024-01 is not a number/);
    expect(failure(() => parse(EXCERPT.replace('"2024-02-01"', '"2024-01-01"'))).message).toMatch(/period 2024-01 appears twice/);
  });
});

describe('INDEC\'s national CPI read from the portal over loopback', () => {
  const SERIES = 'ar.indec.cpi.national_index';
  const NOW = at('2026-10-05T12:00:00Z');
  let server: ReplayServer;
  let deps: FetchDeps;
  const body = wholeAnswer();
  beforeAll(async () => {
    server = await startReplayServer();
    server.route((r) => (r.url.startsWith('/series/api/series/') ? { headers: { 'content-type': 'application/json' }, body } : undefined));
    const { db } = loadedDb(NOW);
    deps = { db, now: () => NOW, sources: { urls: { INDEC: server.url }, apiKeys: {} }, http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 24 }) };
  });
  afterAll(async () => { await server.close(); });
  const row = () => deps.db.select().from(series).where(eq(series.id, SERIES)).get()!;

  it('records the whole series, attributed to the portal, and the series is current', async () => {
    const r = await fetchSeries(deps, SERIES, 'cli');
    expect(r).toMatchObject({ outcome: 'ok', added: 117, withdrawn: 0, stale: null, error: null, source: `datos_gob_ar ${ID} (secondary)` });
    const held = deps.db.select().from(observations).where(and(eq(observations.seriesId, SERIES), isNull(observations.supersededAt))).all();
    expect(held).toHaveLength(117);
    expect(held.every((o) => o.provenance?.endsWith(`datos_gob_ar ${ID} (secondary)`))).toBe(true);
    expect(evaluateSeries(seriesFacts(deps.db, row()), NOW).status).toBe('current');
  });

  it('keeps a month the portal stops listing unknown, not missing, and says the portal is stale', async () => {
    // Two months on, the recording (through August) is all the portal still gives: September and October are past due.
    const later = at('2026-12-01T12:00:00Z');
    const r = await fetchSeries({ ...deps, now: () => later }, SERIES, 'cli');
    expect(r.stale).toMatch(/secondary source/);
    const grid = evaluateSeries(seriesFacts(deps.db, row(), undefined, later), later).grid;
    expect(grid.find((c) => c.period === '2026-09')?.state).toBe('unknown');
    expect(grid.find((c) => c.period === '2026-08')?.state).toBe('disclosed');
  });
});
