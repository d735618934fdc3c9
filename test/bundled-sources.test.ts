// The bundled catalogue's live sources, each against the real recorded answers of its publisher:
// which series are watched, the NBS portal read over loopback for the series whose stored record
// makes the read ask what was recorded, and every other portal block parsed from its recording.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observations } from '../db/schema.js';
import { loadCatalogue } from '../src/catalogue/load.js';
import { fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { judgeAnswer, judgeFreshness, windowAnswer, comparePeriods } from '../src/core/index.js';
import { createHttp } from '../src/sources/http.js';
import { checkSource } from '../src/sources/registry.js';
import type { SourceAnswer, SourceContext, SourcePlugin } from '../src/sources/types.js';
import { at, BUNDLED_CATALOGUE, loadedDb } from './helpers.js';
import { startReplayServer, type ReplayServer } from './replay-server.js';
import { EXPORTS, GDP, INDUSTRY_TABLE, IVA, UNEMPLOYMENT_TABLE, URBAN, YOUTH, type Archived } from './sources/nbs-dg-recorded.js';

const NOW = at('2026-09-17T10:00:00Z');
const CATALOGUE = loadCatalogue(BUNDLED_CATALOGUE);
const blocks = (id: string) => {
  const s = CATALOGUE.series.find((x) => x.id === id)!;
  return (Array.isArray(s.source) ? s.source : s.source ? [s.source] : []);
};
const pluginOf = (id: string) => {
  const b = blocks(id)[0]!;
  const checked = checkSource(b);
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return { ...checked.source, block: b, series: CATALOGUE.series.find((x) => x.id === id)! };
};
const answer = (a: Archived): SourceAnswer => {
  const text = JSON.stringify(a.response);
  return { url: a.url, status: 200, headers: {}, body: Buffer.from(text), text, receivedAt: NOW, elapsedMs: 1, request: { url: a.url, method: 'POST', json: a.request } };
};

describe('the bundled catalogue', () => {
  it('watches these series live, from these sources and roles', () => {
    const live = CATALOGUE.series.filter((s) => s.source).map((s) => [s.id, blocks(s.id).map((b) => `${b.kind}${b.role ? ` (${b.role})` : ''}`).join(', ')]);
    expect(live).toEqual([
      ['ar.indec.cpi.national_index', 'datos_gob_ar (secondary)'],
      ['de.destatis.retail_trade_turnover.volume', 'sdmx (mirror)'],
      ['cn.gacc.trade.exports_usd_yoy', 'nbs_dg (secondary), table (secondary)'],
      ['gb.ons.lfs.unemployment_rate', 'ons'],
      ['cn.imf.total_reserves_excl_gold.monthly', 'fred (mirror)'],
      ['cn.nbs.industry.value_added_yoy', 'nbs_dg'],
      ['cn.nbs.unemployment.urban.age16_24', 'nbs_dg'],
      ['cn.nbs.unemployment.urban.age16_24_excl_students', 'nbs_dg'],
      ['cn.nbs.unemployment.urban', 'nbs_dg'],
      ['cn.nbs.unemployment.urban.age25_59', 'nbs_dg'],
      ['cn.nbs.unemployment.urban.age25_29_excl_students', 'nbs_dg'],
      ['cn.nbs.unemployment.urban.age30_59_excl_students', 'nbs_dg'],
      ['cn.nbs.gdp.real_growth_yoy.quarterly', 'nbs_dg'],
      ['cn.nbs.consumer_confidence', 'table (secondary)'],
      ['cn.safe.fx_reserves.monthly', 'table (secondary)'],
      ['cn.sse.stock_connect.northbound_daily_net_buying', 'table (secondary)'],
      ['cn.szse.stock_connect.northbound_daily_net_buying', 'table (secondary)'],
      ['cn.sse.stock_connect.northbound_daily_turnover', 'table'],
      ['cn.szse.stock_connect.northbound_daily_turnover', 'szse'],
      ['us.bls.cpi_u.all_items', 'bls, fred (mirror)'],
      ['us.bls.unemployment_rate', 'bls, fred (mirror)'],
      ['us.bls.nonfarm_payrolls', 'fred (mirror)'],
      ['us.bls.employment_cost_index.civilian', 'fred (mirror)'],
    ]);
  });

  it('keeps the old-basis youth rate, which shares the portal\'s indicator id, to the months before the break, and its successor to the new basis', () => {
    expect(blocks('cn.nbs.unemployment.urban.age16_24')[0]).toMatchObject({ indicator: 'bd6da1abb26046c2acb38aa701d90e86', until: '2023-06' });
    expect(blocks('cn.nbs.unemployment.urban.age16_24_excl_students')[0]).toMatchObject({ indicator: 'bd6da1abb26046c2acb38aa701d90e86', since: '2023-12' });
    expect(blocks('cn.nbs.unemployment.urban.age25_59')[0]).toMatchObject({ until: '2023-06' });
  });
});

describe('the bundled NBS labour series read over loopback from the recorded portal answers', () => {
  let server: ReplayServer;
  let deps: FetchDeps;
  const DG = '/dg/website/publicrelease/web/external';
  beforeAll(async () => {
    server = await startReplayServer();
    const json = { 'content-type': 'application/json;charset=UTF-8' };
    // The replay answers with the recorded answer (July to September 2026) whatever months the
    // read asks for: the portal lists every month asked, so this answer covers those three only.
    server.route((r) => {
      if (r.url === `${DG}/new/queryIndicatorsByCid?cid=ee3b7046b390415b9b7745e3d16f6052`) return { headers: json, body: JSON.stringify(UNEMPLOYMENT_TABLE.response) };
      if (r.url !== `${DG}/getEsDataByIndicatorIdAndDa`) return undefined;
      const recording = [YOUTH, URBAN].find((a) => a.request!.id === (JSON.parse(r.body) as { id: string }).id);
      return recording ? { headers: json, body: JSON.stringify(recording.response) } : undefined;
    });
    const { db } = loadedDb(NOW);
    deps = { db, now: () => NOW, sources: { urls: { NBS: server.url }, apiKeys: {} }, http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 24 }) };
  });
  afterAll(async () => { await server.close(); });

  it.each([
    ['cn.nbs.unemployment.urban.age16_24_excl_students', 'bd6da1abb26046c2acb38aa701d90e86', ['17.9', '18.9']],
    ['cn.nbs.unemployment.urban', '3888eac6062945a79c8a27e5f13d4953', ['5.2', '5.3']],
  ] as const)('finds %s\'s bundled July and August 2026 confirmed, September not yet published, and withdraws nothing', async (id, indicator, [july, august]) => {
    const r = await fetchSeries(deps, id, 'cli');
    expect(r).toMatchObject({ outcome: 'ok', added: 0, revised: 0, withdrawn: 0, unchanged: 2, gaps: 1, source: `nbs_dg ${indicator}` });
    const asked = JSON.parse(server.received.filter((x) => x.url.endsWith('getEsDataByIndicatorIdAndDa')).at(-1)!.body) as { cid: string; id: string; rootId: string; dts: string[] };
    expect([asked.cid, asked.id, asked.rootId, asked.dts.at(-1)]).toEqual(['ee3b7046b390415b9b7745e3d16f6052', indicator, 'e69d8b62991649d4b278e0445bcc0cd0', '202609MM']);
    const held = deps.db.select().from(observations).where(and(eq(observations.seriesId, id), isNull(observations.supersededAt), isNull(observations.withdrawnAt))).all();
    expect(held.filter((o) => o.period >= '2026-07').map((o) => o.valueText)).toEqual([july, august]);
  });
});

