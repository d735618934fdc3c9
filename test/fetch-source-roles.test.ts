// Several sources for one series, their roles and windows, end to end on loopback with real
// recorded answers: the publisher's own source refused by its firewall (the refusal kept as
// evidence), a mirror read instead and its values attributed to it, a stale mirror that leaves the
// publisher's periods unknown rather than missing, and a period window on a shared indicator id.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRuns, observations, publishers, series } from '../db/schema.js';
import { fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { dueForFetch } from '../src/fetch/due.js';
import { createHttp } from '../src/sources/http.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { appAt, at, loadedDb, writeTree } from './helpers.js';
import { cassette, recorded, startReplayServer, type ReplayServer } from './replay-server.js';
import { EXPORTS, INDUSTRY_TABLE, IVA, TRADE_TABLE, UNEMPLOYMENT_TABLE, YOUTH } from './sources/nbs-dg-recorded.js';

// The recorded portal answers are of 17 September 2026, asking for July to September.
const NOW = at('2026-09-17T09:30:00Z');
const DG = '/dg/website/publicrelease/web/external';
const YOUTH_BLOCK = 'kind: nbs_dg, cid: ee3b7046b390415b9b7745e3d16f6052, root: e69d8b62991649d4b278e0445bcc0cd0';
const IVA_DG = '{ kind: nbs_dg, cid: 3f2e14f0542348ed9fe02476eca3450b, indicator: ef1b1765960d45a29b4d7c4ca91be916, root: f484811113a5470892cb52b00c2b35c2, since: 2026-07 }';
const monthly = (id: string, source: string, over = '') => `  - id: ${id}
    publisher: nbs
    title: ${id} (test)
    unit: percent
    frequency: monthly
    grid_from: 2024-01
    release: { lag_days: 17, time: "10:00", grace_days: 7, jan_feb_combined: both }
${source}${over}
`;

const CATALOGUE = writeTree({
  'publishers.yaml': `publishers:
  - { id: nbs, name: National Bureau of Statistics of China, time_zone: Asia/Shanghai }
  - { id: fed, name: Board of Governors of the Federal Reserve System, time_zone: America/New_York }
  - { id: cepii, name: CEPII, time_zone: Europe/Paris }
  - { id: gacc, name: General Administration of Customs of China, time_zone: Asia/Shanghai }
`,
  'series/s.yaml': `series:
${monthly('test.iva.fallback', `    sources:
      - ${IVA_DG}
      - { kind: nbs, db: hgyd, zb: A020101, role: mirror }`)}
${monthly('test.iva.mirror_only', '    source: { kind: nbs, db: hgyd, zb: A020101, role: mirror }')}
${monthly('test.iva.official', '    source: { kind: nbs, db: hgyd, zb: A020101 }')}
${monthly('test.iva.keyless_first', `    sources:
      - { kind: fred, series_id: TRESEGCNM052N, role: mirror }
      - { kind: nbs, db: hgyd, zb: A020101, role: mirror }`)}
${monthly('test.iva.stale_first', `    sources:
      - { kind: nbs, db: hgyd, zb: A020101, role: mirror }
      - ${IVA_DG}`)}
${monthly('test.youth.window', `    source: { ${YOUTH_BLOCK}, indicator: bd6da1abb26046c2acb38aa701d90e86, since: 2026-07, until: 2026-07 }`)}
${monthly('test.youth.by_name', `    source: { ${YOUTH_BLOCK}, indicator_name: 全国城镇16—24岁劳动力失业率, since: 2026-07 }`)}
${monthly('test.youth.unknown_name', `    source: { ${YOUTH_BLOCK}, indicator_name: 全国城镇25—34岁劳动力失业率, since: 2026-07 }`)}
  - id: test.exports
    publisher: gacc
    title: Exports y/y, read from NBS's table of GACC's figures (the bundled block, with a window from July 2026)
    unit: percent (year on year, USD terms)
    frequency: monthly
    grid_from: 2024-01
    release: { lag_days: 14, time: "23:59", grace_days: 3 }
    source: { kind: nbs_dg, role: secondary, cid: 7e11b47c828d4e4e925f1c5a98305558, indicator: 788f44b0f310403fbd308b77d6f83890, indicator_name: 出口总值同比增长, root: 73f0f0fafb31475ab48a309cc25dedd9, since: 2026-07 }
  - id: test.cepii.aes
    publisher: cepii
    title: CHELEM trade AES.AES.CAT.BA, read from DBnomics' copy (test)
    unit: USD million
    frequency: annual
    grid_from: 1967
    release: { lag_days: 365, grace_days: 90 }
    source: { kind: dbnomics, provider: CEPII, dataset: CHELEM-TRADE-CHEL, series: AES.AES.CAT.BA, role: mirror }
  - id: test.fred.cp
    publisher: fed
    title: 30-day AA asset-backed commercial paper rate, read from FRED's copy (test)
    unit: percent
    frequency: daily
    grid_from: 2024-01-01
    release: { lag_days: 1, grace_days: 3, business_days: us-fed }
    source: { kind: fred, series_id: RIFSPPAAAD30NB, role: mirror }
  - id: test.fred.cp.official
    publisher: fed
    title: The same, read as if FRED were the publisher (test)
    unit: percent
    frequency: daily
    grid_from: 2024-01-01
    release: { lag_days: 1, grace_days: 3, business_days: us-fed }
    source: { kind: fred, series_id: RIFSPPAAAD30NB }
`,
  'holidays/us-fed.yaml': recorded('../../../catalogue/holidays/us-fed.yaml').toString('utf8'),
});

let server: ReplayServer;
let deps: FetchDeps;
const json = { 'content-type': 'application/json;charset=UTF-8' };
/** A recorded portal answer, served only for the request it was recorded for. */
const portal = (a: typeof YOUTH) => (body: string) => (JSON.stringify(JSON.parse(body).dts) === JSON.stringify(a.request!.dts) ? { headers: json, body: JSON.stringify(a.response) } : undefined);

beforeAll(async () => {
  server = await startReplayServer();
  const { db } = loadedDb(NOW, CATALOGUE);
  const urls = Object.fromEntries(['NBS', 'NBS_DG', 'FED', 'FRED', 'CEPII', 'GACC'].map((k) => [k, server.url]));
  deps = { db, now: () => NOW, sources: { urls, apiKeys: { FRED_API_KEY: 'test-key' } }, http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 24 }) };
  server.on('/easyquery.htm', cassette('nbs/cnstats-vcr-hgyd-A020101-2024.cassette.yaml'));
  server.route((r) => {
    if (r.url === `${DG}/new/queryIndicatorsByCid?cid=ee3b7046b390415b9b7745e3d16f6052`) return { headers: json, body: JSON.stringify(UNEMPLOYMENT_TABLE.response) };
    if (r.url !== `${DG}/getEsDataByIndicatorIdAndDa`) return undefined;
    const asked = JSON.parse(r.body) as { id: string };
    return asked.id === 'bd6da1abb26046c2acb38aa701d90e86' ? portal(YOUTH)(r.body) : undefined;
  });
  server.on('/v22/series/CEPII/CHELEM-TRADE-CHEL/AES.AES.CAT.BA', { headers: json, body: recorded('dbnomics/cepii-CHELEM-TRADE-CHEL-dataset-series-page1-prettified-crlf.json') });
  server.on('/fred/series/observations', { headers: json, body: recorded('fred/openbb-vcr-RIFSPPAAAD30NB-observations.body.json') });
  server.on('/fred/series', { headers: json, body: recorded('fred/openbb-vcr-RIFSPPAAAD30NB-series.body.json') });
});
afterAll(async () => { await server.close(); });

