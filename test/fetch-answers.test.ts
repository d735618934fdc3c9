// The rules every answer must meet before lacuna records it, end to end through the replay server
// and the store: an answer without the series asked for, or with nothing at all, fails the run and
// changes no value; it marks that series' source misconfigured, never the publisher.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { fetchRuns, flips, observations, publishers, series } from '../db/schema.js';
import { fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { createHttp } from '../src/sources/http.js';
import { createApp } from '../web/app.js';
import { cassette, startReplayServer, type ReplayServer } from './replay-server.js';
import { at, INDUSTRY_ID, industryCatalogue, loadedDb, writeTree } from './helpers.js';

const NOW = at('2025-01-20T04:00:00Z');
const LATER = NOW + 86_400_000;
const ID = INDUSTRY_ID;
const RECORDED_2024 = cassette('nbs/cnstats-vcr-hgyd-A020101-2024.cassette.yaml');

/** The recorded 2024 answer, its JSON edited by `edit` (each test says why). */
function edited(edit: (doc: { returndata: { datanodes: unknown[]; wdnodes: { wdcode: string; nodes: unknown[] }[] } }) => void) {
  const doc = JSON.parse(RECORDED_2024.body!.toString('utf8'));
  edit(doc);
  return { ...RECORDED_2024, body: JSON.stringify(doc) };
}

let server: ReplayServer;
let db: Db;
let deps: FetchDeps;

beforeAll(async () => { server = await startReplayServer(); });
afterAll(async () => { await server.close(); });

const http = () => createHttp({ userAgent: 'lacuna-test', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 22 });
const current = (id = ID) => db.select().from(observations)
  .where(and(eq(observations.seriesId, id), isNull(observations.supersededAt))).all()
  .sort((a, b) => a.period.localeCompare(b.period));
const row = (id = ID) => db.select().from(series).where(eq(series.id, id)).get()!;
const run = (id: number | null) => db.select().from(fetchRuns).where(eq(fetchRuns.id, id!)).get()!;

describe('an NBS answer that does not hold the indicator asked for', () => {
  beforeEach(() => {
    db = loadedDb(NOW, industryCatalogue()).db;
    deps = { db, now: () => NOW, sources: { urls: { NBS: server.url }, apiKeys: {} }, http: http() };
  });

  // The shape of the recorded city-database answer (cnstats-vcr-csnd-rowcode-reg-empty-datanodes):
  // returncode 200, the periods listed, no data node, the indicator node null.
  const emptyDatanodes = () => edited((doc) => {
    doc.returndata.datanodes = [];
    doc.returndata.wdnodes.find((w) => w.wdcode === 'zb')!.nodes = [null];
  });
  // The same answer for another indicator, as when the portal answers with another table.
  const otherIndicator = () => ({ ...RECORDED_2024, body: RECORDED_2024.body!.toString('utf8').replaceAll('A020101', 'A020102') });

  it.each([
    ['an empty datanodes list with the periods listed', emptyDatanodes, /does not hold A020101.*holds no series; it lists the periods 2024-01 to 2024-12/],
    ['an answer about another indicator', otherIndicator, /does not hold A020101.*holds A020102/],
  ])('fails on %s: no value withdrawn, no status change, the series misconfigured, the publisher not blamed', async (_name, bad, message) => {
    server.on('/easyquery.htm', RECORDED_2024);
    expect(await fetchSeries(deps, ID)).toMatchObject({ outcome: 'ok', added: 10 });
    const before = { values: current(), status: row().status, flips: db.select().from(flips).all().length };

    server.on('/easyquery.htm', bad());
    const r = await fetchSeries({ ...deps, now: () => LATER }, ID);
    expect(r).toMatchObject({ outcome: 'failed', withdrawn: 0 });
    expect(r.error).toMatch(new RegExp(`^nbs source, series ${ID.replace(/\./g, '\\.')}: `));
    expect(r.error).toMatch(message);
    expect(run(r.runId)).toMatchObject({ outcome: 'failed', errorCode: 'absent' });
    expect(current()).toEqual(before.values);
    expect(row().status).toBe(before.status);
    expect(db.select().from(flips).all()).toHaveLength(before.flips);
    expect(row()).toMatchObject({ sourceState: 'misconfigured', sourceError: r.error, sourceErrorAt: LATER, checkedAt: NOW });
    expect(db.select().from(publishers).where(eq(publishers.id, 'nbs')).get()).toMatchObject({ health: 'ok' });

    // The values come back: nothing is a revision, and the series' source is fine again.
    server.on('/easyquery.htm', RECORDED_2024);
    const back = await fetchSeries({ ...deps, now: () => LATER + 3_600_000 }, ID);
    expect(back).toMatchObject({ revised: 0, withdrawn: 0, added: 0 });
    expect(back.outcome).not.toBe('failed');
    expect(db.select().from(observations).where(eq(observations.seriesId, ID)).all()).toHaveLength(10);
    expect(current()).toEqual(before.values);
    expect(row()).toMatchObject({ sourceState: 'ok', sourceError: null });
  });
});

describe('a misconfigured series as the pages show it', () => {
  beforeEach(() => {
    db = loadedDb(NOW, industryCatalogue()).db;
    deps = { db, now: () => NOW, sources: { urls: { NBS: server.url }, apiKeys: {} }, http: http() };
  });

  it('says so on the series page and in /api/series/:id, never on the publisher, until a good read clears it', async () => {
    server.on('/easyquery.htm', cassette('nbs/cnstats-vcr-hgyd-invalid-zb-returncode-501.cassette.yaml'));
    const r = await fetchSeries(deps, ID);
    const app = createApp({ db, now: () => NOW });
    const api = await (await app.request(`/api/series/${ID}`)).json() as Record<string, unknown>;
    expect(api).toMatchObject({ source_state: 'misconfigured', source_error: r.error, source_error_at: new Date(NOW).toISOString(), source_health: 'ok' });
    const page = await (await app.request(`/series/${ID}`)).text();
    const note = page.slice(page.indexOf('data-source-state="misconfigured"'), page.indexOf('</p>', page.indexOf('data-source-state="misconfigured"')));
    expect(note).toContain('source misconfigured');
    expect(note).toContain('returncode 501: 对不起，未能找到符合查询条件的信息。');
    expect(page).not.toContain('source unreachable');

    server.on('/easyquery.htm', RECORDED_2024);
    await fetchSeries({ ...deps, now: () => LATER }, ID);
    const after = createApp({ db, now: () => LATER });
    expect(await (await after.request(`/api/series/${ID}`)).json()).toMatchObject({ source_state: 'ok', source_error: null, source_error_at: null });
    expect(await (await after.request(`/series/${ID}`)).text()).not.toContain('data-source-state');
  });
});

describe('the recorded city-database answer with an empty datanodes list', () => {
  it('fails an annual series asking for its indicator, naming the periods the answer lists', async () => {
    const catalogue = writeTree({
      'publishers.yaml': 'publishers:\n  - { id: nbs, name: National Bureau of Statistics of China, time_zone: Asia/Shanghai }\n',
      'series/annual.yaml': `series:
  - id: test.nbs.annual
    publisher: nbs
    title: NBS annual indicator A01010101 (test)
    unit: units
    frequency: annual
    grid_from: 2021
    release: { lag_days: 60, grace_days: 30 }
    source: { kind: nbs, db: hgnd, zb: A01010101 }
`,
    });
    db = loadedDb(NOW, catalogue).db;
    deps = { db, now: () => NOW, sources: { urls: { NBS: server.url }, apiKeys: {} }, http: http() };
    server.on('/easyquery.htm', cassette('nbs/cnstats-vcr-csnd-rowcode-reg-empty-datanodes.cassette.yaml'));
    const r = await fetchSeries(deps, 'test.nbs.annual');
    expect(r.outcome).toBe('failed');
    expect(r.error).toMatch(/does not hold A01010101.*holds no series; it lists the periods 2021 to 2025/);
    expect(row('test.nbs.annual')).toMatchObject({ sourceState: 'misconfigured', checkedAt: null });
  });
});
