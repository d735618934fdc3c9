// Alerts end to end on the bundled catalogue: a series read from NBS (replayed on loopback) goes
// overdue and comes back; a real webhook receiver and a real SMTP server get each alert once,
// including a receiver that was down; the Atom feed says the same. The clock is injected.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, flips } from '../db/schema.js';
import { saveChannel } from '../src/alerts/config.js';
import { deliverDue } from '../src/alerts/outbox.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { createHttp } from '../src/sources/http.js';
import { createApp } from '../web/app.js';
import { at, bundledCatalogueWithOldPortal, loadedDb } from './helpers.js';

// The bundled catalogue, its industry series read from the old portal whose recorded answers are replayed.
const BUNDLED_CATALOGUE = bundledCatalogueWithOldPortal();
import { cassette, startReplayServer, type ReplayServer } from './replay-server.js';
import { startSmtp, type Smtp } from './alerts/fixtures.js';

const ID = 'cn.nbs.industry.value_added_yoy';
const T0 = at('2025-01-20T04:00:00Z'); // December 2024 is out
// January and February are never owed on their own (the combined release: jan_feb_combined both).
const T1 = at('2025-04-26T00:00:00Z'); // March 2025 was due 17 April, grace ended 24 April
const T2 = at('2025-05-01T00:00:00Z'); // it comes out
const RECORDED_2024 = cassette('nbs/cnstats-vcr-hgyd-A020101-2024.cassette.yaml');

/** The recorded answer plus a March 2025 node: an edited copy standing for the late release. */
function withMarch2025() {
  const doc = JSON.parse(RECORDED_2024.body!.toString('utf8'));
  const dec = doc.returndata.datanodes[0];
  doc.returndata.datanodes.unshift({
    ...dec, code: 'zb.A020101_sj.202503', wds: [{ valuecode: 'A020101', wdcode: 'zb' }, { valuecode: '202503', wdcode: 'sj' }],
  });
  return { ...RECORDED_2024, body: JSON.stringify(doc) };
}

interface Hook { server: Server; port: number; bodies: { headers: Record<string, unknown>; body: any }[]; up: boolean }

