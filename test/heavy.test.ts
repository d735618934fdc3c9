// Heavy reads on a public server: every series evaluated as of a past date, or the disclosure
// index over every series, run one at a time per process and hand the event loop back as they go.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp } from '../web/app.js';
import { createGate } from '../web/heavy.js';
import { at, loadedDb } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const fakeContext = { req: { path: '/' } } as unknown as Context;

describe('heavy work', () => {
  it('runs one at a time: the next waits, then is told to come back (503, Retry-After), and the cheap pages still answer', async () => {
    const { db } = loadedDb(NOW);
    const gate = createGate(0);
    const app = createApp({ db, now: () => NOW, gate });
    let release!: () => void;
    const holding = gate.run(fakeContext, () => new Promise<void>((ok) => { release = ok; }));
    expect(gate.busy()).toBe(true);

    const page = await app.request('/?as_of=2023-09-01');
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('5');
    expect(await page.text()).toContain('try again');
    const api = await app.request('/api/series?as_of=2023-09-01&status=dark');
    expect([api.status, (await api.json() as { error: string }).error]).toEqual([503, expect.stringContaining('try again')]);
    expect((await app.request('/disclosure')).status).toBe(503);
    // What reads stored copies or one series does not wait.
    expect((await app.request('/')).status).toBe(200);
    expect((await app.request('/api/series/cn.nbs.unemployment.urban.age16_24?as_of=2023-09-01')).status).toBe(200);

    release();
    await holding;
    const after = await app.request('/?as_of=2023-09-01');
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('As of 2023-09-01');
  });

  it('waits for the one before it when that ends in time', async () => {
    const gate = createGate(5_000);
    let release!: () => void;
    const first = gate.run(fakeContext, () => new Promise<string>((ok) => { release = () => ok('first'); }));
    const second = gate.run(fakeContext, async () => 'second');
    release();
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
  });

  it('answers other requests while it evaluates every series as of a date: it hands the event loop back between slices', async () => {
    const { db } = loadedDb(NOW);
    const app = createApp({ db, now: () => NOW, sliceMs: 0 });
    const server = await new Promise<ServerType>((ok) => { const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ok(s)); });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let finished = false;
    const board = fetch(`${base}/?as_of=2023-09-01`).then(async (r) => { await r.text(); finished = true; return r.status; });
    // Asked after the as-of board began; answered before it ends.
    await new Promise((ok) => setImmediate(ok));
    const quick = await fetch(`${base}/api/series/cn.nbs.unemployment.urban`);
    expect(quick.status).toBe(200);
    expect(finished).toBe(false);
    expect(await board).toBe(200);
    await new Promise<void>((ok) => server.close(() => ok()));
  });
});
