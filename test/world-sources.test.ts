// The bundled catalogue's live sources outside China, over loopback: the US CPI and unemployment
// rate read from BLS, then FRED's copy, where FRED's "." for October 2025 is a gap the BLS notice
// explains (suspended, as announced) rather than a false "overdue"; and what every other world
// block asks its publisher.
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flips, series } from '../db/schema.js';
import type { Db } from '../db/client.js';
import { loadCatalogue } from '../src/catalogue/load.js';
import { fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { evaluateSeries } from '../src/core/index.js';
import { seriesFacts } from '../src/read/facts.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { createHttp } from '../src/sources/http.js';
import { checkSource } from '../src/sources/registry.js';
import type { SourceContext } from '../src/sources/types.js';
import { at, BUNDLED_CATALOGUE, copyOfBundledCatalogue, loadedDb } from './helpers.js';
import { cassette, recorded, startReplayServer, type ReplayServer } from './replay-server.js';

const CPI = 'us.bls.cpi_u.all_items';
const UNRATE = 'us.bls.unemployment_rate';
const BEFORE = at('2025-11-01T12:00:00Z');
/** After October's grace (due 15 November at the latest, seven days' grace), before November's release. */
const T1 = at('2025-11-24T12:00:00Z');
/** After November's release on 18 December 2025. */
const T2 = at('2025-12-19T12:00:00Z');

/**
 * FRED's answer for a monthly series: an edited copy of the recorded one (APU0000708111, 2024),
 * its observations replaced by `rows`. The values are those bundled for the series (FRED's own,
 * as copied by the repositories the series notes name); "." for October 2025 as FRED writes it
 * (tzhangwps/Recession-Predictor PR #26).
 */
function fredAnswer(rows: [string, string][]): string {
  const body = JSON.parse(recorded('fred/openbb-vcr-APU0000708111-monthly-observations.body.json').toString('utf8')) as {
    count: number; observations: { realtime_start: string; realtime_end: string; date: string; value: string }[];
  };
  const proto = body.observations[0]!;
  body.observations = rows.map(([date, value]) => ({ ...proto, date, value }));
  body.count = rows.length;
  return JSON.stringify(body);
}

const ROWS: Record<string, { bls: string; fred: string; t1: [string, string][]; t2: [string, string][]; event: string }> = {
  [CPI]: {
    bls: 'CUSR0000SA0', fred: 'CPIAUCSL', event: 'us-bls-cpi-2025-10-not-published',
    t1: [['2025-08-01', '323.291'], ['2025-09-01', '324.245'], ['2025-10-01', '.']],
    t2: [['2025-08-01', '323.291'], ['2025-09-01', '324.245'], ['2025-10-01', '.'], ['2025-11-01', '325.063']],
  },
  [UNRATE]: {
    bls: 'LNS14000000', fred: 'UNRATE', event: 'us-bls-cps-2025-10-not-collected',
    t1: [['2025-08-01', '4.3'], ['2025-09-01', '4.4'], ['2025-10-01', '.']],
    t2: [['2025-08-01', '4.3'], ['2025-09-01', '4.4'], ['2025-10-01', '.'], ['2025-11-01', '4.5']],
  },
};

let server: ReplayServer;
let when = T1;
beforeAll(async () => {
  server = await startReplayServer();
  const json = { 'content-type': 'application/json; charset=UTF-8' };
  // BLS answers with the recorded answer of another series (APU0000701111): the runner refuses it
  // as absent and reads the next source, FRED's copy.
  const blsAnswer = cassette('bls/openbb-vcr-APU0000701111-2022.cassette.yaml');
  server.route((r) => (r.method === 'POST' && r.url === '/publicAPI/v2/timeseries/data/' ? blsAnswer : undefined));
  server.route((r) => {
    const u = new URL(r.url, 'http://x');
    const entry = Object.values(ROWS).find((x) => x.fred === u.searchParams.get('series_id'));
    if (!entry || u.pathname !== '/fred/series/observations') return undefined;
    return { headers: json, body: fredAnswer(when < T2 ? entry.t1 : entry.t2) };
  });
});
afterAll(async () => { await server.close(); });

function depsFor(db: Db, now: number): FetchDeps {
  return {
    db, now: () => now,
    sources: { urls: { BLS: server.url, FRED: server.url }, apiKeys: { FRED_API_KEY: 'test-key' } },
    http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 24 }),
  };
}

/** The catalogue without one event (a copy whose series file loses it). */
function withoutEvent(eventId: string): string {
  const dir = copyOfBundledCatalogue();
  const file = join(dir, 'series', 'us-bls.yaml');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(`      - id: ${eventId}\n`);
  const end = text.indexOf('\n      - id: ', start + 1);
  if (start < 0 || end < 0) throw new Error(`no event ${eventId} in us-bls.yaml`);
  writeFileSync(file, text.slice(0, start) + text.slice(end + 1));
  return dir;
}

