// Fetching end to end: the NBS plug-in, the shared HTTP plumbing and the store, against a real
// HTTP server on loopback replaying answers recorded from data.stats.gov.cn.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { citations, events, fetchRuns, observations, publishers, rawAnswers, series } from '../db/schema.js';
import { closeInterruptedRuns, fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { createHttp } from '../src/sources/http.js';
import { cassette, startReplayServer, type ReplayServer } from './replay-server.js';
import { at, industryCatalogue, INDUSTRY_ID, loadedDb } from './helpers.js';
import { evaluateSeries } from '../src/core/index.js';
import { seriesFacts } from '../src/read/facts.js';

const NOW = at('2025-01-20T04:00:00Z');
const ID = INDUSTRY_ID;

const CATALOGUE = industryCatalogue();

const RECORDED_2024 = cassette('nbs/cnstats-vcr-hgyd-A020101-2024.cassette.yaml');

/** The recorded 2024 answer with its data nodes changed by `edit`. */
function edited(edit: (nodes: { code: string; data: { data: number; hasdata: boolean; strdata: string } }[]) => void) {
  const doc = JSON.parse(RECORDED_2024.body!.toString('utf8'));
  edit(doc.returndata.datanodes);
  return { ...RECORDED_2024, body: JSON.stringify(doc) };
}

let server: ReplayServer;
let db: Db;
let deps: FetchDeps;
const slept: number[] = [];

beforeAll(async () => { server = await startReplayServer(); });
afterAll(async () => { await server.close(); });
beforeEach(() => {
  db = loadedDb(NOW, CATALOGUE).db;
  slept.length = 0;
  deps = {
    db,
    now: () => NOW,
    sources: { urls: { NBS: server.url }, apiKeys: {} },
    http: createHttp({ userAgent: 'lacuna-test', timeoutMs: 500, retries: 2, backoffMs: 10, maxBytes: 1 << 20, sleep: async (ms) => { slept.push(ms); }, random: () => 0 }),
  };
});

const current = () => db.select().from(observations)
  .where(and(eq(observations.seriesId, ID), isNull(observations.supersededAt))).all()
  .sort((a, b) => a.period.localeCompare(b.period));
const run = (id: number | null) => db.select().from(fetchRuns).where(eq(fetchRuns.id, id!)).get()!;
const health = () => db.select().from(publishers).where(eq(publishers.id, 'nbs')).get()!;

describe('fetching a series from the NBS data portal', () => {
  it('stores exactly the published values, and January-February 2024 (hasdata:false) as gaps, never zeros', async () => {
    server.on('/easyquery.htm', RECORDED_2024);
    const r = await fetchSeries(deps, ID, 'cli');
    expect(r).toMatchObject({ outcome: 'ok', added: 10, revised: 0, withdrawn: 0, gaps: 2, error: null });
    expect(current().map((o) => [o.period, o.valueText])).toEqual([
      ['2024-03', '4.5'], ['2024-04', '6.7'], ['2024-05', '5.6'], ['2024-06', '5.3'], ['2024-07', '5.1'],
      ['2024-08', '4.5'], ['2024-09', '5.4'], ['2024-10', '5.3'], ['2024-11', '5.4'], ['2024-12', '6.2'],
    ]);
    expect(current().every((o) => o.origin === 'fetch' && o.firstSeenAt === NOW && o.fetchRunId === r.runId)).toBe(true);
    // The request was the portal's own form POST, asking for the indicator.
    const sent = new URLSearchParams(server.received.at(-1)!.body);
    expect(sent.get('m')).toBe('QueryData');
    expect(JSON.parse(sent.get('dfwds')!)[0]).toEqual({ wdcode: 'zb', valuecode: 'A020101' });
    expect(server.received.at(-1)!.headers['user-agent']).toBe('lacuna-test');
  });

  it('archives the raw answer compressed, under its hash, and lists it on the run', async () => {
    server.on('/easyquery.htm', RECORDED_2024);
    const r = await fetchSeries(deps, ID);
    const hashes = JSON.parse(run(r.runId).rawHashes) as string[];
    expect(hashes).toHaveLength(1);
    const raw = db.select().from(rawAnswers).where(eq(rawAnswers.hash, hashes[0]!)).get()!;
    expect(gunzipSync(raw.body).equals(RECORDED_2024.body as Buffer)).toBe(true);
    expect(raw.body.length).toBeLessThan(raw.size);
    expect(run(r.runId)).toMatchObject({ outcome: 'ok', httpStatus: 200, trigger: 'schedule', bytes: raw.size });
  });

  it('records "no change" and nothing else when the same answer comes again', async () => {
    server.on('/easyquery.htm', RECORDED_2024);
    await fetchSeries(deps, ID);
    const before = { obs: db.select().from(observations).all().length, raw: db.select().from(rawAnswers).all().length };
    const r = await fetchSeries(deps, ID);
    expect(r).toMatchObject({ outcome: 'no_change', added: 0, revised: 0, withdrawn: 0 });
    expect(db.select().from(observations).all()).toHaveLength(before.obs);
    expect(db.select().from(rawAnswers).all()).toHaveLength(before.raw);
  });

  it('keeps the old value when the publisher revises one, and flags a period it stops giving as withdrawn', async () => {
    server.on('/easyquery.htm', RECORDED_2024);
    await fetchSeries(deps, ID);
    server.on('/easyquery.htm', edited((nodes) => {
      const dec = nodes.find((n) => n.code === 'zb.A020101_sj.202412')!;
      dec.data = { ...dec.data, data: 6.3, strdata: '6.3' }; // an edited copy: a revision to test with
      const nov = nodes.find((n) => n.code === 'zb.A020101_sj.202411')!;
      nov.data = { data: 0, dotcount: 1, hasdata: false, strdata: '' } as never;
    }));
    const r = await fetchSeries(deps, ID);
    expect(r).toMatchObject({ outcome: 'ok', added: 0, revised: 1, withdrawn: 1 });
    const all = db.select().from(observations).where(eq(observations.period, '2024-12')).all();
    expect(all.map((o) => [o.valueText, o.supersededAt === null])).toEqual([['6.2', false], ['6.3', true]]);
    const nov = current().find((o) => o.period === '2024-11')!;
    expect(nov.withdrawnAt).toBe(NOW);
    expect(nov.valueText).toBe('5.4'); // kept, flagged
  });

  it('infers a "line dropped" event when the indicator is still listed but every value is gone', async () => {
    server.on('/easyquery.htm', RECORDED_2024);
    await fetchSeries(deps, ID);
    server.on('/easyquery.htm', edited((nodes) => {
      for (const n of nodes) n.data = { data: 0, dotcount: 1, hasdata: false, strdata: '' } as never;
    }));
    const r = await fetchSeries(deps, ID);
    expect(r.lineDropped).toBe(true);
    const evt = db.select().from(events).where(eq(events.seriesId, ID)).get()!;
    expect(evt).toMatchObject({ kind: 'line_dropped', origin: 'inferred', evidenceKind: 'inferred', date: '2025-01-20', periodFrom: '2024-01' });
    const cite = db.select().from(citations).where(eq(citations.eventId, evt.id)).get()!;
    expect(cite.url).toBe(`/raw/${JSON.parse(run(r.runId).rawHashes)[0]}`);
    // A second silent answer does not add a second event.
    expect((await fetchSeries(deps, ID)).lineDropped).toBe(false);
    expect(db.select().from(events).where(eq(events.seriesId, ID)).all()).toHaveLength(1);
  });
});

describe('the NBS catalogue check', () => {
  it('infers "line dropped" when the getTree listing no longer holds the indicator', async () => {
    db.update(series).set({ source: JSON.stringify({ kind: 'nbs', db: 'hgyd', zb: 'A020101', parent: 'A0201' }) }).where(eq(series.id, ID)).run();
    // The recorded getTree answer is for node A0101 (consumer prices): it does not list A020101.
    const tree = cassette('nbs/cnstats-vcr-getTree-hgyd-A0101.cassette.yaml');
    server.on('/easyquery.htm', RECORDED_2024);
    server.route((r) => (new URLSearchParams(r.body).get('m') === 'getTree' ? tree : undefined));
    const r = await fetchSeries(deps, ID);
    expect(r).toMatchObject({ outcome: 'ok', added: 10, lineDropped: true });
    expect(db.select().from(events).where(eq(events.seriesId, ID)).get()).toMatchObject({
      kind: 'line_dropped', title: "National Bureau of Statistics of China's catalogue no longer lists the indicator", periodFrom: '2025-01',
    });
  });
});

describe('a fetch that fails changes nothing but the run and the source health', () => {
  // What two such failures in a row make of the publisher (NBS has one fetched series here) and
  // of the series' own source: a publisher error is the series' problem, never the publisher's.
  const broken: [string, Parameters<ReplayServer['on']>[1], RegExp, 'ok' | 'failing', 'ok' | 'misconfigured'][] = [
    ['an HTML error page', { status: 200, headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html><body>系统维护</body></html>' }, /not JSON \(an HTML page\)/, 'failing', 'ok'],
    ['truncated JSON', { ...RECORDED_2024, body: (RECORDED_2024.body as Buffer).subarray(0, 300) }, /not JSON/, 'failing', 'ok'],
    ['a publisher error (returncode 501)', cassette('nbs/cnstats-vcr-hgyd-invalid-zb-returncode-501.cassette.yaml'), /returncode 501: 对不起，未能找到符合查询条件的信息。/, 'ok', 'misconfigured'],
    ['an unexpected shape', { status: 200, body: '{"returncode":200,"returndata":{"rows":[]}}' }, /lacks datanodes or wdnodes/, 'failing', 'ok'],
    ['HTTP 503 on every attempt', { status: 503, body: 'Service Unavailable' }, /HTTP 503/, 'failing', 'ok'],
    ['an answer cut off mid-body', { ...RECORDED_2024, fault: { truncateAt: 500 } }, /easyquery\.htm/, 'failing', 'ok'],
    ['a server that never answers', { fault: 'hang' }, /no complete answer within 500 ms/, 'failing', 'ok'],
    ['a reset connection', { fault: 'reset' }, /easyquery\.htm/, 'failing', 'ok'],
  ];

  it.each(broken)('fails on %s, naming the source, the series and the cause', async (_name, answer, cause, publisher, own) => {
    server.on('/easyquery.htm', RECORDED_2024);
    await fetchSeries(deps, ID);
    const before = db.select().from(observations).all();
    const statusBefore = db.select().from(series).where(eq(series.id, ID)).get()!;
    server.on('/easyquery.htm', answer);
    const r = await fetchSeries({ ...deps, now: () => NOW + 86_400_000 * 70 }, ID);
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(new RegExp(`^nbs source, series ${ID.replace(/\./g, '\\.')}: `));
    expect(r.error).toMatch(cause);
    expect(run(r.runId)).toMatchObject({ outcome: 'failed', error: r.error, errorCode: r.errorCode });
    expect(db.select().from(observations).all()).toEqual(before);
    // One failure is not yet an outage.
    expect(health()).toMatchObject({ health: 'ok' });
    const again = await fetchSeries({ ...deps, now: () => NOW + 86_400_000 * 70 + 3_600_000 }, ID);
    expect(health()).toMatchObject({ health: publisher, lastError: publisher === 'ok' ? null : again.error });
    expect(db.select().from(series).where(eq(series.id, ID)).get()!.sourceState).toBe(own);
    // 70 days on, January-February 2025 is past due, but lacuna could not read NBS: the period is unknown, not missing.
    const row = db.select().from(series).where(eq(series.id, ID)).get()!;
    expect(row.checkedAt).toBe(statusBefore.checkedAt);
    const ev = evaluateSeries(seriesFacts(db, row), NOW + 86_400_000 * 70);
    expect(ev.grid.find((c) => c.period === '2025-02')?.state).toBe('unknown');
    // Nor is the series "current": lacuna holds no record of the period due, so it says unchecked.
    expect(ev.status).toBe('unchecked');
  });

  it('retries transient failures with growing backoff, then succeeds and marks the source healthy again', async () => {
    server.on('/easyquery.htm', { status: 503, body: 'busy' }, { status: 502, body: 'busy' }, RECORDED_2024);
    db.update(publishers).set({ health: 'failing', lastError: 'earlier' }).run();
    const r = await fetchSeries(deps, ID);
    expect(r.outcome).toBe('ok');
    expect(slept).toEqual([10, 20]);
    expect(health()).toMatchObject({ health: 'ok', lastError: null });
  });

  it('does not retry a permanent failure', async () => {
    server.on('/easyquery.htm', { status: 404, body: 'Not Found' });
    const r = await fetchSeries(deps, ID);
    expect(r.error).toMatch(/HTTP 404: Not Found/);
    expect(slept).toEqual([]);
  });

  it('closes a run a killed process left open, and the next run records the values', async () => {
    const orphan = db.insert(fetchRuns).values({ seriesId: ID, source: 'nbs', startedAt: NOW - 3_600_000 }).returning().get();
    expect(closeInterruptedRuns(db, NOW)).toBe(1);
    expect(run(orphan.id)).toMatchObject({ outcome: 'failed', errorCode: 'abandoned', error: expect.stringMatching(/^abandoned/) });
    server.on('/easyquery.htm', RECORDED_2024);
    expect((await fetchSeries(deps, ID)).added).toBe(10);
  });

  it('schedules the next read hourly around the expected release and daily otherwise', async () => {
    server.on('/easyquery.htm', RECORDED_2024);
    await fetchSeries(deps, ID);
    // 20 January 2025: December 2024 is in; January 2025 is folded into January-February, so the
    // next wanted period is February 2025, due in March: read again in a day.
    expect(db.select().from(series).where(eq(series.id, ID)).get()!.nextFetchAt).toBe(NOW + 86_400_000);
    server.on('/easyquery.htm', { status: 500, body: 'x' });
    await fetchSeries(deps, ID);
    expect(db.select().from(series).where(eq(series.id, ID)).get()!.nextFetchAt).toBe(NOW + 15 * 60_000);
  });
});

describe('the fetch-due job', () => {
  it('reads every series whose next read has come, then waits until the next one is due', async () => {
    const { jobs } = await import('../jobs/jobs.js');
    const { silentLogger } = await import('../src/app/log.js');
    const job = jobs.find((j) => j.name === 'fetch-due')!;
    server.on('/easyquery.htm', RECORDED_2024);
    let now = NOW;
    const jobDeps = { ...deps, now: () => now, log: silentLogger, secret: () => undefined, alerts: { publicUrl: 'http://lacuna.test', options: { alertOnLate: false }, reminderDays: 0 } };
    expect(await job.run(jobDeps)).toBe('1 fetched: 1 ok, 0 unchanged, 0 failed; 10 values added, 0 revised, 0 withdrawn');
    now += 3_600_000;
    expect(await job.run(jobDeps)).toBe('nothing due');
    now = NOW + 86_400_000;
    expect(await job.run(jobDeps)).toBe('1 fetched: 0 ok, 1 unchanged, 0 failed; 0 values added, 0 revised, 0 withdrawn');
  });
});

describe('fetching as the pages show it', () => {
  it('shows a failing source on the board, and every run with its archived answer on the series page', async () => {
    const { createApp } = await import('../web/app.js');
    server.on('/easyquery.htm', RECORDED_2024);
    const ok = await fetchSeries(deps, ID);
    server.on('/easyquery.htm', { status: 502, body: 'Bad Gateway' });
    await fetchSeries(deps, ID);
    // Twice in a row: an outage, not a hiccup.
    const failed = await fetchSeries(deps, ID);
    const app = createApp({ db, now: () => NOW });

    const board = await (await app.request('/')).text();
    const row = board.slice(board.indexOf(`data-series="${ID}"`), board.indexOf('</tr>', board.indexOf(`data-series="${ID}"`)));
    expect(row).toContain('source unreachable');
    expect(row).toContain('HTTP 502');

    const page = await (await app.request(`/series/${ID}`)).text();
    const hash = JSON.parse(run(ok.runId).rawHashes)[0] as string;
    expect(page).toContain(`href="/raw/${hash}"`);
    expect(page).toContain('data-outcome="failed"');
    expect(page).toContain(failed.error!.replace(/"/g, '&quot;').slice(0, 40));

    const raw = await app.request(`/raw/${hash}`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(Buffer.from(await raw.arrayBuffer()).equals(RECORDED_2024.body as Buffer)).toBe(true);
    expect((await app.request(`/raw/${'0'.repeat(64)}`)).status).toBe(404);

    const api = await (await app.request(`/api/series/${ID}/fetch-runs`)).json() as { runs: { outcome: string; raw_answers: string[] }[] };
    expect(api.runs.map((r) => r.outcome)).toEqual(['failed', 'failed', 'ok']);
    expect(api.runs[2]!.raw_answers).toEqual([`/raw/${hash}`]);
    const bad = await app.request(`/api/series/${ID}/fetch-runs?bogus=1`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ parameter: 'bogus' });
  });
});