const runs = (id: string) => deps.db.select().from(fetchRuns).where(eq(fetchRuns.seriesId, id)).all();
const stored = (id: string) => deps.db.select().from(observations).where(and(eq(observations.seriesId, id), isNull(observations.supersededAt))).all()
  .sort((a, b) => a.period.localeCompare(b.period));
const row = (id: string) => deps.db.select().from(series).where(eq(series.id, id)).get()!;
const state = async (id: string, period: string) => {
  evaluateSeriesInStore(deps.db, { kind: 'ids', ids: [id] }, NOW);
  const body = await (await appAt(deps.db, NOW).request(`/api/series/${id}/observations`)).json() as { periods: { period: string; state: string }[] };
  return body.periods.find((p) => p.period === period)?.state;
};

describe('sources in order of preference', () => {
  it('keeps the publisher\'s refusal as evidence, reads the mirror next, and attributes its values to it', async () => {
    // NBS's firewall refuses the portal (403 with the header it names its URL blocks by).
    server.route((r) => (r.url.startsWith(`${DG}/getEsDataByIndicatorIdAndDa`) && JSON.parse(r.body).id === 'ef1b1765960d45a29b4d7c4ca91be916'
      ? { status: 403, headers: { reason: 'UrlACL', 'content-type': 'text/html' }, body: '<html><body>403 Forbidden</body></html>' } : undefined));
    const r = await fetchSeries(deps, 'test.iva.fallback', 'cli');
    expect(r.attempts.map((a) => [a.source, a.outcome])).toEqual([
      ['nbs_dg ef1b1765960d45a29b4d7c4ca91be916', 'failed'], ['nbs A020101 (mirror)', 'ok'],
    ]);
    const [refused, mirrored] = runs('test.iva.fallback');
    expect(refused).toMatchObject({ outcome: 'failed', httpStatus: 403, sourceIndex: 0, sourceRole: 'official' });
    expect(refused!.error).toContain('HTTP 403 (reason: UrlACL)');
    const [evidence] = JSON.parse(refused!.rawHashes) as string[];
    expect(await (await appAt(deps.db, NOW).request(`/raw/${evidence}`)).text()).toBe('<html><body>403 Forbidden</body></html>');
    expect(await (await appAt(deps.db, NOW).request('/series/test.iva.fallback')).text()).toContain(`/raw/${evidence}`);

    expect(mirrored).toMatchObject({ outcome: 'ok', sourceIndex: 1, sourceRole: 'mirror', sourceLabel: 'nbs A020101 (mirror)', added: 10 });
    expect(stored('test.iva.fallback').find((o) => o.period === '2024-12')).toMatchObject({ valueText: '6.2', provenance: `fetch run ${mirrored!.id}, nbs A020101 (mirror)` });
    const api = await (await appAt(deps.db, NOW).request('/api/series/test.iva.fallback/fetch-runs')).json() as { runs: { source_role: string; source_label: string }[] };
    expect(api.runs.map((x) => [x.source_role, x.source_label])).toEqual([['mirror', 'nbs A020101 (mirror)'], ['official', 'nbs_dg ef1b1765960d45a29b4d7c4ca91be916']]);
  });

  it('calls a mirror stuck at December 2024 stale, and leaves the months after it unknown where the publisher\'s own answer would make them missing', async () => {
    await fetchSeries(deps, 'test.iva.mirror_only', 'cli');
    await fetchSeries(deps, 'test.iva.official', 'cli');
    expect(row('test.iva.mirror_only')).toMatchObject({ sourceState: 'stale', lastReadSource: 'nbs A020101 (mirror)' });
    expect(row('test.iva.mirror_only').sourceError).toBe('the mirror holds nothing after December 2024, while March 2025 was due by 2025-04-24');
    expect(row('test.iva.official').sourceState).toBe('ok');
    expect(await state('test.iva.mirror_only', '2025-06')).toBe('unknown');
    expect(await state('test.iva.official', '2025-06')).toBe('missing');
    const api = await (await appAt(deps.db, NOW).request('/api/series/test.iva.mirror_only')).json() as Record<string, unknown>;
    expect(api).toMatchObject({ source_state: 'stale', last_read_source: 'nbs A020101 (mirror)', sources: [{ kind: 'nbs', role: 'mirror' }] });
  });

  it('never lets a mirror\'s failures turn its publisher failing', async () => {
    const mirrorOnly = { ...deps, sources: { ...deps.sources, urls: { ...deps.sources.urls, NBS: 'http://127.0.0.1:9' } } };
    for (let i = 0; i < 3; i++) await fetchSeries(mirrorOnly, 'test.iva.mirror_only', 'cli');
    expect(deps.db.select({ health: publishers.health }).from(publishers).where(eq(publishers.id, 'nbs')).get()!.health).toBe('ok');
    // The publisher's own sources failing, over two of its series, do.
    for (let i = 0; i < 2; i++) for (const id of ['test.iva.official', 'test.youth.window']) await fetchSeries(mirrorOnly, id, 'cli');
    expect(deps.db.select({ health: publishers.health }).from(publishers).where(eq(publishers.id, 'nbs')).get()!.health).toBe('failing');
    await fetchSeries(deps, 'test.iva.official', 'cli');
    expect(deps.db.select({ health: publishers.health }).from(publishers).where(eq(publishers.id, 'nbs')).get()!.health).toBe('ok');
  });
});

