// The outbox against a real webhook receiver on loopback and a real SQLite file: permanent
// failures disable a channel without losing its alerts, digests, reminders, snoozes, restarts,
// and channels from alerts.yaml.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../db/client.js';
import { channels, deliveries, flips, series } from '../../db/schema.js';
import { AlertsConfigError, loadAlertsFile, saveChannel, syncAlertsFile } from '../../src/alerts/config.js';
import { claimDue, deliverDue, enqueue, LEASE_MS, nextDigestAt } from '../../src/alerts/outbox.js';
import { parseConfig } from '../../src/app/config.js';
import { start } from '../../src/app/start.js';
import { silentLogger } from '../../src/app/log.js';
import { remindDark } from '../../src/alerts/reminders.js';
import { evaluateSeriesInStore } from '../../src/status/check.js';
import { channelViews } from '../../src/read/alerts.js';
import { at, loadedDb, tempDir, writeTree } from '../helpers.js';

const MINI = join(import.meta.dirname, '..', 'fixtures', 'mini-catalogue');
const LOADED = at('2023-08-01T00:00:00Z'); // June is out; July not yet due
const NOTICE = at('2023-08-20T00:00:00Z'); // the suspension of 15 August is known
const DAY = 86_400_000;

let receiver: Server;
let url: string;
let status = 204;
let hits = 0;
const got: { alerts: { flip_id: number; to: string; kind: string }[] }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let b = '';
    req.on('data', (c) => { b += c; });
    req.on('end', () => { hits++; if (status < 300) got.push(JSON.parse(b)); res.writeHead(status).end(status < 300 ? '' : 'gone'); });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((ok) => receiver.close(() => ok())));
beforeEach(() => { got.length = 0; status = 204; hits = 0; });

function setup(opts: { digest?: boolean } = {}): { db: Db; file: string } {
  const loaded = loadedDb(LOADED, MINI);
  saveChannel(loaded.db, {
    id: 'desk', kind: 'webhook', settings: { url }, follows: { series: [], topics: [], publishers: [] },
    digest: opts.digest ? 'daily' : null, enabled: true,
  }, 'cli', LOADED);
  return loaded;
}
const deliver = (db: Db, now: number) => deliverDue({ db, now: () => now, secret: () => undefined, publicUrl: 'http://lacuna.test' });

describe('the outbox', () => {
  it('tries a failing channel once per run, keeping its other alerts pending, then sends them all in order', async () => {
    const { db } = setup();
    evaluateSeriesInStore(db, { kind: 'all' }, NOTICE);
    for (const h of [1, 2]) {
      const id = db.insert(flips).values({
        kind: 'reminder', seriesId: 'test.youth', publisherId: 'nbs', alert: true, at: NOTICE + h, fromStatus: 'suspended',
        toStatus: 'suspended', reason: `reminder ${h}`,
      }).returning({ id: flips.id }).get().id;
      enqueue(db, id, { seriesId: 'test.youth', publisherId: 'nbs', topics: [] }, NOTICE + h);
    }
    status = 503;
    expect(await deliver(db, NOTICE + 10)).toEqual({ sent: 0, retrying: 3, disabled: [] });
    expect(hits).toBe(1);
    status = 204;
    expect(await deliver(db, NOTICE + DAY)).toEqual({ sent: 3, retrying: 0, disabled: [] });
    expect(got.map((g) => g.alerts[0]!.kind)).toEqual(['status', 'reminder', 'reminder']);
  });

  it('disables a channel on a permanent failure, shows why, and delivers once when it is enabled again', async () => {
    const { db } = setup();
    evaluateSeriesInStore(db, { kind: 'all' }, NOTICE);
    status = 404;
    expect(await deliver(db, NOTICE)).toEqual({ sent: 0, retrying: 0, disabled: ['desk'] });
    const [view] = channelViews(db);
    expect(view).toMatchObject({ enabled: false, pending: 1, sent: 0 });
    expect(view!.lastError).toMatch(/^webhook channel desk: .*HTTP 404/);
    expect(await deliver(db, NOTICE + DAY)).toEqual({ sent: 0, retrying: 0, disabled: [] }); // disabled: nothing goes

    status = 204;
    db.update(channels).set({ enabled: true }).where(eq(channels.id, 'desk')).run(); // what `lacuna channel enable desk` does
    expect(await deliver(db, NOTICE + DAY)).toEqual({ sent: 1, retrying: 0, disabled: [] });
    expect(await deliver(db, NOTICE + 2 * DAY)).toEqual({ sent: 0, retrying: 0, disabled: [] });
    expect(got.map((g) => g.alerts.map((a) => a.to))).toEqual([['suspended']]);
  });

  it('loses nothing due across a restart: the queue is in the database file', async () => {
    const { db, file } = setup();
    evaluateSeriesInStore(db, { kind: 'all' }, NOTICE);
    db.$client.close();
    const reopened = openDb(file);
    expect(await deliver(reopened, NOTICE)).toMatchObject({ sent: 1 });
    expect(got).toHaveLength(1);
    reopened.$client.close();
  });

  it('sends a daily digest at 08:00 UTC with every change since the last one', async () => {
    const { db } = setup({ digest: true });
    evaluateSeriesInStore(db, { kind: 'all' }, NOTICE);
    expect(nextDigestAt(NOTICE)).toBe(at('2023-08-20T08:00:00Z'));
    expect(await deliver(db, at('2023-08-20T07:59:00Z'))).toMatchObject({ sent: 0 });
    expect(await deliver(db, at('2023-08-20T08:00:00Z'))).toMatchObject({ sent: 1 });
    expect(got).toHaveLength(1);
  });

  it('records but does not alert a change of a snoozed series', async () => {
    const { db } = setup();
    db.update(series).set({ snoozedUntil: NOTICE + DAY }).where(eq(series.id, 'test.youth')).run();
    evaluateSeriesInStore(db, { kind: 'all' }, NOTICE);
    const [flip] = db.select().from(flips).where(eq(flips.toStatus, 'suspended')).all();
    expect(flip).toMatchObject({ alert: false });
    expect(flip!.snoozed).toBe(true);
    expect(db.select().from(deliveries).all()).toHaveLength(0);
  });

  it('reminds every N days while a series stays dark, and never when reminders are off', async () => {
    const { db } = setup();
    evaluateSeriesInStore(db, { kind: 'all' }, NOTICE);
    expect(remindDark(db, NOTICE + 8 * DAY, 0)).toBe(0);
    expect(remindDark(db, NOTICE + 6 * DAY, 7)).toBe(0);
    expect(remindDark(db, NOTICE + 8 * DAY, 7)).toBe(1);
    expect(remindDark(db, NOTICE + 9 * DAY, 7)).toBe(0);
    await deliver(db, NOTICE + 9 * DAY);
    expect(got.map((g) => g.alerts[0]!.kind)).toEqual(['status', 'reminder']);
  });
});

