// As of a date, lacuna answers what it knew then: the record checked through the last good read
// by that date (a failed read leaves later periods unknown, never missing), each value as it
// stood (a later revision or withdrawal invisible), and only the fetch runs made by then. The NBS
// industrial value-added series as bundled, fed by a replay of the recorded 2024 answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRuns, series } from '../db/schema.js';
import { fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { createHttp } from '../src/sources/http.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { appAt, at, BUNDLED_CATALOGUE, INDUSTRY_ID, loadedDb, withOldPortalBlock, writeTree } from './helpers.js';
import { cassette, startReplayServer, type ReplayServer } from './replay-server.js';

const ID = INDUSTRY_ID;
const T1 = at('2025-01-20T04:00:00Z'); // a good read: December 2024 is out
const T2 = at('2025-04-25T00:00:00Z'); // NBS fails (March 2025 was due 17 April, grace ended 24 April)
const T3 = at('2025-05-01T00:00:00Z'); // and fails again
const T4 = at('2025-06-01T00:00:00Z'); // a good read again: the same answer, still without March
const RECORDED_2024 = cassette('nbs/cnstats-vcr-hgyd-A020101-2024.cassette.yaml');
const bundled = (path: string) => readFileSync(join(BUNDLED_CATALOGUE, path), 'utf8');
// The bundled series, read from the old portal whose recorded answers these tests replay (an edited copy).
const CATALOGUE = writeTree({ 'publishers.yaml': bundled('publishers.yaml'), 'series/nbs-industry.yaml': withOldPortalBlock(bundled('series/nbs-industry.yaml')) });

/** The recorded 2024 answer with its data nodes changed by `edit`. */
function edited(edit: (nodes: { code: string; data: { data: number; hasdata: boolean; strdata: string } }[]) => void) {
  const doc = JSON.parse(RECORDED_2024.body!.toString('utf8'));
  edit(doc.returndata.datanodes);
  return { ...RECORDED_2024, body: JSON.stringify(doc) };
}

let server: ReplayServer;
beforeAll(async () => { server = await startReplayServer(); });
afterAll(async () => { await server.close(); });

function setUp() {
  const { db } = loadedDb(T1, CATALOGUE);
  const http = createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 20 });
  const fetchAt = (now: number) => fetchSeries({ db, now: () => now, sources: { urls: { NBS: server.url }, apiKeys: {} }, http } satisfies FetchDeps, ID);
  return { db, fetchAt };
}

type Period = { period: string; value_text: string | null; state: string; marks: { revised: boolean } };
async function json<T>(app: ReturnType<typeof appAt>, url: string): Promise<T> {
  const res = await app.request(url);
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
}
const periodOf = async (app: ReturnType<typeof appAt>, period: string, asOf?: string) =>
  (await json<{ periods: Period[] }>(app, `/api/series/${ID}/observations${asOf ? `?as_of=${asOf}` : ''}`)).periods.find((p) => p.period === period)!;

