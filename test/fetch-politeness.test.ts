// What a publisher says about being asked: a Retry-After the schedule honours, and a refusal
// (a captcha served as the answer) reported as blocked with the page kept as evidence.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRuns, series } from '../db/schema.js';
import { fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { createHttp } from '../src/sources/http.js';
import { appAt, at, industryCatalogue, INDUSTRY_ID, loadedDb } from './helpers.js';
import { startReplayServer, type ReplayServer } from './replay-server.js';

const NOW = at('2026-11-20T00:00:00Z');
let server: ReplayServer;
let deps: FetchDeps;

beforeAll(async () => {
  server = await startReplayServer();
  const { db } = loadedDb(NOW, industryCatalogue());
  deps = { db, now: () => NOW, sources: { urls: { NBS: server.url }, apiKeys: {} }, http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 2, backoffMs: 1, maxBytes: 1 << 20 }) };
});
afterAll(async () => { await server.close(); });

const run = () => deps.db.select().from(fetchRuns).where(eq(fetchRuns.seriesId, INDUSTRY_ID)).all().at(-1)!;

describe('a publisher that asks lacuna to wait', () => {
  it('is not asked again before the time its Retry-After gives', async () => {
    server.on('/easyquery.htm', { status: 429, headers: { 'retry-after': '7200' }, body: 'Too Many Requests' });
    const r = await fetchSeries(deps, INDUSTRY_ID, 'cli');
    expect(r).toMatchObject({ outcome: 'failed', errorCode: 'http' });
    expect(server.received.filter((x) => x.url === '/easyquery.htm')).toHaveLength(1);
    const next = deps.db.select({ at: series.nextFetchAt }).from(series).where(eq(series.id, INDUSTRY_ID)).get()!.at!;
    expect(next).toBeGreaterThanOrEqual(NOW + 7_200_000);
  });
});

describe('a captcha served instead of data', () => {
  it('fails the read as blocked, and keeps the page with the failed run, linked from the series page', async () => {
    const page = '<!DOCTYPE html><html><head><title>安全验证</title></head><body>请完成滑动验证</body></html>';
    server.on('/easyquery.htm', { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page });
    const r = await fetchSeries(deps, INDUSTRY_ID, 'cli');
    expect(r).toMatchObject({ outcome: 'failed', errorCode: 'blocked' });
    const [hash] = JSON.parse(run().rawHashes) as string[];
    expect(hash).toBeDefined();
    const app = appAt(deps.db, NOW);
    expect(await (await app.request(`/raw/${hash}`)).text()).toBe(page);
    expect(await (await app.request(`/series/${INDUSTRY_ID}`)).text()).toContain(`/raw/${hash}`);
  });
});
