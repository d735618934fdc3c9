// Every source kind through the whole fetch path (HTTP on loopback, parse, store), each replaying
// a real recorded answer: the values stored, the gaps left as gaps, a repeat that changes nothing.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, observations } from '../db/schema.js';
import { fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { evaluateSeries } from '../src/core/index.js';
import { seriesFacts } from '../src/read/facts.js';
import { series } from '../db/schema.js';
import { createHttp } from '../src/sources/http.js';
import { at, loadedDb, writeTree } from './helpers.js';
import { cassette, recorded, startReplayServer, type ReplayServer } from './replay-server.js';

const NOW = at('2026-11-20T00:00:00Z');

const CATALOGUE = writeTree({
  'publishers.yaml': `publishers:
  - { id: fed, name: Board of Governors of the Federal Reserve System, time_zone: America/New_York }
  - { id: wb, name: World Bank, time_zone: America/New_York }
  - { id: cepii, name: CEPII, time_zone: Europe/Paris }
  - { id: ecb, name: European Central Bank, time_zone: Europe/Berlin }
  - { id: cnki, name: CNKI, time_zone: Asia/Shanghai }
  - { id: sse, name: Shanghai Stock Exchange, time_zone: Asia/Shanghai }
  - { id: szse, name: Shenzhen Stock Exchange, time_zone: Asia/Shanghai }
  - { id: bls, name: Bureau of Labor Statistics, time_zone: America/New_York, country: US }
`,
  'series/s.yaml': `series:
  - id: us.fed.cp.aa30
    publisher: fed
    title: 30-day AA financial commercial paper rate
    unit: percent
    frequency: daily
    grid_from: 2024-01-01
    release: { lag_days: 1, grace_days: 3 }
    source: { kind: fred, series_id: RIFSPPAAAD30NB }
  - id: us.bls.flour.average_price
    publisher: bls
    title: Flour, white, all purpose, per lb, U.S. city average (BLS API)
    unit: USD
    frequency: monthly
    grid_from: 2022-01
    release: { lag_days: 15, grace_days: 5 }
    source: { kind: bls, series: APU0000701111 }
  - id: us.bls.eggs.average_price
    publisher: bls
    title: Eggs, grade A, large, per dozen, U.S. city average (FRED's copy)
    unit: USD
    frequency: monthly
    grid_from: 2024-01
    release: { lag_days: 15, grace_days: 5 }
    source: { kind: fred, series_id: APU0000708111, role: mirror }
  - id: cz.wb.debt
    publisher: wb
    title: Czechia central government debt, % of GDP
    unit: percent of GDP
    frequency: annual
    grid_from: 1960
    release: { lag_days: 300, grace_days: 60 }
    source: { kind: worldbank, country: CZ, indicator: GC.DOD.TOTL.GD.ZS }
  - id: cepii.chelem.aes
    publisher: cepii
    title: CHELEM trade AES.AES.CAT.BA
    unit: USD million
    frequency: annual
    grid_from: 1967
    release: { lag_days: 365, grace_days: 90 }
    source: { kind: dbnomics, provider: CEPII, dataset: CHELEM-TRADE-CHEL, series: AES.AES.CAT.BA }
  - id: ecb.exr.usd
    publisher: ecb
    title: US dollar per euro, monthly average
    unit: USD
    frequency: monthly
    grid_from: 1999-01
    release: { lag_days: 3, grace_days: 5 }
    source: { kind: sdmx, base_url: https://data-api.ecb.europa.eu/service, flow: EXR, key: M.USD.EUR.SP00.A, format: generic }
  - id: cn.cnki.portal.access
    publisher: cnki
    title: CNKI portal, reachable from abroad (probe)
    unit: 1 = available, 0 = refused
    frequency: daily
    grid_from: 2026-11-01
    release: { lag_days: 0, grace_days: 1 }
    source: { kind: probe, url: https://cnki.invalid/yearbooks, expect_text: 统计年鉴 }
  - id: cn.wb.total_reserves
    publisher: wb
    title: China, total reserves including gold (World Bank bulk CSV, a wide table)
    unit: current US$
    frequency: annual
    grid_from: 1960
    release: { lag_days: 365, grace_days: 90 }
    source: { kind: table, url: "https://api.worldbank.org/v2/en/indicator/FI.RES.TOTL.CD?downloadformat=csv", format: csv, header_row: 5, layout: wide, row: { column: Country Code, equals: CHN }, period_format: YYYY }
  - id: cn.sse.stock_connect.northbound_daily_turnover
    publisher: sse
    title: Northbound turnover through Shanghai Connect
    unit: CNY 100 million
    frequency: daily
    grid_from: 2026-08-01
    release: { lag_days: 0, time: "23:59", grace_days: 1 }
    source:
      kind: table
      url: "https://query.sse.com.cn/commonSoaQuery.do?sqlId=FW_HGTZL_HGTSCSJ_HGTCJGK_MRTJ&tradeDate="
      format: json
      rows_path: result
      period_column: tradeDate
      period_format: YYYYMMDD
      value_column: totalAmount
      covers: listed
      headers: { Referer: "https://www.sse.com.cn/" }
  - id: cn.szse.stock_connect.northbound_daily_turnover
    publisher: szse
    title: Northbound turnover through Shenzhen Connect
    unit: CNY 100 million
    frequency: daily
    grid_from: 2026-07-01
    record_from: first_read
    release: { lag_days: 0, time: "23:59", grace_days: 1 }
    source: { kind: szse, catalog: SGT_SGTJYRB, label: 当日交易总额（亿元人民币） }
`,
});

let server: ReplayServer;
let deps: FetchDeps;

beforeAll(async () => {
  server = await startReplayServer();
  const json = { 'content-type': 'application/json; charset=UTF-8' };
  server.on('/fred/series/observations', { headers: json, body: recorded('fred/openbb-vcr-RIFSPPAAAD30NB-observations.body.json') });
  // FRED's monthly copy of a BLS average price, with the series' own metadata (its freshness as a mirror).
  server.route((r) => {
    const u = new URL(r.url, 'http://x');
    if (u.searchParams.get('series_id') !== 'APU0000708111') return undefined;
    if (u.pathname === '/fred/series/observations') return { headers: json, body: recorded('fred/openbb-vcr-APU0000708111-monthly-observations.body.json') };
    if (u.pathname === '/fred/series') return { headers: json, body: recorded('fred/openbb-vcr-APU0000708111-series.body.json') };
    return undefined;
  });
  // BLS answers a POST: the recorded answer for APU0000701111 (2022, gzip as recorded), whatever years are asked.
  const blsAnswer = cassette('bls/openbb-vcr-APU0000701111-2022.cassette.yaml');
  server.route((r) => (r.method === 'POST' && r.url === '/publicAPI/v2/timeseries/data/' && (JSON.parse(r.body) as { seriesid: string[] }).seriesid[0] === 'APU0000701111'
    ? blsAnswer : undefined));
  server.on('/v2/country/CZ/indicator/GC.DOD.TOTL.GD.ZS', { headers: json, body: recorded('worldbank/legacy-v1-CZ-GC.DOD.TOTL.GD.ZS-prettified.json') });
  server.on('/v22/series/CEPII/CHELEM-TRADE-CHEL/AES.AES.CAT.BA', { headers: json, body: recorded('dbnomics/cepii-CHELEM-TRADE-CHEL-dataset-series-page1-prettified-crlf.json') });
  server.on('/data/EXR/M.USD.EUR.SP00.A', { headers: { 'content-type': 'application/xml' }, body: recorded('sdmx/ecb-EXR-M.USD.EUR.SP00.A-genericdata.xml') });
  server.on('/v2/en/indicator/FI.RES.TOTL.CD', { headers: { 'content-type': 'text/csv' }, body: recorded('table/worldbank-bulk-FI.RES.TOTL.CD-wide.csv') });
  const db = loadedDb(NOW, CATALOGUE).db;
  const urls = Object.fromEntries(['FRED', 'BLS', 'WORLDBANK', 'DBNOMICS', 'SDMX', 'PROBE', 'TABLE', 'SZSE'].map((k) => [k, server.url]));
  deps = { db, now: () => NOW, sources: { urls, apiKeys: { FRED_API_KEY: 'test-key' } }, http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 24 }) };
});
afterAll(async () => { await server.close(); });