/** Reads the series at T1 and T2, evaluating after each: the status changes and which alert. */
async function runThrough(catalogueDir: string, id: string) {
  const { db } = loadedDb(BEFORE, catalogueDir);
  const reads = [];
  for (const t of [T1, T2]) {
    when = t;
    reads.push(await fetchSeries(depsFor(db, t), id, 'cli'));
    evaluateSeriesInStore(db, { kind: 'all' }, t);
  }
  const changes = db.select().from(flips).where(and(eq(flips.seriesId, id), eq(flips.kind, 'status'))).orderBy(asc(flips.id)).all()
    .filter((f) => f.at >= T1).map((f) => ({ to: f.toStatus, alert: f.alert, events: JSON.parse(f.eventIds) as string[] }));
  const row = db.select().from(series).where(eq(series.id, id)).get()!;
  const october = evaluateSeries(seriesFacts(db, row), T2).grid.find((c) => c.period === '2025-10')!;
  return { reads, changes, october };
}

describe.each([CPI, UNRATE])('%s read live from BLS, then FRED, around the October 2025 that will never exist', (id) => {
  const { event } = ROWS[id]!;

  it('reads FRED\'s copy when BLS\'s answer holds another series, and takes "." for October 2025 as a gap, never a value', async () => {
    const { reads } = await runThrough(BUNDLED_CATALOGUE, id);
    expect(reads.map((r) => [r.outcome, r.source])).toEqual([
      ['ok', `fred ${ROWS[id]!.fred} (mirror)`], ['ok', `fred ${ROWS[id]!.fred} (mirror)`],
    ]);
    expect(reads[0]!.gaps).toBe(1);
  });

  it('marks October 2025 cancelled by the BLS notice, and alerts only what the notice says: suspended, then back with November', async () => {
    const { changes, october } = await runThrough(BUNDLED_CATALOGUE, id);
    expect([october.state, october.eventId]).toEqual(['cancelled', event]);
    expect(changes).toEqual([
      { to: 'suspended', alert: true, events: [event] },
      // "resumed": the flip names the notice that explained the gap it ends.
      { to: 'current', alert: true, events: [event] },
    ]);
  });

  it('would call the series overdue, a false alert, without the notice', async () => {
    const { changes, october } = await runThrough(withoutEvent(event), id);
    expect(october.state).toBe('missing');
    expect(changes[0]).toMatchObject({ to: 'overdue', alert: true });
  });
});

describe('what the other world blocks ask their publishers', () => {
  const cat = loadCatalogue(BUNDLED_CATALOGUE);
  const blocks = (id: string) => {
    const s = cat.series.find((x) => x.id === id)!;
    return (Array.isArray(s.source) ? s.source : [s.source!]).map((b) => {
      const c = checkSource(b);
      if (!c.ok) throw new Error(JSON.stringify(c.problems));
      return { ...c.source, frequency: s.frequency };
    });
  };
  const ctx = (f: SourceContext['frequency'], baseUrl: string, from: string): SourceContext => ({ baseUrl, frequency: f, from, apiKey: 'KEY', now: at('2026-11-20T00:00:00Z') });

  it.each([
    ['us.bls.nonfarm_payrolls', 'PAYEMS', '2025-09', '2025-09-01'],
    ['us.bls.employment_cost_index.civilian', 'ECIALLCIV', '2025-Q3', '2025-07-01'],
  ])('%s: FRED %s from the first period wanted', (id, fredId, from, start) => {
    const [b] = blocks(id);
    const req = b!.plugin.request(b!.ref, ctx(b!.frequency, 'https://api.stlouisfed.org', from));
    expect(req.url).toBe(`https://api.stlouisfed.org/fred/series/observations?series_id=${fredId}&api_key=KEY&file_type=json&observation_start=${start}`);
  });

  it('de.destatis.retail_trade_turnover.volume: Eurostat\'s SDMX 2.1 data for STS_TRTU_M, its dimensions named, as a mirror', () => {
    const [b] = blocks('de.destatis.retail_trade_turnover.volume');
    const req = b!.plugin.request(b!.ref, ctx('monthly', 'https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1', '2024-05'));
    expect(req.url).toBe('https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/STS_TRTU_M/M.VOL_SLS.G47.SCA.I21.DE?startPeriod=2024-05');
    expect(b!.ref).toMatchObject({ dimensions: ['freq', 'indic_bt', 'nace_r2', 's_adj', 'unit', 'geo'] });
    expect(cat.series.find((s) => s.id === 'de.destatis.retail_trade_turnover.volume')!.source).toMatchObject({ role: 'mirror' });
  });
});
