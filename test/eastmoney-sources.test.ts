// The bundled catalogue's Eastmoney blocks (secondary sources: Eastmoney's datacenter tables of NBS's,
// SAFE's and GACC's figures) read through the whole fetch path over loopback, each replaying the
// answer Eastmoney gave in July 2026 as hanlulong/openecon-data recorded it, then every way such a
// read fails.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observations, publishers, series } from '../db/schema.js';
import { evaluateSeries } from '../src/core/index.js';
import { fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { seriesFacts } from '../src/read/facts.js';
import { createHttp } from '../src/sources/http.js';
import { at, loadedDb } from './helpers.js';
import { startReplayServer, type ReplayAnswer, type ReplayServer } from './replay-server.js';
import { eastmoneyAnswer } from './sources/eastmoney-recorded.js';

// The recording was made in mid-July 2026 (its newest daily row is 17 July).
const NOW = at('2026-07-20T02:00:00Z');
const API = '/api/data/v1/get';
const json = { 'content-type': 'application/json; charset=UTF-8' };
const CONSUMER = 'cn.nbs.consumer_confidence';
const RESERVES = 'cn.safe.fx_reserves.monthly';
const EXPORTS = 'cn.gacc.trade.exports_usd_yoy';

let server: ReplayServer;
let deps: FetchDeps;
/** What Eastmoney answers for a report; the recorded answer unless a test says otherwise. */
let answerFor: (report: string) => ReplayAnswer;

beforeAll(async () => {
  server = await startReplayServer();
  answerFor = (report) => ({ headers: json, body: eastmoneyAnswer(report) });
  server.route((r) => {
    const u = new URL(r.url, 'http://x');
    return u.pathname === API ? answerFor(u.searchParams.get('reportName') ?? '') : undefined;
  });
  const { db } = loadedDb(NOW);
  const urls = { NBS: server.url, SAFE: server.url, GACC: server.url };
  deps = { db, now: () => NOW, sources: { urls, apiKeys: {} }, http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 24 }) };
});
afterAll(async () => { await server.close(); });

const held = (id: string) => deps.db.select().from(observations)
  .where(and(eq(observations.seriesId, id), isNull(observations.supersededAt), isNull(observations.withdrawnAt))).all()
  .sort((a, b) => a.period.localeCompare(b.period));
const row = (id: string) => deps.db.select().from(series).where(eq(series.id, id)).get()!;
const stateOf = (id: string, period: string, when: number) => evaluateSeries(seriesFacts(deps.db, row(id)), when).grid.find((c) => c.period === period)?.state;
const asked = () => new URL(server.received.filter((r) => r.url.startsWith(API)).at(-1)!.url, 'http://x').searchParams;

describe('Eastmoney\'s tables as secondary sources of the bundled series', () => {
  it('reads NBS\'s consumer confidence index into 2026, where the catalogue had nothing after March 2023', async () => {
    const r = await fetchSeries(deps, CONSUMER, 'cli');
    expect(r).toMatchObject({ outcome: 'ok', added: 4, withdrawn: 0, stale: null, error: null, source: 'table CONSUMERS_FAITH_INDEX (secondary)' });
    expect(asked().get('reportName')).toBe('RPT_ECONOMY_FAITH_INDEX');
    expect(held(CONSUMER).map((o) => [o.period, o.valueText])).toEqual([['2026-02', '91.6'], ['2026-03', '90'], ['2026-04', '89'], ['2026-05', '89.9']]);
    expect(held(CONSUMER)[0]!.provenance).toMatch(/^fetch run \d+, table CONSUMERS_FAITH_INDEX \(secondary\)$/);
    expect(['2026-02', '2026-05'].map((p) => stateOf(CONSUMER, p, NOW))).toEqual(['disclosed', 'disclosed']);
    // Two months on, June is past due, but a secondary table not having it says nothing of NBS.
    expect(stateOf(CONSUMER, '2026-06', at('2026-09-20T00:00:00Z'))).toBe('unknown');
    expect((await fetchSeries(deps, CONSUMER)).outcome).toBe('no_change');
  });

  it('finds SAFE\'s reserves for March to June 2026 in 亿美元 equal to the bundled USD billions, and changes nothing', async () => {
    const before = held(RESERVES);
    const r = await fetchSeries(deps, RESERVES, 'cli');
    expect(r).toMatchObject({ outcome: 'ok', added: 0, revised: 0, withdrawn: 0, unchanged: 4, stale: null, source: 'table FOREX (secondary)' });
    expect(asked().get('reportName')).toBe('RPT_ECONOMY_GOLD_CURRENCY');
    expect(held(RESERVES)).toEqual(before);
    expect(before.filter((o) => o.period >= '2026-03' && o.period <= '2026-06').map((o) => o.valueText))
      .toEqual(['3342.1230000000005', '3410.547', '3442.238', '3416.262']);
  });

  it('reads GACC\'s exports from Eastmoney\'s customs table when NBS\'s portal refuses, and attributes them to it', async () => {
    server.route((r) => (r.url.startsWith('/dg/') ? { status: 403, headers: { reason: 'UrlACL', 'content-type': 'text/html' }, body: '<html><body>403</body></html>' } : undefined));
    const r = await fetchSeries(deps, EXPORTS, 'cli');
    expect(r.attempts.map((a) => [a.source, a.outcome])).toEqual([
      ['nbs_dg 788f44b0f310403fbd308b77d6f83890 (secondary)', 'failed'], ['table EXIT_BASE_SAME (secondary)', 'ok'],
    ]);
    expect(r).toMatchObject({ outcome: 'ok', added: 4, source: 'table EXIT_BASE_SAME (secondary)' });
    expect(asked().get('reportName')).toBe('RPT_ECONOMY_CUSTOMS');
    expect(held(EXPORTS).map((o) => [o.period, o.valueText])).toEqual([['2026-03', '2.5'], ['2026-04', '14'], ['2026-05', '19.3'], ['2026-06', '27']]);
    expect(held(EXPORTS).every((o) => o.provenance?.endsWith('table EXIT_BASE_SAME (secondary)'))).toBe(true);
  });
});

