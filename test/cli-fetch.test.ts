// `lacuna fetch`, `--dry-run` and `backfill` as a user runs them (in-process through buildCli, and
// once as a child process killed mid-fetch): a real SQLite file, the NBS source pointed at a
// loopback server replaying a recorded answer.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../db/client.js';
import { fetchRuns, observations } from '../db/schema.js';
import { closeInterruptedRuns } from '../src/fetch/runner.js';
import { industryCatalogue, INDUSTRY_ID, lacuna, ROOT, tempDir, writeTree } from './helpers.js';
import { cassette, startReplayServer, type ReplayServer } from './replay-server.js';

const BIN = join(ROOT, 'bin', 'lacuna.mjs');
const ID = INDUSTRY_ID;
const CATALOGUE = industryCatalogue();
const RECORDED = cassette('nbs/cnstats-vcr-hgyd-A020101-2024.cassette.yaml');

let server: ReplayServer;
beforeAll(async () => { server = await startReplayServer(); });
afterAll(async () => { await server.close(); });

function env() {
  return {
    LACUNA_DB: join(tempDir(), 'lacuna.sqlite'), LACUNA_CATALOGUE: CATALOGUE,
    LACUNA_SOURCE_URL_NBS: server.url, LACUNA_HTTP_RETRIES: '0', LACUNA_HTTP_TIMEOUT_MS: '2000',
  };
}


describe('lacuna fetch', () => {
  it('--dry-run prints what the source answers, parsed, as CSV, and writes nothing', async () => {
    server.on('/easyquery.htm', RECORDED);
    const e = env();
    const r = await lacuna(['fetch', '--dry-run', ID], e);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe('series_id,period,value,kind,obs_status');
    expect(lines).toContain(`${ID},2024-01,,listed without a value,`);
    expect(lines).toContain(`${ID},2024-12,6.2,value,`);
    expect(r.stderr).toMatch(/12 periods from http:\/\/127\.0\.0\.1:\d+\/easyquery\.htm; unit % \(dry run: nothing written\)/);
    const db = openDb(e.LACUNA_DB);
    expect(db.select().from(observations).all()).toHaveLength(0);
    expect(db.select().from(fetchRuns).all()).toHaveLength(0);
    db.$client.close();
  });

  it('stores the values, says so per series, and reports no change the second time', async () => {
    server.on('/easyquery.htm', RECORDED);
    const e = env();
    const first = await lacuna(['fetch'], e);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${ID}: 10 added, 0 revised, 0 withdrawn, 2 listed without a value`);
    const again = await lacuna(['fetch', ID], e);
    expect(again.stdout).toContain(`${ID}: no change`);
    const back = await lacuna(['backfill', ID], e);
    expect(back.code).toBe(0);
    const db = openDb(e.LACUNA_DB);
    expect(db.select().from(fetchRuns).all().map((r) => r.trigger)).toEqual(['cli', 'cli', 'backfill']);
    db.$client.close();
  });

  it('exits 1 naming the source, series and cause when the publisher answers with an error', async () => {
    server.on('/easyquery.htm', cassette('nbs/cnstats-vcr-hgyd-invalid-zb-returncode-501.cassette.yaml'));
    const r = await lacuna(['fetch'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${ID}: FAILED: nbs source, series ${ID}: NBS A020101: returncode 501: 对不起，未能找到符合查询条件的信息。`);
  });

  it('refuses a series whose API key is not set, and leaves it out of a fetch of everything', async () => {
    const dir = writeTree({
      'publishers.yaml': 'publishers:\n  - { id: imf, name: International Monetary Fund, time_zone: UTC }\n',
      'series/reserves.yaml': `series:
  - id: cn.reserves
    publisher: imf
    title: Total reserves excluding gold
    unit: USD
    frequency: monthly
    grid_from: 2024-01
    release: { lag_days: 40, time: "00:00", grace_days: 14 }
    source: { kind: fred, series_id: TRESEGCNM052N }
`,
    });
    const e = { ...env(), LACUNA_CATALOGUE: dir, FRED_API_KEY: '' } as Record<string, string>;
    const named = await lacuna(['fetch', 'cn.reserves'], e);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('lacuna: cn.reserves needs FRED_API_KEY, which is not set');
    const all = await lacuna(['fetch'], e);
    expect(all.code).toBe(0);
    expect(all.stderr).toContain('FRED_API_KEY is not set: 1 series will not be fetched (cn.reserves)');
    expect(all.stdout).toContain('0 fetched: 0 ok, 0 unchanged, 0 failed'); // nothing read, no failure against the publisher
  });

  it('refuses an unknown series id, listing those it knows', async () => {
    const r = await lacuna(['fetch', 'no.such.series'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no such series with a source: no.such.series (series with a source: ${ID})`);
  });

  it('leaves the database consistent when killed mid-fetch, and the next run does the work', async () => {
    const e = { ...env(), LACUNA_HTTP_TIMEOUT_MS: '60000' };
    server.on('/easyquery.htm', { fault: 'hang' });
    const seen = server.received.length;
    const child = spawn('node', [BIN, 'fetch'], { env: { ...process.env, ...e }, cwd: ROOT, stdio: 'ignore' });
    for (let i = 0; i < 200 && server.received.length === seen; i++) await new Promise((ok) => setTimeout(ok, 50));
    child.kill('SIGKILL');
    await new Promise((ok) => child.once('exit', ok));

    const db = openDb(e.LACUNA_DB);
    expect(db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.select().from(observations).all()).toHaveLength(0);
    const [orphan] = db.select().from(fetchRuns).all();
    expect(orphan).toMatchObject({ outcome: null, finishedAt: null });
    expect(closeInterruptedRuns(db, Date.now() + 16 * 60_000)).toBe(1);
    db.$client.close();

    server.on('/easyquery.htm', RECORDED);
    const r = await lacuna(['fetch'], e);
    expect(r.stdout).toContain(`${ID}: 10 added`);
  });
});