describe('a FRED copy as a mirror', () => {
  it('reads FRED\'s own dates and calls the copy stale; the days after it stay unknown, holidays and weekends not expected', async () => {
    const r = await fetchSeries(deps, 'test.fred.cp', 'cli');
    expect(r).toMatchObject({ outcome: 'ok', source: 'fred RIFSPPAAAD30NB (mirror)' });
    expect(r.stale).toBe('the mirror holds nothing after 2024-06-25, while 2024-06-26 was due by 2024-06-30; it says it was last updated on 2024-06-26');
    expect(runs('test.fred.cp')[0]).toMatchObject({ sourceUpdatedAt: at('2024-06-26T17:04:19Z'), stale: r.stale });
    expect(row('test.fred.cp')).toMatchObject({ sourceState: 'stale', checkedAt: at('2024-06-26T17:04:19Z') });
    // FRED's "." on New Year's Day and Martin Luther King Jr. Day 2024, and a weekend: not expected.
    expect(await state('test.fred.cp', '2024-01-01')).toBe('not_expected');
    expect(await state('test.fred.cp', '2024-01-15')).toBe('not_expected');
    expect(await state('test.fred.cp', '2024-01-06')).toBe('not_expected');
    expect(await state('test.fred.cp', '2024-01-02')).toBe('disclosed');
    expect(await state('test.fred.cp', '2026-09-01')).toBe('unknown');
    // The same answer read as the publisher's own: a month with no figure is missing.
    await fetchSeries(deps, 'test.fred.cp.official', 'cli');
    expect(await state('test.fred.cp.official', '2026-09-01')).toBe('missing');
  });
});

