// What leaves the catalogue leaves the database at the next start, in the load's transaction:
// catalogue events and their citations, bundled values, publishers; a series that left is kept
// with what lacuna fetched (retracted), and no longer listed, fetched or evaluated.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db/client.js';
import { recordValues } from '../db/record-values.js';
import { citations, events, observations, publishers, series } from '../db/schema.js';
import { prepareStore } from '../src/app/prepare.js';
import { dueForFetch } from '../src/fetch/due.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { appAt, at, tempDir, writeTree } from './helpers.js';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');
const BUNDLED = join(import.meta.dirname, '..', 'catalogue');
const YOUTH_CSV = readFileSync(join(MINI, 'values/youth.csv'), 'utf8');

const PUBLISHERS = `publishers:
  - { id: nbs, name: National Bureau of Statistics of China, time_zone: Asia/Shanghai }
  - { id: safe, name: State Administration of Foreign Exchange (China), time_zone: Asia/Shanghai }
  - { id: mof, name: Ministry of Finance of the People's Republic of China, time_zone: Asia/Shanghai }
`;

// Events and citations as the bundled catalogue has them (nbs-labour.yaml).
const SUSPENSION = `      - id: test-youth-suspension
        kind: suspension_announced
        date: 2023-08-15
        periods: { from: 2023-07, to: 2023-11 }
        title: NBS suspends the age-group urban unemployment rates from the July 2023 data
        evidence_kind: official_notice
        confidence: verified
        citations:
          - url: https://ecns.cn/news/economy/2023-08-15/detail-ihcsemmm4541146.shtml
            title: ecns.cn report of the NBS press conference, 2023-08-15
            publisher: ecns.cn
            date: 2023-08-15
`;
const SECOND_CITATION = `          - url: https://www.nippon.com/en/news/kd1064134637277397079/china-stops-releasing-youth-jobless-data-after-record-high-figure.html
            title: Kyodo report (on nippon.com) of the NBS suspension of the youth jobless rate, 2023-08-15
            publisher: nippon.com (Kyodo)
            date: 2023-08-15
`;
const REPLACED = `      - id: test-youth-replaced
        kind: replaced
        date: 2024-01-17
        periods: { from: 2023-12 }
        title: Replaced by the rate excluding students from December 2023
        evidence_kind: official_notice
        confidence: verified
        citations:
          - url: https://mothership.sg/2024/01/china-youth-unemployment/
            title: mothership.sg report of the resumed youth unemployment data on a new basis, 2024-01-17
            publisher: mothership.sg
            date: 2024-01-17
`;
const youth = (evts: string) => `series:
  - id: test.youth
    publisher: nbs
    title: Youth unemployment 16-24 (test copy)
    unit: percent
    frequency: monthly
    topics: [labour, youth]
    grid_from: 2023-03
    checked_through: 2023-06
    release: { lag_days: 17, time: "10:00", grace_days: 3 }
    values: values/youth.csv
    events:
${evts}`;

// Foreign-exchange reserves, three months as the bundled catalogue has them, read from a source.
const RESERVES_CSV = readFileSync(join(BUNDLED, 'values/cn_fx_reserves_monthly_akshare.csv'), 'utf8')
  .split('\n').slice(0, 4).join('\n').replaceAll('cn.safe.fx_reserves.monthly', 'test.reserves');
const RESERVES = `series:
  - id: test.reserves
    publisher: safe
    title: Foreign exchange reserves (test copy)
    unit: USD billion
    frequency: monthly
    topics: [reserves]
    grid_from: 2016-09
    release: { lag_days: 7, grace_days: 7 }
    values: values/reserves.csv
    source: { kind: dbnomics, provider: IMF, dataset: IFS, series: M.CN.RAXG_USD }
`;

const FULL = {
  'publishers.yaml': PUBLISHERS,
  'series/youth.yaml': youth(SUSPENSION + SECOND_CITATION + REPLACED),
  'values/youth.csv': YOUTH_CSV,
  'series/reserves.yaml': RESERVES,
  'values/reserves.csv': RESERVES_CSV,
};

/** The catalogue with one event, one citation, one bundled value, one series and one publisher removed. */
function shrink(dir: string): void {
  rmSync(join(dir, 'series/reserves.yaml'));
  rmSync(join(dir, 'values/reserves.csv'));
  writeTree({
    'publishers.yaml': PUBLISHERS.split('\n').filter((l) => !l.includes('id: mof') && !l.includes('id: safe')).join('\n'),
    'series/youth.yaml': youth(SUSPENSION),
    'values/youth.csv': YOUTH_CSV.split('\n').filter((l) => !l.startsWith('test.youth,2023-03,')).join('\n'),
  }, dir);
}

