// A planted FRED API key never leaves lacuna: after succeeding and failing fetches (one whose
// answer echoes the key) and the source alerts they raise, the key is in no row of the database,
// no page, API answer, CSV or feed, no webhook or email body, no log line and no CLI output.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../db/client.js';
import { saveChannel } from '../src/alerts/config.js';
import { parseConfig } from '../src/app/config.js';
import { jobs } from '../jobs/jobs.js';
import { runJob } from '../jobs/scheduler.js';
import { httpFromConfig, sourceSettings } from '../src/app/settings.js';
import { createLogger } from '../src/app/log.js';
import { createApp } from '../web/app.js';
import { lacuna, tempDir, writeTree } from './helpers.js';
import { recorded, startReplayServer, type ReplayServer } from './replay-server.js';
import { startSmtp, type Smtp } from './alerts/fixtures.js';

const SECRET = 'plantedFredKey0123456789abcdefXYZ';
const ID = 'us.fed.cp.aa30';
const NOW = Date.parse('2024-06-27T12:00:00Z');

let fred: ReplayServer;
let hook: Server;
let hookPort = 0;
const hookBodies: string[] = [];
let smtp: Smtp;

beforeAll(async () => {
  fred = await startReplayServer();
  hook = createServer((req, res) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => { hookBodies.push(JSON.stringify(req.headers) + b); res.writeHead(204).end(); }); });
  await new Promise<void>((ok) => hook.listen(0, '127.0.0.1', ok));
  hookPort = (hook.address() as AddressInfo).port;
  smtp = await startSmtp();
});
afterAll(async () => {
  await fred.close();
  await new Promise<void>((ok) => { hook.closeAllConnections(); hook.close(() => ok()); });
  await smtp.close();
});

describe('a planted API key', () => {
  it('appears in no output of lacuna', async () => {
    const catalogue = writeTree({
      'publishers.yaml': 'publishers:\n  - { id: fed, name: Board of Governors of the Federal Reserve System, time_zone: America/New_York }\n',
      'series/s.yaml': `series:
  - id: ${ID}
    publisher: fed
    title: 30-day AA financial commercial paper rate
    unit: percent
    frequency: daily
    grid_from: 2024-01-01
    release: { lag_days: 1, grace_days: 3 }
    source: { kind: fred, series_id: RIFSPPAAAD30NB }
`,
    });
    const env = {
      LACUNA_DB: join(tempDir(), 'lacuna.sqlite'), LACUNA_CATALOGUE: catalogue, FRED_API_KEY: SECRET,
      LACUNA_SOURCE_URL_FRED: fred.url, LACUNA_HTTP_RETRIES: '0', LACUNA_SMTP_URL: smtp.url,
      LACUNA_PUBLIC_URL: 'http://lacuna.test',
    };
    const outputs: string[] = [];
    const cli = async (args: string[]) => { const r = await lacuna(args, env, { now: NOW }); outputs.push(r.stdout, r.stderr); return r; };

    // A good read, through the CLI.
    fred.on('/fred/series/observations', { headers: { 'content-type': 'application/json' }, body: recorded('fred/openbb-vcr-RIFSPPAAAD30NB-observations.body.json') });
    expect((await cli(['fetch', ID])).code).toBe(0);
    const db = openDb(env.LACUNA_DB);
    for (const [id, kind, settings] of [['hook', 'webhook', { url: `http://127.0.0.1:${hookPort}/hook` }], ['mail', 'email', { to: 'desk@example.org' }]] as const) {
      saveChannel(db, { id, kind, settings, follows: { series: [], topics: [], publishers: [] }, digest: null, enabled: true }, 'cli', NOW);
    }
    // Then failures that raise a source alert: FRED rejecting the key and echoing it, then down.
    fred.on('/fred/series/observations',
      { status: 400, headers: { 'content-type': 'application/json' }, body: `{"error_code":400,"error_message":"Bad Request. The value for variable api_key (${SECRET}) is not registered."}` },
      { status: 503, body: `upstream down for key=${SECRET}` });
    expect((await cli(['fetch', ID])).code).toBe(1);
    // The scheduled jobs, logging at debug level, fetch again and deliver the alerts.
    const config = parseConfig(env);
    const log = createLogger('debug', (s) => { outputs.push(s); }, () => NOW);
    const deps = {
      db, now: () => NOW + 86_400_000, log, http: httpFromConfig(config), sources: sourceSettings(config), secret: config.secret,
      alerts: { publicUrl: config.publicUrl, options: { alertOnLate: false }, reminderDays: 0 },
    };
    // Two failures of the publisher in a row turn it failing: one source alert.
    for (let i = 0; i < 2; i++) {
      db.$client.prepare('UPDATE series SET next_fetch_at = NULL').run();
      await runJob(jobs.find((j) => j.name === 'fetch-due')!, deps);
    }
    for (const name of ['status-check', 'deliver-alerts']) await runJob(jobs.find((j) => j.name === name)!, deps);
    expect(hookBodies.length).toBeGreaterThan(0); // the source alert went out
    expect(smtp.mails.length).toBeGreaterThan(0);

    // Every page, API answer, CSV and feed.
    const app = createApp({ db, now: () => NOW + 86_400_000, publicUrl: 'http://lacuna.test' });
    for (const path of [
      '/', `/series/${ID}`, `/series/${ID}.csv`, '/api/series', `/api/series/${ID}`, `/api/series/${ID}/fetch-runs`,
      `/api/series/${ID}/observations`, '/alerts', '/alerts?quiet=1', '/feed.atom', `/series/${ID}/feed.atom`, '/publishers/fed/feed.atom',
      '/export.csv', '/events.csv', '/gaps', '/gaps.csv', '/disclosure', '/api/disclosure', '/calendar', `/badge/series/${ID}.json`, '/badge/publisher/fed.json',
    ]) {
      const r = await app.request(path);
      outputs.push(`${path} ${r.status} ${await r.text()}`);
    }
    // Every row of every table.
    const raw = new Database(env.LACUNA_DB, { readonly: true });
    for (const { name } of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]) {
      for (const row of raw.prepare(`SELECT * FROM "${name}"`).all()) {
        outputs.push(`${name}: ${JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('latin1') : v))}`);
      }
    }
    raw.close();
    db.$client.close();

    const everything = [...outputs, ...hookBodies, ...smtp.mails.map((m) => m.raw)].join('\n');
    expect(everything).toContain('api_key=***'); // the URL is there, redacted
    const leaks = [...outputs, ...hookBodies, ...smtp.mails.map((m) => m.raw)].filter((o) => o.includes(SECRET)).map((o) => o.slice(0, 160));
    expect(leaks).toEqual([]);
  }, 60_000);
});