describe('two processes on one database', () => {
  it('never send one alert twice: each delivery is claimed by one of them', async () => {
    const { db, file } = setup();
    evaluateSeriesInStore(db, { kind: 'all' }, NOTICE);
    for (const h of [1, 2, 3]) {
      const id = db.insert(flips).values({
        kind: 'reminder', seriesId: 'test.youth', publisherId: 'nbs', alert: true, at: NOTICE + h, fromStatus: 'suspended', toStatus: 'suspended', reason: `r${h}`,
      }).returning({ id: flips.id }).get().id;
      enqueue(db, id, { seriesId: 'test.youth', publisherId: 'nbs', topics: [] }, NOTICE + h);
    }
    const other = openDb(file); // a second server, a CLI: its own connection to the same file
    const [a, b] = await Promise.all([
      deliverDue({ db, now: () => NOTICE + 10, secret: () => undefined, publicUrl: 'http://lacuna.test', worker: 'server-a' }),
      deliverDue({ db: other, now: () => NOTICE + 10, secret: () => undefined, publicUrl: 'http://lacuna.test', worker: 'server-b' }),
    ]);
    expect(a.sent + b.sent).toBe(4);
    expect(hits).toBe(4);
    expect(got.map((g) => g.alerts[0]!.flip_id)).toEqual([...new Set(got.map((g) => g.alerts[0]!.flip_id))]);
    other.$client.close();
  });

  it('take over the claims of a process that died mid-delivery once its lease ends, and not before', async () => {
    const { db } = setup();
    evaluateSeriesInStore(db, { kind: 'all' }, NOTICE);
    expect(claimDue(db, NOTICE, 'crashed')).toHaveLength(1); // claimed, then the process was killed
    expect(await deliverDue({ db, now: () => NOTICE + 60_000, secret: () => undefined, publicUrl: 'http://x', worker: 'restarted' })).toMatchObject({ sent: 0 });
    expect(await deliverDue({ db, now: () => NOTICE + LEASE_MS + 1, secret: () => undefined, publicUrl: 'http://x', worker: 'restarted' })).toMatchObject({ sent: 1 });
    expect(hits).toBe(1);
  });
});