describe('another publisher\'s table of the same figures (secondary)', () => {
  it('reads GACC\'s exports from NBS\'s portal, checked by id and name, and vouches for nothing after its newest month', async () => {
    server.route((r) => (r.url === `${DG}/new/queryIndicatorsByCid?cid=7e11b47c828d4e4e925f1c5a98305558` ? { headers: json, body: JSON.stringify(TRADE_TABLE.response) } : undefined));
    server.route((r) => (r.url === `${DG}/getEsDataByIndicatorIdAndDa` && JSON.parse(r.body).id === '788f44b0f310403fbd308b77d6f83890' ? portal(EXPORTS)(r.body) : undefined));
    const r = await fetchSeries(deps, 'test.exports', 'cli');
    expect(r).toMatchObject({ outcome: 'ok', added: 1, gaps: 2, stale: null, source: 'nbs_dg 788f44b0f310403fbd308b77d6f83890 (secondary)' });
    expect(stored('test.exports').map((o) => [o.period, o.valueText])).toEqual([['2026-07', '23.9']]);
    // August was due on 14 September; NBS's table not having it yet says nothing of GACC.
    expect(await state('test.exports', '2026-08')).toBe('unknown');
  });
});

describe('a DBnomics copy as a mirror', () => {
  it('reads DBnomics\' indexed_at and calls the copy stale: the years after its newest stay unknown', async () => {
    // The research's real case is DBnomics' IMF mirror, frozen since 2025-08-31; the recorded
    // DBnomics answer here is CEPII's, indexed on 2023-06-08, with annual values to 2021.
    const r = await fetchSeries(deps, 'test.cepii.aes', 'cli');
    expect(r).toMatchObject({ outcome: 'ok', source: 'dbnomics AES.AES.CAT.BA (mirror)', added: 55 });
    expect(r.stale).toBe('the mirror holds nothing after 2021, while 2022 was due by 2024-03-30; it says it was last updated on 2023-06-08');
    expect(row('test.cepii.aes')).toMatchObject({ sourceState: 'stale', checkedAt: at('2023-06-08T14:45:21.851Z') });
    expect(await state('test.cepii.aes', '2022')).toBe('unknown');
    expect(await state('test.cepii.aes', '2021')).toBe('disclosed');
  });
});

describe('a period window', () => {
  it('records the portal\'s values inside the window only', async () => {
    const r = await fetchSeries(deps, 'test.youth.window', 'cli');
    expect(r).toMatchObject({ outcome: 'ok', added: 1 });
    expect(stored('test.youth.window').map((o) => [o.period, o.valueText])).toEqual([['2026-07', '17.9']]);
    // The window's since is where the request starts: the recorded request, July to September.
    expect(JSON.parse(server.received.filter((x) => x.url.endsWith('getEsDataByIndicatorIdAndDa')).at(-1)!.body).dts).toEqual(['202607MM', '202608MM', '202609MM']);
  });
});

