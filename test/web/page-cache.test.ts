// Pages for many readers: rendered once and kept compressed while nothing they show changes; a
// change of facts, the expiry of a stored evaluation or a minute passing renders them afresh.
import { gunzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { series } from '../../db/schema.js';
import { createApp } from '../../web/app.js';
import { liveEvaluations } from '../../src/read/read-model.js';
import { at, loadedDb } from '../helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const GZIP = { 'accept-encoding': 'gzip' };

function setup() {
  const { db } = loadedDb(NOW);
  let now = NOW;
  const app = createApp({ db, now: () => now });
  return { db, app, tick: (ms: number) => { now += ms; } };
}

describe('kept pages', () => {
  it('sends the board gzip-compressed with an ETag, the same bytes to every reader, and 304 to one who has them', async () => {
    const { app } = setup();
    const a = await app.request('/', { headers: GZIP });
    expect(a.headers.get('content-encoding')).toBe('gzip');
    expect(a.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    const html = gunzipSync(Buffer.from(await a.arrayBuffer())).toString('utf8');
    expect(html).toContain('series have gone dark');
    const b = await app.request('/?utm_source=newsletter', { headers: GZIP });
    expect(b.headers.get('etag')).toBe(a.headers.get('etag'));
    const again = await app.request('/', { headers: { ...GZIP, 'if-none-match': a.headers.get('etag')! } });
    expect(again.status).toBe(304);
    // A client that refuses gzip gets the same page inflated.
    expect(await (await app.request('/')).text()).toBe(html);
  });

  it('renders a kept page once: the second reader costs no evaluation', async () => {
    const { app } = setup();
    await app.request(`/series/${YOUTH}`);
    await app.request(`/series/${YOUTH}`); // kept from here on
    const before = liveEvaluations.n;
    const html = await (await app.request(`/series/${YOUTH}?fbclid=1`)).text();
    expect(html).toContain('ages 16-24');
    expect(liveEvaluations.n).toBe(before);
  });

  it('renders afresh when a fact it shows changes', async () => {
    const { db, app } = setup();
    expect(await (await app.request('/')).text()).not.toContain('Renamed youth rate');
    db.update(series).set({ title: 'Renamed youth rate' }).where(eq(series.id, YOUTH)).run();
    expect(await (await app.request('/')).text()).toContain('Renamed youth rate');
  });

  it('renders afresh after a minute, so the evaluation time and days overdue move with the clock', async () => {
    const { app, tick } = setup();
    const first = await (await app.request('/')).text();
    tick(30_000);
    expect(await (await app.request('/')).text()).toBe(first);
    tick(31_000);
    expect(await (await app.request('/')).text()).not.toBe(first);
  });

  it('does not keep an as-of page, which is evaluated from the facts', async () => {
    const { app } = setup();
    await app.request(`/series/${YOUTH}?as_of=2023-09-01`);
    const before = liveEvaluations.n;
    await app.request(`/series/${YOUTH}?as_of=2023-09-01`);
    expect(liveEvaluations.n).toBeGreaterThan(before);
  });
});