describe('order and failures', () => {
  it('keeps a channel\'s alerts in order after an outage: later ones wait behind the one backing off', async () => {
    const { db } = setup();
    evaluateSeriesInStore(db, { kind: 'all' }, NOTICE); // the suspension, first
    status = 503;
    await deliver(db, NOTICE); // fails: tried again after a minute
    for (const h of [1, 2]) {
      const id = db.insert(flips).values({
        kind: 'reminder', seriesId: 'test.youth', publisherId: 'nbs', alert: true, at: NOTICE + 30_000, fromStatus: 'suspended', toStatus: 'suspended', reason: `r${h}`,
      }).returning({ id: flips.id }).get().id;
      enqueue(db, id, { seriesId: 'test.youth', publisherId: 'nbs', topics: [] }, NOTICE + 30_000);
    }
    status = 204;
    expect(await deliver(db, NOTICE + 30_000)).toMatchObject({ sent: 0 }); // the first is not due again yet
    expect(await deliver(db, NOTICE + 61_000)).toMatchObject({ sent: 3 });
    expect(got.map((g) => g.alerts[0]!.kind)).toEqual(['status', 'reminder', 'reminder']);
  });

  it('tries again, never disables, on an error not known to be permanent', async () => {
    const { db } = setup();
    evaluateSeriesInStore(db, { kind: 'all' }, NOTICE);
    const flip = db.select().from(flips).where(eq(flips.toStatus, 'suspended')).get()!;
    db.update(flips).set({ eventIds: 'not JSON' }).where(eq(flips.id, flip.id)).run(); // the message cannot be built
    expect(await deliver(db, NOTICE)).toMatchObject({ sent: 0, retrying: 1, disabled: [] });
    expect(channelViews(db)[0]).toMatchObject({ enabled: true, lastError: expect.stringContaining('webhook channel desk') });
    db.update(flips).set({ eventIds: flip.eventIds }).where(eq(flips.id, flip.id)).run();
    expect(await deliver(db, NOTICE + DAY)).toMatchObject({ sent: 1 });
  });
});

describe('alerts found at start', () => {
  it('are queued for the channels alerts.yaml configures in that same start', async () => {
    const dbFile = join(tempDir(), 'lacuna.sqlite');
    const alertsFile = join(writeTree({ 'alerts.yaml': `channels:\n  - id: desk\n    kind: webhook\n    url: ${url}\n` }), 'alerts.yaml');
    const config = (alerts: string) => ({
      ...parseConfig({ LACUNA_DB: dbFile, LACUNA_CATALOGUE: MINI, LACUNA_ALERTS: alerts, LACUNA_SCHEDULER: 'off', PORT: '0' }),
    });
    // First start before the suspension was known, without channels; the second with them, after it.
    await (await start(config('/nonexistent/alerts.yaml'), silentLogger, () => LOADED)).close();
    const running = await start(config(alertsFile), silentLogger, () => NOTICE);
    await running.close();
    const db = openDb(dbFile);
    const suspended = db.select().from(flips).where(eq(flips.toStatus, 'suspended')).get()!;
    expect(db.select().from(deliveries).where(eq(deliveries.flipId, suspended.id)).all()).toMatchObject([{ channelId: 'desk', state: 'pending' }]);
    db.$client.close();
  });
});

describe('alerts.yaml', () => {
  const file = (body: string) => join(writeTree({ 'alerts.yaml': body }), 'alerts.yaml');

  it('loads channels with what they follow, and a new file replaces the old file\'s channels but keeps CLI ones', () => {
    const { db } = setup(); // 'desk' was added from the CLI
    const specs = loadAlertsFile(file(`channels:
  - id: slack-newsroom
    kind: webhook
    url: https://hooks.example.org/T000/B000/x
    preset: slack
    follows: { topics: [labour], publishers: [nbs] }
  - id: editors
    kind: email
    to: editors@example.org
    digest: daily
`));
    syncAlertsFile(db, specs, LOADED);
    expect(channelViews(db).map((c) => [c.id, c.origin, c.follows, c.digest])).toEqual([
      ['desk', 'cli', 'everything', null],
      ['slack-newsroom', 'config', 'topic labour, publisher nbs', null],
      ['editors', 'config', 'everything', 'daily'],
    ]);
    syncAlertsFile(db, loadAlertsFile(file('channels: []\n')), LOADED);
    expect(channelViews(db).map((c) => c.id)).toEqual(['desk']);
  });

  it('refuses a bad file, naming each problem', () => {
    const bad = file(`channels:
  - id: a
    kind: pager
  - id: b
    kind: webhook
    url: ftp://x
  - id: b
    kind: email
`);
    expect(() => loadAlertsFile(bad)).toThrow(AlertsConfigError);
    const message = (() => { try { loadAlertsFile(bad); return ''; } catch (e) { return (e as Error).message; } })();
    expect(message).toContain('channels.0.kind: unknown channel kind "pager" (known: webhook, email)');
    expect(message).toContain('channels.1.url');
    expect(message).toContain('channels.2.id: duplicate channel id b');
    expect(message).toContain('channels.2.to');
  });

  it('treats a missing file as no channels', () => {
    expect(loadAlertsFile('/nonexistent/alerts.yaml')).toEqual([]);
  });
});
