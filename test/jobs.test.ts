import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { series } from '../db/schema.js';
import { jobs, type Job, type JobDeps } from '../jobs/jobs.js';
import { runJob, startScheduler } from '../jobs/scheduler.js';
import { silentLogger } from '../src/app/log.js';
import { at, loadedDb } from './helpers.js';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../web/app.js';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');
const noNetwork: JobDeps['http'] = async (req) => { throw new Error(`no network in tests: ${req.url}`); };
const base = { log: silentLogger, http: noNetwork, sources: { urls: {}, apiKeys: {} }, secret: () => undefined, alerts: { publicUrl: 'http://lacuna.test', options: { alertOnLate: false }, reminderDays: 0 } };

describe('jobs', () => {
  it('the status check flips a series when its due date passes on the injected clock', async () => {
    const { db } = loadedDb(at('2023-08-01T00:00:00Z'), MINI);
    const check = jobs.find((j) => j.name === 'status-check')!;
    let now = at('2023-08-10T00:00:00Z');
    const deps = { ...base, db, now: () => now };
    // The first run computes the board's headline, which nothing had computed yet.
    expect(await runJob(check, deps)).toEqual({ ok: true, message: 'evaluated 0 due series, 0 status changes, headline recomputed' });
    expect(await runJob(check, deps)).toEqual({ ok: true, message: 'evaluated 0 due series, 0 status changes' });
    now = at('2023-08-20T00:00:00Z');
    expect(await runJob(check, deps)).toEqual({ ok: true, message: 'evaluated 1 due series, 1 status change, headline recomputed' });
    expect(db.select().from(series).where(eq(series.id, 'test.youth')).get()!.status).toBe('suspended');
  });

  it('the status check answers requests while it evaluates: it hands the event loop back between slices', async () => {
    const { db } = loadedDb(at('2026-11-20T00:00:00Z'));
    db.update(series).set({ nextCheckAt: null }).run(); // every bundled series due at once
    const app = createApp({ db, now: () => at('2026-11-20T00:05:00Z') });
    const server = await new Promise<ServerType>((ok) => { const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ok(s)); });
    const { port } = server.address() as AddressInfo;
    const check = jobs.find((j) => j.name === 'status-check')!;
    let finished = false;
    // The smallest slice: one series per transaction, the loop handed back after each.
    const running = runJob(check, { ...base, db, now: () => at('2026-11-20T00:05:00Z'), sliceMs: 0 }).then((r) => { finished = true; return r; });
    const answer = await fetch(`http://127.0.0.1:${port}/api/series/cn.nbs.unemployment.urban`);
    expect(answer.status).toBe(200);
    expect(finished).toBe(false); // answered while the check was still evaluating
    // Every bundled series was due (the catalogue's count, not a number that changes with it).
    expect((await running).message).toMatch(new RegExp(`^evaluated ${db.select().from(series).all().length} due series`));
    await new Promise<void>((ok) => server.close(() => ok()));
  });

  it('records a failing job instead of throwing', async () => {
    const broken: Job = { name: 'broken', cron: '* * * * *', run: () => { throw new Error('publisher unreachable'); } };
    const lines: string[] = [];
    const log = { ...silentLogger, error: (m: string) => lines.push(m) };
    const { db } = loadedDb(at('2023-08-01T00:00:00Z'), MINI);
    expect(await runJob(broken, { ...base, db, now: () => 0, log })).toEqual({ ok: false, message: 'publisher unreachable' });
    expect(lines).toEqual(['job broken failed: publisher unreachable']);
  });

  it('refuses a duplicate job name or an invalid cron expression at start-up', () => {
    const { db } = loadedDb(at('2023-08-01T00:00:00Z'), MINI);
    const deps = { ...base, db, now: () => 0 };
    const job: Job = { name: 'x', cron: '* * * * *', run: () => '' };
    expect(() => startScheduler([job, job], deps)).toThrow('duplicate job name: x');
    expect(() => startScheduler([{ ...job, cron: '61 * * * *' }], deps)).toThrow('job x: invalid cron expression "61 * * * *"');
  });
});
