// One series' failure stays that series' own: an error in its fetch, even after the read (in the
// evaluation or in scheduling the next read), is recorded on it, pushes its next read back with
// backoff, and the rest of the batch is fetched and recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { fetchRuns, observations, series } from '../db/schema.js';
import { fetchMany, type FetchDeps } from '../src/fetch/runner.js';
import { createHttp } from '../src/sources/http.js';
import { jobs } from '../jobs/jobs.js';
import { silentLogger } from '../src/app/log.js';
import { cassette, startReplayServer, type ReplayServer } from './replay-server.js';
import { at, loadedDb, nbsBatchCatalogue } from './helpers.js';

const NOW = at('2025-01-20T04:00:00Z');
const RECORDED_2024 = cassette('nbs/cnstats-vcr-hgyd-A020101-2024.cassette.yaml');
const zbOf = (body: string) => (JSON.parse(new URLSearchParams(body).get('dfwds')!) as { valuecode: string }[])[0]!.valuecode;

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
  server.route((r) => ({ ...RECORDED_2024, body: RECORDED_2024.body!.toString('utf8').replaceAll('A020101', zbOf(r.body)) }));
});
afterAll(async () => { await server.close(); });

/** A batch of three series whose middle one cannot be evaluated: its grid_from is not a period. */
function batch() {
  const { dir, ids } = nbsBatchCatalogue();
  const { db } = loadedDb(NOW, dir);
  db.update(series).set({ gridFrom: 'not-a-period' }).where(eq(series.id, ids[1])).run();
  const deps: FetchDeps = {
    db, now: () => NOW, sources: { urls: { NBS: server.url }, apiKeys: {} },
    http: createHttp({ userAgent: 'lacuna-test', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 22 }),
  };
  return { db, ids, deps };
}

describe('a batch where one series fails after its read', () => {
  it('fetches and records the others, records the error on that series and reads it again later, with backoff', async () => {
    const { db, ids, deps } = batch();
    const results = await fetchMany(deps, ids, 'schedule');
    expect(results.map((r) => [r.seriesId, r.outcome])).toEqual([[ids[0], 'ok'], [ids[1], 'failed'], [ids[2], 'ok']]);
    for (const id of [ids[0], ids[2]]) {
      expect(db.select().from(observations).where(eq(observations.seriesId, id)).all()).toHaveLength(10);
      expect(db.select().from(series).where(eq(series.id, id)).get()!.nextFetchAt).toBeGreaterThan(NOW);
    }
    const bad = db.select().from(series).where(eq(series.id, ids[1])).get()!;
    expect(results[1]!.error).toMatch(/not-a-period/);
    const runs = db.select().from(fetchRuns).where(eq(fetchRuns.seriesId, ids[1])).all();
    expect(runs).toMatchObject([{ outcome: 'failed', error: results[1]!.error, errorCode: 'internal' }]);
    expect(bad).toMatchObject({ fetchFailures: 1, nextFetchAt: NOW + 15 * 60_000 });
  });

  it('lets the fetch-due job go on to the next series and say how many failed', async () => {
    const { db, ids, deps } = batch();
    const job = jobs.find((j) => j.name === 'fetch-due')!;
    const warned: string[] = [];
    const log = { ...silentLogger, warn: (m: string) => warned.push(m) };
    const message = await job.run({ ...deps, log, secret: () => undefined, alerts: { publicUrl: 'http://lacuna.test', options: { alertOnLate: false }, reminderDays: 0 } });
    // The failing series was read and its values recorded before lacuna failed on it.
    expect(message).toBe('3 fetched: 2 ok, 0 unchanged, 1 failed; 30 values added, 0 revised, 0 withdrawn');
    expect(warned).toEqual([expect.stringContaining(ids[1])]);
    // Due again only after the backoff: the next pass at the same instant reads nothing.
    expect(await job.run({ ...deps, log, secret: () => undefined, alerts: { publicUrl: 'http://lacuna.test', options: { alertOnLate: false }, reminderDays: 0 } })).toBe('nothing due');
    expect(db.select().from(series).where(eq(series.id, ids[1])).get()!.nextFetchAt).toBe(NOW + 15 * 60_000);
  });

  it("keeps the read's own error when the read failed too, and counts the failure once", async () => {
    const { db, ids, deps } = batch();
    server.route((r) => (zbOf(r.body) === 'A020102' ? cassette('nbs/cnstats-vcr-hgyd-invalid-zb-returncode-501.cassette.yaml') : undefined));
    const results = await fetchMany(deps, ids, 'schedule');
    expect(results.map((r) => r.outcome)).toEqual(['ok', 'failed', 'ok']);
    expect(results[1]).toMatchObject({ errorCode: 'publisher_error', error: expect.stringMatching(/returncode 501.*; then series test\.nbs\.a020102: after reading its source: .*not-a-period/) });
    expect(db.select().from(fetchRuns).where(eq(fetchRuns.seriesId, ids[1])).all()).toMatchObject([{ outcome: 'failed', errorCode: 'publisher_error' }]);
    expect(db.select().from(series).where(eq(series.id, ids[1])).get()).toMatchObject({ fetchFailures: 1, nextFetchAt: NOW + 15 * 60_000, sourceState: 'misconfigured' });
  });
});