async function startHook(port = 0): Promise<Hook> {
  const hook: Hook = { server: null as never, port, bodies: [], up: true };
  hook.server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      hook.bodies.push({ headers: req.headers, body: JSON.parse(data) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => hook.server.listen(port, '127.0.0.1', ok));
  hook.port = (hook.server.address() as AddressInfo).port;
  return hook;
}
const stopHook = (h: Hook) => new Promise<void>((ok) => { h.server.closeAllConnections(); h.server.close(() => ok()); });

let nbs: ReplayServer;
let hook: Hook;
let smtp: Smtp;

beforeAll(async () => {
  nbs = await startReplayServer();
  hook = await startHook();
  smtp = await startSmtp();
});
afterAll(async () => {
  await nbs.close();
  await stopHook(hook);
  await smtp.close();
});

describe('alerts on the bundled data', () => {
  it('sends one overdue alert, then one resumed, to a webhook that was down at the time and to email, and lists both in the feed', async () => {
    const { db } = loadedDb(T0, BUNDLED_CATALOGUE);
    saveChannel(db, { id: 'desk', kind: 'webhook', settings: { url: `http://127.0.0.1:${hook.port}/hook` }, follows: { series: [ID], topics: [], publishers: [] }, digest: null, enabled: true }, 'cli', T0);
    saveChannel(db, { id: 'mail', kind: 'email', settings: { to: 'desk@example.org' }, follows: { series: [], topics: ['industry'], publishers: [] }, digest: null, enabled: true }, 'cli', T0);
    let now = T0;
    const env = { LACUNA_SOURCE_URL_NBS: nbs.url, LACUNA_SMTP_URL: smtp.url };
    const fetchDeps: FetchDeps = { db, now: () => now, sources: { urls: { NBS: nbs.url }, apiKeys: {} }, http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 20 }) };
    const deliver = () => deliverDue({ db, now: () => now, secret: (n) => (env as Record<string, string>)[n], publicUrl: 'http://lacuna.test' });

    nbs.on('/easyquery.htm', RECORDED_2024);
    await fetchSeries(fetchDeps, ID);
    expect(await deliver()).toEqual({ sent: 0, retrying: 0, disabled: [] }); // the first evaluation is quiet

    now = T1;
    const r1 = await fetchSeries(fetchDeps, ID); // the same answer: nothing new from NBS
    expect(r1.outcome).toBe('no_change');
    expect(r1.flips.map((f) => [f.from, f.to])).toEqual([['current', 'overdue']]);
    expect(await deliver()).toEqual({ sent: 2, retrying: 0, disabled: [] });
    now = T1 + 3_600_000;
    evaluateSeriesInStore(db, { kind: 'all' }, now);
    await fetchSeries(fetchDeps, ID);
    expect(await deliver()).toEqual({ sent: 0, retrying: 0, disabled: [] });
    expect(hook.bodies).toHaveLength(1);
    const overdue = hook.bodies[0]!.body.alerts[0];
    expect(overdue).toMatchObject({ kind: 'status', from: 'current', to: 'overdue', period: '2025-03', series: { id: ID } });
    expect(overdue.text).toContain('March 2025 was due by 2025-04-17');
    expect(hook.bodies[0]!.headers['webhook-id']).toBe(`lacuna-flip-${overdue.flip_id}`);

    // The receiver goes down; the release comes; the alert waits and is sent once when it is back.
    const port = hook.port;
    await stopHook(hook);
    now = T2;
    nbs.on('/easyquery.htm', withMarch2025());
    const r2 = await fetchSeries(fetchDeps, ID);
    expect(r2.flips.map((f) => [f.from, f.to, f.resumed])).toEqual([['overdue', 'current', true]]);
    expect(await deliver()).toEqual({ sent: 1, retrying: 1, disabled: [] }); // email went; the webhook will retry
    now = T2 + 30_000;
    expect(await deliver()).toEqual({ sent: 0, retrying: 0, disabled: [] }); // backoff: not yet
    hook = await startHook(port);
    now = T2 + 5 * 60_000;
    expect(await deliver()).toEqual({ sent: 1, retrying: 0, disabled: [] });
    now = T2 + 60 * 60_000;
    expect(await deliver()).toEqual({ sent: 0, retrying: 0, disabled: [] });
    expect(hook.bodies.map((b) => [b.body.alerts[0].to, b.body.alerts[0].resumed])).toEqual([['current', true]]);

    const mails = smtp.mails.map((m) => m.raw);
    expect(mails).toHaveLength(2);
    expect(mails[0]).toMatch(/Subject: Overdue: Value added of industry/);
    expect(mails[1]).toMatch(/Subject: Resumed: Value added of industry/);
    // Quoted-printable breaks long lines with a soft "=" line break: join them first.
    expect(mails[1]!.replace(/=\r\n/g, '')).toContain(`http://lacuna.test/series/${ID}#chart`);

    const alertFlips = db.select().from(flips).where(eq(flips.alert, true)).all();
    expect(alertFlips.filter((f) => f.seriesId === ID).map((f) => f.toStatus)).toEqual(['overdue', 'current']);
    expect(db.select().from(deliveries).all().every((d) => d.state === 'sent')).toBe(true);

    const feed = await (await createApp({ db, now: () => now, publicUrl: 'http://lacuna.test' }).request(`/series/${ID}/feed.atom`)).text();
    expect(feed.match(/<entry>/g)).toHaveLength(2);
    expect(feed).toContain('Resumed: Value added of industry');
    expect(feed).toContain('Overdue: Value added of industry');
    const page = await (await createApp({ db, now: () => now }).request('/alerts')).text();
    expect(page).toContain(`flip-${overdue.flip_id}`);
  });

  it('raises one source alert for a failing publisher, not one per series, and one when it answers again', async () => {
    const { db } = loadedDb(T0, BUNDLED_CATALOGUE);
    saveChannel(db, { id: 'desk', kind: 'webhook', settings: { url: `http://127.0.0.1:${hook.port}/hook` }, follows: { series: [], topics: [], publishers: ['nbs'] }, digest: null, enabled: true }, 'cli', T0);
    const fetchDeps: FetchDeps = { db, now: () => T1, sources: { urls: { NBS: nbs.url }, apiKeys: {} }, http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 20 }) };
    // NBS is down for every request, old portal and new: two of its series fail.
    nbs.route(() => ({ status: 503, body: 'down' }));
    await fetchSeries(fetchDeps, ID);
    await fetchSeries(fetchDeps, 'cn.nbs.unemployment.urban');
    // While the source fails, the series is not called overdue on lacuna's own failure.
    // Its status says lacuna holds no record (unchecked, no record), which alerts no one.
    const statusFlips = db.select().from(flips).where(eq(flips.kind, 'status')).all().filter((f) => f.seriesId === ID);
    expect(statusFlips.filter((f) => f.alert || !['unchecked', 'no_record'].includes(f.toStatus))).toEqual([]);
    nbs.on('/easyquery.htm', RECORDED_2024);
    await fetchSeries(fetchDeps, ID);
    const source = db.select().from(flips).where(eq(flips.kind, 'source')).all();
    expect(source.map((f) => [f.publisherId, f.fromStatus, f.toStatus])).toEqual([['nbs', 'ok', 'failing'], ['nbs', 'failing', 'ok']]);
    const before = hook.bodies.length;
    await deliverDue({ db, now: () => T1, secret: () => undefined, publicUrl: 'http://lacuna.test' });
    expect(hook.bodies.slice(before).map((b) => b.body.alerts[0].title)).toEqual([
      'Source failing: National Bureau of Statistics of China', 'Source back: National Bureau of Statistics of China',
    ]);
  });
});