describe('an indicator named, not numbered', () => {
  it('is looked up in the table\'s catalogue at each read, then read', async () => {
    const r = await fetchSeries(deps, 'test.youth.by_name', 'cli');
    expect(r).toMatchObject({ outcome: 'ok', added: 2 });
    expect(stored('test.youth.by_name').map((o) => o.valueText)).toEqual(['17.9', '18.9']);
  });

  it('fails as misconfigured, naming what it looked for, when the catalogue lists no such name', async () => {
    const r = await fetchSeries(deps, 'test.youth.unknown_name', 'cli');
    expect(r).toMatchObject({ outcome: 'failed', errorCode: 'config' });
    expect(row('test.youth.unknown_name').sourceState).toBe('misconfigured');
    expect(row('test.youth.unknown_name').sourceError).toContain('lists no indicator named "全国城镇25—34岁劳动力失业率"; it lists: 全国城镇调查失业率 (%) (3888eac6062945a79c8a27e5f13d4953)');
  });
});

describe('a source whose API key is not set', () => {
  it('is passed over for the next, and the series stays due', async () => {
    const keyless = { ...deps, sources: { ...deps.sources, apiKeys: {} } };
    expect(dueForFetch(deps.db, NOW, {})).toContain('test.iva.keyless_first');
    const r = await fetchSeries(keyless, 'test.iva.keyless_first', 'cli');
    expect(r.attempts.map((a) => [a.source, a.outcome])).toEqual([['nbs A020101 (mirror)', 'ok']]);
  });
});

describe('a stale source first', () => {
  it('is recorded, then the next source is read, and a fresh answer makes the series\' source ok', async () => {
    server.route((r) => (r.url === `${DG}/new/queryIndicatorsByCid?cid=3f2e14f0542348ed9fe02476eca3450b` ? { headers: json, body: JSON.stringify(INDUSTRY_TABLE.response) } : undefined));
    server.route((r) => (r.url === `${DG}/getEsDataByIndicatorIdAndDa` && JSON.parse(r.body).id === 'ef1b1765960d45a29b4d7c4ca91be916' ? portal(IVA)(r.body) : undefined));
    const r = await fetchSeries(deps, 'test.iva.stale_first', 'cli');
    expect(r.attempts.map((a) => [a.source, a.outcome, a.stale !== null])).toEqual([
      ['nbs A020101 (mirror)', 'ok', true], ['nbs_dg ef1b1765960d45a29b4d7c4ca91be916', 'ok', false],
    ]);
    expect(r).toMatchObject({ source: 'nbs_dg ef1b1765960d45a29b4d7c4ca91be916', stale: null, added: 2 });
    expect(row('test.iva.stale_first')).toMatchObject({ sourceState: 'ok', sourceError: null, lastReadSource: 'nbs_dg ef1b1765960d45a29b4d7c4ca91be916' });
    const held = stored('test.iva.stale_first');
    expect(held.find((o) => o.period === '2024-12')!.provenance).toMatch(/, nbs A020101 \(mirror\)$/);
    expect(held.find((o) => o.period === '2026-08')).toMatchObject({ valueText: '5.2' });
    expect(held.find((o) => o.period === '2026-08')!.provenance).toMatch(/^fetch run \d+, nbs_dg ef1b1765960d45a29b4d7c4ca91be916$/);
  });
});

describe('the pages', () => {
  it('say on the board and the series page whether a series is watched live, from which source, and when it was last read', async () => {
    const app = appAt(deps.db, NOW);
    const board = await (await app.request('/')).text();
    expect(board).toMatch(/data-series="test\.iva\.mirror_only"[\s\S]*?watched live: nbs \(mirror\); read 2026-09-17[\s\S]*?source stale/);
    expect(board).toMatch(/data-series="test\.iva\.fallback"[\s\S]*?watched live: nbs_dg, then nbs \(mirror\); read 2026-09-17/);
    const page = await (await app.request('/series/test.iva.mirror_only')).text();
    expect(page).toContain('last read 2026-09-17 09:30 UTC from nbs A020101 (mirror)');
    expect(page).toContain('source stale');
    expect(page).toContain('the mirror holds nothing after December 2024');
  });
});
