// A publisher's source health across fetch passes over several of its series, end to end through
// the replay server and the store: a series-level error (a bad indicator code) never blames the
// publisher; a real outage raises one alert and its end one more; an unsteady publisher does not flap.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { fetchRuns, flips, publishers, series } from '../db/schema.js';
import { fetchMany, type FetchDeps } from '../src/fetch/runner.js';
import { createHttp } from '../src/sources/http.js';
import { cassette, startReplayServer, type ReplayAnswer, type ReplayServer } from './replay-server.js';
import { at, loadedDb, nbsBatchCatalogue } from './helpers.js';

const NOW = at('2025-01-20T04:00:00Z');
const HOUR = 3_600_000;
const RECORDED_2024 = cassette('nbs/cnstats-vcr-hgyd-A020101-2024.cassette.yaml');
const RETURNCODE_501 = cassette('nbs/cnstats-vcr-hgyd-invalid-zb-returncode-501.cassette.yaml');
/** The recorded 2024 answer given the code asked for (a copy per series of the batch). */
const answerFor = (zb: string): ReplayAnswer => ({ ...RECORDED_2024, body: RECORDED_2024.body!.toString('utf8').replaceAll('A020101', zb) });
const zbOf = (body: string) => (JSON.parse(new URLSearchParams(body).get('dfwds')!) as { valuecode: string }[])[0]!.valuecode;

let server: ReplayServer;
let db: Db;
let deps: FetchDeps;
let ids: [string, string, string];

beforeAll(async () => { server = await startReplayServer(); });
afterAll(async () => { await server.close(); });

function setUp(zbs: [string, string]) {
  const cat = nbsBatchCatalogue(zbs);
  ids = cat.ids;
  db = loadedDb(NOW, cat.dir).db;
  deps = {
    db, now: () => NOW, sources: { urls: { NBS: server.url }, apiKeys: {} },
    http: createHttp({ userAgent: 'lacuna-test', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 22 }),
  };
}

/** Fetches every series of the batch once per pass, an hour apart. */
async function passes(n: number, from = NOW) {
  for (let i = 0; i < n; i++) await fetchMany({ ...deps, now: () => from + i * HOUR }, ids, 'schedule');
}
const sourceFlips = () => db.select().from(flips).where(eq(flips.kind, 'source')).all().map((f) => [f.fromStatus, f.toStatus]);
const nbs = () => db.select().from(publishers).where(eq(publishers.id, 'nbs')).get()!;
const row = (id: string) => db.select().from(series).where(eq(series.id, id)).get()!;

describe('one series with a bad indicator code beside good ones', () => {
  beforeEach(() => setUp(['A0Z9999', 'A020103']));

  it('makes no source alert in three passes, marks that series misconfigured and keeps the publisher ok', async () => {
    server.route((r) => (zbOf(r.body) === 'A0Z9999' ? RETURNCODE_501 : answerFor(zbOf(r.body))));
    await passes(3);
    expect(sourceFlips()).toEqual([]);
    expect(nbs()).toMatchObject({ health: 'ok', healthChangedAt: null });
    expect(row(ids[1])).toMatchObject({ sourceState: 'misconfigured', sourceError: expect.stringMatching(/returncode 501/) });
    expect(row(ids[0]).sourceState).toBe('ok');
    expect(row(ids[2]).sourceState).toBe('ok');
    const codes = db.select().from(fetchRuns).where(eq(fetchRuns.seriesId, ids[1])).all().map((r) => r.errorCode);
    expect(codes).toEqual(['publisher_error', 'publisher_error', 'publisher_error']);
  });
});

describe('a publisher that cannot be read', () => {
  beforeEach(() => setUp(['A020102', 'A020103']));

  it('raises exactly one failing alert for an outage of every series, and exactly one when it answers again', async () => {
    server.route(() => ({ status: 503, body: 'Service Unavailable' }));
    await passes(2);
    expect(sourceFlips()).toEqual([['ok', 'failing']]);
    expect(nbs()).toMatchObject({ health: 'failing', lastError: expect.stringMatching(/HTTP 503/) });
    // Lacuna's failure to read is never the series' fault.
    expect(ids.map((id) => row(id).sourceState)).toEqual(['ok', 'ok', 'ok']);

    server.route((r) => answerFor(zbOf(r.body)));
    await passes(2, NOW + 2 * HOUR);
    expect(sourceFlips()).toEqual([['ok', 'failing'], ['failing', 'ok']]);
    expect(nbs()).toMatchObject({ health: 'ok', lastError: null, healthChangedAt: NOW + 2 * HOUR });
  });

  it('does not flap when the publisher fails every other request', async () => {
    let n = 0;
    server.route((r) => (n++ % 2 === 0 ? { status: 503, body: 'busy' } : answerFor(zbOf(r.body))));
    await passes(4);
    expect(sourceFlips()).toEqual([]);
    expect(nbs().health).toBe('ok');
  });

  it('calls a publisher that refuses lacuna (HTTP 403) blocked, once', async () => {
    server.route(() => ({ status: 403, headers: { 'content-type': 'text/html' }, body: '<html><title>403 Forbidden</title></html>' }));
    await passes(2);
    expect(sourceFlips()).toEqual([['ok', 'blocked']]);
    expect(nbs().health).toBe('blocked');
    expect(ids.map((id) => row(id).sourceState)).toEqual(['ok', 'ok', 'ok']);
  });
});