describe('as of a date', () => {
  it('leaves a period due after the last good read unknown, not missing, when the reads that followed failed', async () => {
    const { db, fetchAt } = setUp();
    server.on('/easyquery.htm', RECORDED_2024);
    expect((await fetchAt(T1)).outcome).toBe('ok');
    server.on('/easyquery.htm', { status: 503, body: 'Service Unavailable' });
    expect((await fetchAt(T2)).outcome).toBe('failed');
    expect((await fetchAt(T3)).outcome).toBe('failed');
    server.on('/easyquery.htm', RECORDED_2024);
    expect((await fetchAt(T4)).outcome).toBe('no_change');
    evaluateSeriesInStore(db, { kind: 'all' }, T4);
    const app = appAt(db, T4);

    // Today lacuna has read NBS again and March 2025 is not there: missing.
    expect((await periodOf(app, '2025-03')).state).toBe('missing');
    for (const asOf of ['2025-04-28', '2025-05-02']) {
      expect((await periodOf(app, '2025-03', asOf)).state, asOf).toBe('unknown');
      const s = await json<{ status: string; reason: string; checked_at: string }>(app, `/api/series/${ID}?as_of=${asOf}`);
      // Not 'current': its latest period due is not on record, because lacuna could not read NBS then.
      expect(s).toMatchObject({ status: 'unchecked', checked_at: new Date(T1).toISOString() });
      expect(s.reason).toContain('no record since, and not checked with the publisher');
    }
    const csv = await (await app.request(`/series/${ID}.csv?as_of=2025-05-02`)).text();
    expect(csv).toContain(`${ID},2025-03,,unknown,,,,,,,,CN\r\n`);

    // The fetch runs as of a date are those made by then.
    const runs = await json<{ as_of: string; next_fetch_at: string | null; runs: { started_at: string; outcome: string }[] }>(app, `/api/series/${ID}/fetch-runs?as_of=2025-05-02`);
    expect(runs.runs.map((r) => [r.started_at, r.outcome])).toEqual([
      [new Date(T3).toISOString(), 'failed'], [new Date(T2).toISOString(), 'failed'], [new Date(T1).toISOString(), 'ok'],
    ]);
    expect(runs).toMatchObject({ as_of: '2025-05-02', next_fetch_at: null });
    expect((await json<{ runs: unknown[] }>(app, `/api/series/${ID}/fetch-runs`)).runs).toHaveLength(4);
    const page = await (await app.request(`/series/${ID}?as_of=2025-05-02`)).text();
    expect(page).toContain('2025-01-20 04:00'); // record complete up to the good read of T1
    expect(page).not.toContain('2025-06-01');
  });

  it('shows a value as it stood: a revision and a withdrawal recorded after the date are invisible', async () => {
    const { db, fetchAt } = setUp();
    server.on('/easyquery.htm', RECORDED_2024);
    await fetchAt(T1);
    const later = at('2025-02-10T04:00:00Z');
    server.on('/easyquery.htm', edited((nodes) => {
      const dec = nodes.find((n) => n.code === 'zb.A020101_sj.202412')!;
      dec.data = { ...dec.data, data: 6.3, strdata: '6.3' }; // an edited copy: a revision to test with
      const nov = nodes.find((n) => n.code === 'zb.A020101_sj.202411')!;
      nov.data = { data: 0, hasdata: false, strdata: '' } as never;
    }));
    expect(await fetchAt(later)).toMatchObject({ outcome: 'ok', revised: 1, withdrawn: 1 });
    evaluateSeriesInStore(db, { kind: 'all' }, later);
    const app = appAt(db, later);

    expect(await periodOf(app, '2024-12', '2025-02-01')).toMatchObject({ value_text: '6.2', state: 'disclosed', marks: { revised: false } });
    expect(await periodOf(app, '2024-11', '2025-02-01')).toMatchObject({ value_text: '5.4', state: 'disclosed' });
    expect(await periodOf(app, '2024-12', '2025-02-10')).toMatchObject({ value_text: '6.3', state: 'disclosed', marks: { revised: true } });
    expect(await periodOf(app, '2024-11', '2025-02-10')).toMatchObject({ value_text: '5.4', state: 'withdrawn' });
    expect(await periodOf(app, '2024-12')).toMatchObject({ value_text: '6.3', marks: { revised: true } });
    const csv = await (await app.request(`/series/${ID}.csv?as_of=2025-02-01`)).text();
    expect(csv).toContain(`${ID},2024-12,6.2,disclosed,A,${new Date(T1).toISOString()},,,,,lacuna,CN\r\n`);
  });

  it("trusts the bundle's checked_through as of a date before lacuna's first live read, and no further", async () => {
    // MOF land revenue is bundled to April 2026 (checked_through 2026-04: due 20 May 2026 at 23:59
    // Beijing time, 15 days of grace). Say lacuna then read MOF live on 1 August 2026.
    const NOW = at('2026-08-01T00:00:00Z');
    const MOF = 'cn.mof.land_transfer_revenue.ytd';
    const { db } = loadedDb(NOW);
    const bundleEnd = at('2026-06-04T15:59:00Z');
    expect(db.select().from(series).where(eq(series.id, MOF)).get()).toMatchObject({ bundleCheckedAt: bundleEnd, checkedAt: bundleEnd });
    db.insert(fetchRuns).values({ seriesId: MOF, source: 'mof', startedAt: NOW, finishedAt: NOW, outcome: 'no_change' }).run();
    db.update(series).set({ checkedAt: NOW }).where(eq(series.id, MOF)).run();
    evaluateSeriesInStore(db, { kind: 'all' }, NOW);
    const app = appAt(db, NOW);
    const may = async (asOf?: string) => (await json<{ periods: Period[] }>(app, `/api/series/${MOF}/observations${asOf ? `?as_of=${asOf}` : ''}`)).periods
      .find((p) => p.period === '2026-05')!.state;
    // May 2026 was due 20 June, past grace on 5 July: on 15 July lacuna had only the bundle, which stops at April.
    expect(await may('2026-07-15')).toBe('unknown');
    expect(await may()).toBe('missing');
    expect((await json<{ checked_at: string }>(app, `/api/series/${MOF}?as_of=2026-07-15`)).checked_at).toBe(new Date(bundleEnd).toISOString());
  });
});