const T1 = at('2024-02-01T00:00:00Z');
const T2 = at('2024-02-02T00:00:00Z');
const T3 = at('2024-02-03T00:00:00Z');

function start(dir: string, file: string, now: number): Db {
  return prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: dir }, now).db;
}

/** Starts on the full catalogue, then records a value fetched from the reserves' source and an event lacuna inferred. */
function startedWithHistory() {
  const dir = writeTree(FULL);
  const file = join(tempDir(), 'lacuna.sqlite');
  const db = start(dir, file, T1);
  db.transaction((tx) => {
    recordValues(tx as unknown as Db, 'test.reserves', [{ period: '2016-12', value: 3010.517, valueText: '3010.517' }], { origin: 'fetch', now: T1 + 1 });
    tx.insert(events).values({
      id: 'test-reserves-inferred', seriesId: 'test.reserves', kind: 'line_dropped', date: '2024-01-31', periodFrom: '2017-01',
      title: 'test: an event lacuna inferred', evidenceKind: 'inferred', confidence: 'verified', origin: 'inferred', recordedAt: T1 + 1,
    }).run();
  });
  db.$client.close();
  return { dir, file };
}

const text = async (db: Db, now: number, path: string) => (await appAt(db, now).request(path)).text();

describe('a catalogue load after things left the catalogue', () => {
  it('deletes the removed event with its citations, the removed citation and the removed bundled value', () => {
    const { dir, file } = startedWithHistory();
    shrink(dir);
    const db = start(dir, file, T2);
    expect(db.select({ id: events.id }).from(events).where(eq(events.seriesId, 'test.youth')).all()).toEqual([{ id: 'test-youth-suspension' }]);
    expect(db.select({ eventId: citations.eventId, url: citations.url }).from(citations).all())
      .toEqual([{ eventId: 'test-youth-suspension', url: 'https://ecns.cn/news/economy/2023-08-15/detail-ihcsemmm4541146.shtml' }]);
    expect(db.select({ period: observations.period }).from(observations).where(eq(observations.seriesId, 'test.youth')).all().map((o) => o.period))
      .toEqual(['2023-04', '2023-05', '2023-06']);
    db.$client.close();
  });

  it('keeps a series that left with what lacuna fetched and inferred, marked retracted, and drops its bundled values and catalogue events', () => {
    const { dir, file } = startedWithHistory();
    shrink(dir);
    const db = start(dir, file, T2);
    expect(db.select({ retractedAt: series.retractedAt }).from(series).where(eq(series.id, 'test.reserves')).get()).toEqual({ retractedAt: T2 });
    expect(db.select({ period: observations.period, origin: observations.origin, value: observations.valueText }).from(observations)
      .where(eq(observations.seriesId, 'test.reserves')).all()).toEqual([{ period: '2016-12', origin: 'fetch', value: '3010.517' }]);
    expect(db.select({ id: events.id }).from(events).where(eq(events.seriesId, 'test.reserves')).all()).toEqual([{ id: 'test-reserves-inferred' }]);
    // The publisher no series names is gone; the one the retracted series still names stays.
    expect(db.select({ id: publishers.id }).from(publishers).orderBy(publishers.id).all().map((p) => p.id)).toEqual(['nbs', 'safe']);
    db.$client.close();
  });

  it('no longer fetches, evaluates or lists a retracted series: board, API, exports, gaps, disclosure, badges', async () => {
    const { dir, file } = startedWithHistory();
    const before = start(dir, file, T2 - 1);
    expect(dueForFetch(before, T2 - 1, {})).toEqual(['test.reserves']);
    expect(await text(before, T2 - 1, '/export.csv')).toContain('\r\ntest.reserves,2016-12,3010.517,');
    before.$client.close();
    shrink(dir);
    const db = start(dir, file, T2);
    expect(dueForFetch(db, T2, {})).toEqual([]);
    expect(evaluateSeriesInStore(db, { kind: 'all' }, T2).evaluated).toBe(1);
    for (const path of ['/', '/?publisher=safe', '/gaps', '/gaps.csv', '/export.csv', '/events.csv', '/api/series', '/api/events']) {
      expect(await text(db, T2, path), path).not.toContain('test.reserves');
    }
    expect(JSON.parse(await text(db, T2, '/api/series')).total).toBe(1);
    expect(JSON.parse(await text(db, T2, '/api/disclosure?from=2016-01')).series_count).toBe(1);
    expect(JSON.parse(await text(db, T2, '/badge/publisher/safe.json')).message).toBe('0 of 0 series dark');
    const csv = await text(db, T2, '/export.csv');
    expect(csv).toContain('\r\ntest.youth,2023-03,,');
    expect(csv).not.toContain('19.6');
    expect(await text(db, T2, '/events.csv')).not.toContain('test-youth-replaced');
    const page = await text(db, T2, '/series/test.youth');
    expect(page).not.toContain('Replaced by the rate excluding students');
    expect(page).not.toContain('nippon.com');
    db.$client.close();
  });

  it("still answers a retracted series' own page, API and badge, saying that it left the catalogue", async () => {
    const { dir, file } = startedWithHistory();
    shrink(dir);
    const db = start(dir, file, T2);
    const page = await appAt(db, T2).request('/series/test.reserves');
    expect(page.status).toBe(200);
    expect((await page.text()).replace(/\s+/g, ' ')).toContain('This series left the catalogue on 2024-02-02');
    const api = JSON.parse(await text(db, T2, '/api/series/test.reserves'));
    expect(api).toMatchObject({ id: 'test.reserves', retracted_at: '2024-02-02T00:00:00.000Z' });
    expect(JSON.parse(await text(db, T2, '/badge/series/test.reserves.json'))).toMatchObject({ message: 'left the catalogue', status: 'retracted' });
    expect(await text(db, T2, '/series/test.reserves.csv')).toContain('\r\ntest.reserves,2016-12,3010.517,disclosed,');
    db.$client.close();
  });

  it('brings back a series added again, with its bundled values and events, and clears retracted_at', async () => {
    const { dir, file } = startedWithHistory();
    shrink(dir);
    start(dir, file, T2).$client.close();
    writeTree(FULL, dir);
    const db = start(dir, file, T3);
    expect(db.select({ retractedAt: series.retractedAt }).from(series).where(eq(series.id, 'test.reserves')).get()).toEqual({ retractedAt: null });
    expect(db.select({ id: observations.id }).from(observations).where(eq(observations.seriesId, 'test.reserves')).all()).toHaveLength(4);
    expect(dueForFetch(db, T3, {})).toEqual(['test.reserves']);
    expect(db.select({ id: events.id }).from(events).orderBy(events.id).all().map((e) => e.id))
      .toEqual(['test-reserves-inferred', 'test-youth-replaced', 'test-youth-suspension']);
    expect(db.select({ id: publishers.id }).from(publishers).orderBy(publishers.id).all().map((p) => p.id)).toEqual(['mof', 'nbs', 'safe']);
    expect(await text(db, T3, '/api/series')).toContain('test.reserves');
    db.$client.close();
  });

  it('gives back the fetched value a removed bundled value had replaced', () => {
    const dir = writeTree({ ...FULL, 'values/youth.csv': YOUTH_CSV.split('\n').filter((l) => !l.startsWith('test.youth,2023-05,')).join('\n') });
    const file = join(tempDir(), 'lacuna.sqlite');
    const db = start(dir, file, T1);
    db.transaction((tx) => {
      recordValues(tx as unknown as Db, 'test.youth', [{ period: '2023-05', value: 20.9, valueText: '20.9' }], { origin: 'fetch', now: T1 + 1 });
    });
    db.$client.close();
    writeTree({ 'values/youth.csv': YOUTH_CSV }, dir); // the bundle now says 20.8: a revision of the fetched 20.9
    const revised = start(dir, file, T2);
    const may = () => revised.select({ value: observations.valueText, origin: observations.origin, superseded: observations.supersededAt })
      .from(observations).where(and(eq(observations.seriesId, 'test.youth'), eq(observations.period, '2023-05'))).orderBy(observations.id).all();
    expect(may()).toEqual([{ value: '20.9', origin: 'fetch', superseded: T2 }, { value: '20.8', origin: 'bundle', superseded: null }]);
    revised.$client.close();
    writeTree({ 'values/youth.csv': YOUTH_CSV.split('\n').filter((l) => !l.startsWith('test.youth,2023-05,')).join('\n') }, dir);
    const db3 = start(dir, file, T3);
    expect(db3.select({ value: observations.valueText, origin: observations.origin, superseded: observations.supersededAt })
      .from(observations).where(and(eq(observations.seriesId, 'test.youth'), eq(observations.period, '2023-05'))).all())
      .toEqual([{ value: '20.9', origin: 'fetch', superseded: null }]);
    db3.$client.close();
  });
});
