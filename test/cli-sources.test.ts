// `lacuna sources check` as an operator runs it after deploying: in-process, against the loopback
// replay server playing real recorded answers and the failures it must name.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../db/client.js';
import { fetchRuns, observations } from '../db/schema.js';
import { at, lacuna, tempDir, writeTree } from './helpers.js';
import { cassette, startReplayServer, type ReplayServer } from './replay-server.js';
import { UNEMPLOYMENT_TABLE, YOUTH } from './sources/nbs-dg-recorded.js';

const NOW = at('2026-09-17T09:30:00Z');
const DG = '/dg/website/publicrelease/web/external';
const UNEMPLOYMENT = 'kind: nbs_dg, cid: ee3b7046b390415b9b7745e3d16f6052, root: e69d8b62991649d4b278e0445bcc0cd0, since: 2026-07';
const entry = (id: string, publisher: string, source: string, frequency = 'monthly', grid = '2024-01') => `  - id: ${id}
    publisher: ${publisher}
    title: ${id} (test)
    unit: percent
    frequency: ${frequency}
    grid_from: ${grid}
    release: { lag_days: 17, grace_days: 7 }
    ${source}
`;
const CATALOGUE = writeTree({
  'publishers.yaml': `publishers:
  - { id: nbs, name: National Bureau of Statistics of China, time_zone: Asia/Shanghai }
  - { id: fed, name: Federal Reserve, time_zone: America/New_York }
  - { id: gone, name: A publisher that cannot be reached, time_zone: UTC }
`,
  'series/s.yaml': `series:
${entry('test.youth', 'nbs', `source: { ${UNEMPLOYMENT}, indicator: bd6da1abb26046c2acb38aa701d90e86 }`)}${entry('test.iva', 'nbs', `sources:
      - { kind: nbs_dg, cid: 3f2e14f0542348ed9fe02476eca3450b, indicator: ef1b1765960d45a29b4d7c4ca91be916, root: f484811113a5470892cb52b00c2b35c2 }
      - { kind: nbs, db: hgyd, zb: A020101, role: mirror }`)}${entry('test.named', 'nbs', `source: { ${UNEMPLOYMENT}, indicator_name: 全国城镇25—34岁劳动力失业率 }`)}${entry('test.fred', 'fed', 'source: { kind: fred, series_id: TRESEGCNM052N, role: mirror }')}${entry('test.gone', 'gone', 'source: { kind: table, url: "https://gone.invalid/t.csv", format: csv, period_column: month, value_column: v }')}`,
});

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
  const json = { 'content-type': 'application/json;charset=UTF-8' };
  server.on('/easyquery.htm', cassette('nbs/cnstats-vcr-hgyd-A020101-2024.cassette.yaml'));
  server.route((r) => {
    if (r.url === `${DG}/new/queryIndicatorsByCid?cid=ee3b7046b390415b9b7745e3d16f6052`) return { headers: json, body: JSON.stringify(UNEMPLOYMENT_TABLE.response) };
    if (r.url !== `${DG}/getEsDataByIndicatorIdAndDa`) return undefined;
    const asked = JSON.parse(r.body) as { id: string; dts: string[] };
    if (asked.id === 'bd6da1abb26046c2acb38aa701d90e86' && JSON.stringify(asked.dts) === JSON.stringify(YOUTH.request!.dts)) return { headers: json, body: JSON.stringify(YOUTH.response) };
    // NBS's firewall, as it answers the old and new endpoints from some vantage points.
    return { status: 403, headers: { reason: 'UrlACL', 'content-type': 'text/html' }, body: '<html><body>403</body></html>' };
  });
});
afterAll(async () => { await server.close(); });

const env = (db: string) => ({
  LACUNA_DB: db, LACUNA_CATALOGUE: CATALOGUE, LACUNA_SOURCE_URL_NBS: server.url, LACUNA_SOURCE_URL_GONE: 'http://127.0.0.1:9',
  LACUNA_HTTP_RETRIES: '0', LACUNA_HTTP_TIMEOUT_MS: '2000', LACUNA_HTTP_HOST_SPACING_MS: '0',
});

describe('lacuna sources check', () => {
  it('tries every source once and prints its state, newest period and time, writing nothing', async () => {
    const db = join(tempDir(), 'lacuna.sqlite');
    const r = await lacuna(['sources', 'check'], env(db), { now: NOW });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SERIES\s+SOURCE\s+STATE\s+LATEST\s+TOOK\s+NOTE$/);
    const row = (series: string, source: string) => lines.find((l) => l.startsWith(`${series} `) && l.includes(source))!.split(/\s{2,}/);
    expect(row('test.youth', 'nbs_dg bd6da1ab').slice(0, 4)).toEqual(['test.youth', 'nbs_dg bd6da1abb26046c2acb38aa701d90e86', 'ok', '2026-08']);
    expect(row('test.youth', 'nbs_dg bd6da1ab')[4]).toMatch(/^\d+ ms$/);
    expect(row('test.iva', 'nbs_dg ef1b').slice(2, 4)).toEqual(['blocked', '-']);
    expect(row('test.iva', 'nbs_dg ef1b')[5]).toContain('HTTP 403 (reason: UrlACL)');
    expect(row('test.iva', 'nbs A020101 (mirror)').slice(2, 4)).toEqual(['stale', '2024-12']);
    expect(row('test.iva', 'nbs A020101 (mirror)')[5]).toContain('the mirror holds nothing after December 2024');
    expect(row('test.named', 'nbs_dg').slice(2, 4)).toEqual(['misconfigured', '-']);
    expect(row('test.named', 'nbs_dg')[5]).toContain('lists no indicator named "全国城镇25—34岁劳动力失业率"');
    expect(row('test.fred', 'fred').slice(2)).toEqual(['misconfigured', '-', '0 ms', 'FRED_API_KEY is not set']);
    expect(row('test.gone', 'table').slice(2, 4)).toEqual(['failing', '-']);
    expect(lines.at(-1)).toBe('6 sources checked: 1 ok, 1 stale, 1 blocked, 1 failing, 2 misconfigured (nothing written)');
    const store = openDb(db);
    expect([store.select().from(fetchRuns).all().length, store.select().from(observations).all().length]).toEqual([0, 0]);
    store.$client.close();
  });

  it('is what lacuna fetch then records: the mirror read after the refusal, said to be stale', async () => {
    const db = join(tempDir(), 'lacuna.sqlite');
    const r = await lacuna(['fetch', 'test.iva'], env(db), { now: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('test.iva: 10 added, 0 revised, 0 withdrawn, 2 listed without a value; from nbs A020101 (mirror) (nbs_dg ef1b1765960d45a29b4d7c4ca91be916: failed); source stale: the mirror holds nothing after December 2024');
  });

  it('checks only the series named, and refuses one without a source', async () => {
    const db = join(tempDir(), 'lacuna.sqlite');
    const r = await lacuna(['sources', 'check', 'test.youth'], env(db), { now: NOW });
    expect([r.code, r.stdout.trim().split('\n').length]).toEqual([0, 3]);
    const bad = await lacuna(['sources', 'check', 'no.such.series'], env(db), { now: NOW });
    expect([bad.code, bad.stderr]).toEqual([2, 'lacuna: no such series with a source: no.such.series\n']);
  });
});