describe('the bundled NBS portal blocks against their recorded answers', () => {
  const ctx = (id: string): SourceContext => ({ baseUrl: 'https://data.stats.gov.cn', frequency: pluginOf(id).series.frequency, from: null, apiKey: null, now: NOW });
  const read = (id: string, a: Archived) => {
    const { plugin, ref, block, series } = pluginOf(id);
    const verdict = judgeAnswer((plugin as SourcePlugin<unknown>).key(ref), [(plugin as SourcePlugin<unknown>).parse(answer(a), ref, ctx(id))]);
    if (!verdict.ok) throw new Error(verdict.message);
    const f = series.frequency;
    return windowAnswer(verdict, { since: (block.since as string | undefined) ?? null, until: (block.until as string | undefined) ?? null }, (x, y) => comparePeriods(x, y, f));
  };

  it('reads industrial value added: July and August 2026 (4.5, 5.2), listed in the table under the name given', () => {
    expect(read('cn.nbs.industry.value_added_yoy', IVA).observations.map((o) => [o.period, o.valueText])).toEqual([['2026-07', '4.5'], ['2026-08', '5.2'], ['2026-09', '']]);
    const { plugin, ref } = pluginOf('cn.nbs.industry.value_added_yoy');
    expect((plugin as SourcePlugin<unknown>).parse(answer(INDUSTRY_TABLE), ref, ctx('cn.nbs.industry.value_added_yoy')).next).toMatchObject({ json: { id: 'ef1b1765960d45a29b4d7c4ca91be916' } });
  });

  it('reads GDP growth from the index with the previous year = 100: 2026-Q1 5.0, 2026-Q2 4.3', () => {
    expect(read('cn.nbs.gdp.real_growth_yoy.quarterly', GDP).observations.map((o) => [o.period, o.valueText])).toEqual([['2026-Q1', '5.0'], ['2026-Q2', '4.3'], ['2026-Q3', '']]);
  });

  it('reads exports as a secondary source: July 2026 23.9, and says nothing of GACC after it', () => {
    const w = read('cn.gacc.trade.exports_usd_yoy', EXPORTS);
    expect(w.observations.filter((o) => o.value !== null).map((o) => [o.period, o.valueText])).toEqual([['2026-07', '23.9']]);
    const { series } = pluginOf('cn.gacc.trade.exports_usd_yoy');
    const j = judgeFreshness({ role: 'secondary', frequency: 'monthly', release: series.release, now: NOW, newest: '2026-07', own: null });
    expect(j.stale).toBe(false);
  });

  it.each([
    ['cn.nbs.unemployment.urban.age25_29_excl_students', '7bc1bd5daeac48ae8bb413c34ece1d08'],
    ['cn.nbs.unemployment.urban.age30_59_excl_students', 'c03a36c9562246b6bc8aab010951ef1c'],
    ['cn.nbs.unemployment.urban.age25_59', '1061f276ce354907b0b9900c266cf851'],
  ] as const)('resolves %s by its name in the recorded table to %s', (id, indicator) => {
    const { plugin, ref } = pluginOf(id);
    expect((plugin as SourcePlugin<unknown>).parse(answer(UNEMPLOYMENT_TABLE), ref, ctx(id)).next).toMatchObject({ json: { id: indicator } });
  });

  it('keeps the 25-59 rate to its old basis: the window drops anything the indicator holds after June 2023', () => {
    // The recorded youth answer stands in for any answer of the table after the break.
    expect(read('cn.nbs.unemployment.urban.age25_59', YOUTH).observations).toEqual([]);
  });

  it('never lets the old-basis youth rate take the new basis its portal indicator carries now: the recorded 17.9 and 18.9 of 2026 fall outside its window', () => {
    expect(read('cn.nbs.unemployment.urban.age16_24_excl_students', YOUTH).observations.filter((o) => o.value !== null).map((o) => o.valueText)).toEqual(['17.9', '18.9']);
    expect(read('cn.nbs.unemployment.urban.age16_24', YOUTH).observations).toEqual([]);
  });

  it('reads the IMF\'s reserves from FRED as a mirror, stale when its copy stops (the bundled copy ends in November 2024)', () => {
    const { series } = pluginOf('cn.imf.total_reserves_excl_gold.monthly');
    expect(blocks(series.id)[0]!.role).toBe('mirror');
    expect(judgeFreshness({ role: 'mirror', frequency: 'monthly', release: series.release, now: at('2026-11-20T00:00:00Z'), newest: '2024-11', own: null }).stale).toBe(true);
  });
});