const stored = (id: string) => deps.db.select().from(observations)
  .where(and(eq(observations.seriesId, id), isNull(observations.supersededAt))).all()
  .sort((a, b) => a.period.localeCompare(b.period));

describe.each([
  // series, values stored, listed without a value, one stored value
  ['us.fed.cp.aa30', 22, 2, ['2024-01-02', '5.37']],
  ['us.bls.flour.average_price', 12, 0, ['2022-12', '0.522']],
  ['us.bls.eggs.average_price', 5, 0, ['2024-05', '2.699']],
  ['cz.wb.debt', 18, 35, ['2010', '35.1422970266502']],
  ['cepii.chelem.aes', 55, 0, ['2021', '1005.251046']],
  ['ecb.exr.usd', 252, 0, ['1999-01', '1.16078']],
  ['cn.wb.total_reserves', 46, 17, ['2022', '3306839412813.78']],
] as const)('fetching %s from a replayed recording', (id, count, gaps, [period, value]) => {
  it('stores the published values and leaves the listed-but-empty periods as gaps, then changes nothing on a repeat', async () => {
    const first = await fetchSeries(deps, id, 'cli');
    expect(first).toMatchObject({ outcome: 'ok', added: count, gaps, error: null });
    expect(stored(id).find((o) => o.period === period)?.valueText).toBe(value);
    expect(stored(id).every((o) => o.value !== null)).toBe(true);
    expect((await fetchSeries(deps, id)).outcome).toBe('no_change');
    expect(stored(id)).toHaveLength(count);
  });
});