describe('a failed read of an Eastmoney table', () => {
  const recordedFaith = () => eastmoneyAnswer('RPT_ECONOMY_FAITH_INDEX');
  // Each: what Eastmoney answers, the cause named, the code, and the series' own source state after it.
  const broken: [string, () => ReplayAnswer, RegExp, string, 'ok' | 'misconfigured'][] = [
    ['a refusal (HTTP 403)', () => ({ status: 403, headers: { 'content-type': 'text/html' }, body: '<html><body>Forbidden</body></html>' }), /HTTP 403/, 'http', 'ok'],
    ['an HTML page instead of data', () => ({ headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html><body>系统维护</body></html>' }), /not JSON/, 'malformed', 'ok'],
    ['the recorded answer cut off mid-body', () => ({ headers: json, body: recordedFaith(), fault: { truncateAt: 300 } }), /api\/data\/v1\/get/, 'unreachable', 'ok'],
    ['HTTP 503', () => ({ status: 503, body: 'Service Unavailable' }), /HTTP 503/, 'http', 'ok'],
    // Another report's real answer (the PMI table) where the block's column is not.
    ['another table without the column', () => ({ headers: json, body: eastmoneyAnswer('RPT_ECONOMY_PMI') }), /CONSUMERS_FAITH_INDEX/, 'absent', 'misconfigured'],
    // An edited copy of the recorded answer: its rows taken out.
    ['a table with no rows', () => ({ headers: json, body: recordedFaith().replace(/"data":\[.*\],"pages"/, '"data":[],"pages"') }), /empty/, 'empty', 'misconfigured'],
  ];

  it.each(broken)('fails on %s, naming the source, the series and the cause, keeps every value and never turns NBS failing', async (_name, answer, cause, code, own) => {
    await fetchSeries(deps, CONSUMER, 'cli');
    const before = deps.db.select().from(observations).where(eq(observations.seriesId, CONSUMER)).all();
    answerFor = (report) => (report === 'RPT_ECONOMY_FAITH_INDEX' ? answer() : { headers: json, body: eastmoneyAnswer(report) });
    try {
      for (const hours of [1, 2]) {
        const r = await fetchSeries({ ...deps, now: () => NOW + hours * 3_600_000 }, CONSUMER, 'cli');
        expect(r).toMatchObject({ outcome: 'failed', errorCode: code });
        expect(r.error).toMatch(/^table source, series cn\.nbs\.consumer_confidence: /);
        expect(r.error).toMatch(cause);
      }
      expect(deps.db.select().from(observations).where(eq(observations.seriesId, CONSUMER)).all()).toEqual(before);
      expect(row(CONSUMER).sourceState).toBe(own);
      expect(deps.db.select({ health: publishers.health }).from(publishers).where(eq(publishers.id, 'nbs')).get()!.health).toBe('ok');
    } finally {
      answerFor = (report) => ({ headers: json, body: eastmoneyAnswer(report) });
    }
  });
});
