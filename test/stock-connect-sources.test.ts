// Northbound Stock Connect net buying, watched through Eastmoney's northbound history
// (RPT_MUTUAL_DEAL_HISTORY, a secondary source) over loopback: the rows of the Shanghai link that
// Im-Midi/rust-stock kept from a request of 12 June 2026 (NET_DEAL_AMT null, as for every day since
// the exchanges stopped the split on 19 August 2024), and the whole answer for the combined channel
// (MUTUAL_TYPE 005) that tonywxx/adaq-data-stock-cn recorded in August 2026. The exchanges' days
// off are not expected days (holidays/cn-exchanges.yaml).
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { observations, series } from '../db/schema.js';
import { evaluateSeries } from '../src/core/index.js';
import { fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { seriesFacts } from '../src/read/facts.js';
import { createHttp } from '../src/sources/http.js';
import { at, loadedDb } from './helpers.js';
import { recorded, startReplayServer, type ReplayAnswer, type ReplayServer } from './replay-server.js';

const NOW = at('2026-06-12T02:00:00Z');
const API = '/api/data/v1/get';
const json = { 'content-type': 'application/json; charset=UTF-8' };
const SSE = 'cn.sse.stock_connect.northbound_daily_net_buying';
const SZSE = 'cn.szse.stock_connect.northbound_daily_net_buying';
const SHANGHAI_ROWS = recorded('eastmoney/rust-stock-north-history-001.json').toString('utf8');
const COMBINED = recorded('eastmoney/adaq-hsgt_hist_em-005.json').toString('utf8');

let server: ReplayServer;
let deps: FetchDeps;
let answer: () => ReplayAnswer;

beforeAll(async () => {
  server = await startReplayServer();
  server.route((r) => (new URL(r.url, 'http://x').pathname === API ? answer() : undefined));
});
afterAll(async () => { await server.close(); });
beforeEach(() => {
  answer = () => ({ headers: json, body: SHANGHAI_ROWS });
  const { db } = loadedDb(NOW);
  deps = { db, now: () => NOW, sources: { urls: { SSE: server.url, SZSE: server.url }, apiKeys: {} }, http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 24 }) };
});

const held = (id: string) => deps.db.select().from(observations)
  .where(and(eq(observations.seriesId, id), isNull(observations.supersededAt), isNull(observations.withdrawnAt))).all()
  .sort((a, b) => a.period.localeCompare(b.period));
const row = (id: string) => deps.db.select().from(series).where(eq(series.id, id)).get()!;
const grid = (id: string, when: number) => evaluateSeries(seriesFacts(deps.db, row(id)), when).grid;
const stateOf = (id: string, period: string, when = NOW) => grid(id, when).find((c) => c.period === period)?.state;
const asked = () => new URL(server.received.filter((r) => r.url.startsWith(API)).at(-1)!.url, 'http://x').searchParams;

describe('northbound net buying from Eastmoney\'s history', () => {
  it('asks for the Shanghai link\'s rows and records the days it lists without net buying as gaps the discontinuation explains', async () => {
    const r = await fetchSeries(deps, SSE, 'cli');
    expect(r).toMatchObject({ outcome: 'ok', added: 0, withdrawn: 0, gaps: 3, error: null, source: 'table NET_DEAL_AMT (MUTUAL_TYPE = 001) (secondary)' });
    expect(asked().get('reportName')).toBe('RPT_MUTUAL_DEAL_HISTORY');
    expect(asked().get('filter')).toBe('(MUTUAL_TYPE="001")');
    expect(held(SSE).filter((o) => o.valueText !== null)).toEqual([]);
    expect(['2026-06-09', '2026-06-10', '2026-06-11'].map((p) => stateOf(SSE, p))).toEqual(['discontinued', 'discontinued', 'discontinued']);
  });

  it('records net buying that comes back, in CNY 100 million, and the series is no longer dark', async () => {
    // The recorded rows with a figure put back into the newest day (-2,568.22 百万元 is the
    // Shanghai link's last published net buying, for 16 August 2024, as rootSunc/CNEquity quotes it).
    answer = () => ({ headers: json, body: SHANGHAI_ROWS.replace('"TRADE_DATE":"2026-06-11 00:00:00","NET_DEAL_AMT":null', '"TRADE_DATE":"2026-06-11 00:00:00","NET_DEAL_AMT":-2568.22') });
    const r = await fetchSeries(deps, SSE, 'cli');
    expect(r).toMatchObject({ outcome: 'ok', added: 1, gaps: 2 });
    expect(held(SSE).filter((o) => o.valueText !== null).map((o) => [o.period, Number(o.valueText)])).toEqual([['2026-06-11', -25.6822]]);
    expect(stateOf(SSE, '2026-06-11')).not.toBe('discontinued');
    expect(stateOf(SSE, '2026-06-11')).toMatch(/^(disclosed|resumed)/);
  });

  it('does not expect a figure on a weekend or on an exchange holiday', () => {
    // 2026-06-13/14 are a weekend; 2026-06-19 is the Dragon Boat closure in the exchanges' notice.
    const when = at('2026-06-30T00:00:00Z');
    expect(['2026-06-13', '2026-06-14', '2026-06-19'].map((p) => stateOf(SSE, p, when))).toEqual(['not_expected', 'not_expected', 'not_expected']);
    expect(stateOf(SSE, '2026-06-15', when)).toBe('discontinued');
  });

  it('reads the combined channel\'s answer as one without the series, keeps the record and turns nothing dark', async () => {
    await fetchSeries(deps, SSE, 'cli');
    const before = deps.db.select().from(observations).where(eq(observations.seriesId, SSE)).all();
    answer = () => ({ headers: json, body: COMBINED });
    const r = await fetchSeries({ ...deps, now: () => NOW + 3_600_000 }, SSE, 'cli');
    expect(r).toMatchObject({ outcome: 'failed', errorCode: 'absent' });
    expect(r.error).toMatch(/MUTUAL_TYPE = 001/);
    expect(r.error).toMatch(/MUTUAL_TYPE = 005/);
    expect(deps.db.select().from(observations).where(eq(observations.seriesId, SSE)).all()).toEqual(before);
    expect(row(SSE).sourceState).toBe('misconfigured');
  });

  it('asks for the Shenzhen link by its own code, and the Shanghai link\'s rows are not its answer', async () => {
    const r = await fetchSeries(deps, SZSE, 'cli');
    expect(asked().get('filter')).toBe('(MUTUAL_TYPE="003")');
    expect(r).toMatchObject({ outcome: 'failed', errorCode: 'absent', added: 0, withdrawn: 0 });
    expect(r.error).toMatch(/^table source, series cn\.szse\.stock_connect\.northbound_daily_net_buying: /);
    expect(held(SZSE)).toEqual([]);
  });
});