describe('an availability probe', () => {
  it('records each check, and infers an access_cut event when the resource starts refusing', async () => {
    const id = 'cn.cnki.portal.access';
    server.on('/yearbooks',
      { headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<title>中国统计年鉴</title>' },
      { status: 403, headers: { 'content-type': 'text/html' }, body: 'Access denied' });
    await fetchSeries(deps, id);
    expect(stored(id).map((o) => [o.period, o.valueText])).toEqual([['2026-11-20', 'available']]);
    const later = { ...deps, now: () => NOW + 86_400_000 };
    await fetchSeries(later, id);
    expect(stored(id).map((o) => [o.period, o.value])).toEqual([['2026-11-20', 1], ['2026-11-21', 0]]);
    const evt = deps.db.select().from(events).where(eq(events.seriesId, id)).get()!;
    expect(evt).toMatchObject({ kind: 'access_cut', origin: 'inferred', date: '2026-11-21', periodFrom: '2026-11-21', title: 'Access check failed: HTTP 403' });
  });
});

describe('the exchanges that answer only with their own Referer', () => {
  // 10:00 in Beijing on Wednesday 5 August 2026: the day's SZSE report is not out yet.
  const morning = () => ({ ...deps, now: () => Date.parse('2026-08-05T02:00:00Z') });
  const json = { 'content-type': 'application/json;charset=UTF-8' };

  it("reads SSE's one-day answer with the Referer the block declares, and covers only that day", async () => {
    const id = 'cn.sse.stock_connect.northbound_daily_turnover';
    server.route((r) => (new URL(r.url, 'http://x').pathname === '/commonSoaQuery.do'
      ? (r.headers.referer === 'https://www.sse.com.cn/' ? { headers: json, body: recorded('sse/worldmonitor-sse-northbound-daily-20260804.json') } : { status: 403, body: 'no referer' })
      : undefined));
    expect(await fetchSeries(morning(), id, 'cli')).toMatchObject({ outcome: 'ok', added: 1, withdrawn: 0, error: null });
    expect(stored(id).map((o) => [o.period, o.value, o.valueText])).toEqual([['2026-08-04', 1354.49, '1,354.49']]);
  });

  it("walks back from SZSE's unpublished day to the last one published, with the exchange's Referer on every request", async () => {
    const id = 'cn.szse.stock_connect.northbound_daily_turnover';
    server.route((r) => {
      const u = new URL(r.url, 'http://x');
      if (u.pathname !== '/api/report/ShowReport/data') return undefined;
      if (r.headers.referer !== 'https://www.szse.cn/') return { status: 403, body: 'no referer' };
      const day = u.searchParams.get('txtDate');
      const file = day === '2026-08-05' ? 'szse/worldmonitor-szse-SGT_SGTJYRB-20260805-unpublished.json' : day === '2026-08-04' ? 'szse/worldmonitor-szse-SGT_SGTJYRB-20260804.json' : null;
      return file ? { headers: json, body: recorded(file) } : { status: 404, body: 'no such day recorded' };
    });
    expect(await fetchSeries(morning(), id, 'cli')).toMatchObject({ outcome: 'ok', added: 1, error: null });
    expect(stored(id).map((o) => [o.period, o.valueText])).toEqual([['2026-08-04', '1,609.09']]);
    const asked = server.received.filter((r) => r.url.startsWith('/api/report/ShowReport/data')).map((r) => new URL(r.url, 'http://x').searchParams.get('txtDate'));
    expect(asked).toEqual(['2026-08-05', '2026-08-04']);
    expect((await fetchSeries(morning(), id)).outcome).toBe('no_change');
  });

  it('judges a latest-only source from its first live read on: earlier days are unknown to lacuna, not missing', async () => {
    const id = 'cn.szse.stock_connect.northbound_daily_turnover';
    const row = deps.db.select().from(series).where(eq(series.id, id)).get()!;
    const grid = evaluateSeries(seriesFacts(deps.db, row), Date.parse('2026-08-07T02:00:00Z')).grid;
    const state = (p: string) => grid.find((c) => c.period === p)?.state;
    // The first read (the test above, on 5 August at 10:00 in Beijing) brought 2026-08-04; the weeks
    // before it were never read, and 5 August was due after that read.
    expect([state('2026-07-15'), state('2026-08-03'), state('2026-08-04'), state('2026-08-05')]).toEqual(['unknown', 'unknown', 'disclosed', 'unknown']);
  });
});
