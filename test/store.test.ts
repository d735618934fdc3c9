import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDb } from '../db/client.js';
import { syncCatalogue } from '../src/catalogue/sync.js';
import { recordValues } from '../db/record-values.js';
import { catalogueLoads, citations, events, flips, observations, series } from '../db/schema.js';
import { loadCatalogue } from '../src/catalogue/load.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { at, tempDir, writeTree } from './helpers.js';
import { readFileSync } from 'node:fs';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');

function counts(db: ReturnType<typeof openDb>) {
  return {
    series: db.select({ n: count() }).from(series).get()!.n,
    observations: db.select({ n: count() }).from(observations).get()!.n,
    events: db.select({ n: count() }).from(events).get()!.n,
    citations: db.select({ n: count() }).from(citations).get()!.n,
    loads: db.select({ n: count() }).from(catalogueLoads).get()!.n,
  };
}

describe('the store', () => {
  it('creates, migrates and opens a SQLite file in WAL mode', () => {
    const file = join(tempDir(), 'sub', 'lacuna.sqlite');
    const db = openDb(file);
    expect(existsSync(file)).toBe(true);
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.$client.prepare("SELECT name FROM sqlite_master WHERE type='table'").all().map((r) => (r as { name: string }).name);
    for (const t of ['publishers', 'series', 'observations', 'events', 'citations', 'fetch_runs', 'raw_answers', 'flips', 'channels', 'subscriptions', 'deliveries']) {
      expect(tables).toContain(t);
    }
  });

  it('loads a catalogue once: a second load of the same files changes nothing', () => {
    const file = join(tempDir(), 'lacuna.sqlite');
    const db = openDb(file);
    const first = syncCatalogue(db, loadCatalogue(MINI), at('2023-09-01T00:00:00Z'));
    expect(first).toMatchObject({ skipped: false, series: 1, added: 4, revised: 0, events: 1 });
    const before = counts(db);
    db.$client.close();

    const again = openDb(file);
    const second = syncCatalogue(again, loadCatalogue(MINI), at('2023-09-02T00:00:00Z'));
    expect(second.skipped).toBe(true);
    expect(counts(again)).toEqual(before);
    const june = again.select().from(observations).where(eq(observations.period, '2023-06')).get()!;
    expect(june.firstSeenAt).toBe(at('2023-09-01T00:00:00Z'));
  });

  it('keeps a changed bundled value as a revision and never overwrites the old one', () => {
    const dir = writeTree({});
    const cat = writeTree({
      'publishers.yaml': readFileSync(join(MINI, 'publishers.yaml'), 'utf8'),
      'series/youth.yaml': readFileSync(join(MINI, 'series/youth.yaml'), 'utf8'),
      'values/youth.csv': readFileSync(join(MINI, 'values/youth.csv'), 'utf8'),
    }, dir);
    const db = openDb(join(tempDir(), 'lacuna.sqlite'));
    syncCatalogue(db, loadCatalogue(cat), at('2023-09-01T00:00:00Z'));
    writeTree({ 'values/youth.csv': readFileSync(join(MINI, 'values/youth.csv'), 'utf8').replace('2023-05,20.8', '2023-05,20.9') }, cat);
    const result = syncCatalogue(db, loadCatalogue(cat), at('2023-09-05T00:00:00Z'));
    expect(result).toMatchObject({ skipped: false, added: 0, revised: 1 });
    const may = db.select().from(observations).where(eq(observations.period, '2023-05')).all();
    expect(may.map((o) => [o.valueText, o.supersededAt])).toEqual([['20.8', at('2023-09-05T00:00:00Z')], ['20.9', null]]);
  });

  it('records a long answer in batches with every field, and a later answer revising part of it', () => {
    const db = openDb(join(tempDir(), 'lacuna.sqlite'));
    syncCatalogue(db, loadCatalogue(MINI), at('2023-09-01T00:00:00Z'));
    // 77 new months: two full batches of 32 and 13 rows one at a time.
    const months = Array.from({ length: 77 }, (_, k) => `${2010 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`);
    const first = months.map((period, k) => ({
      period, value: k, valueText: String(k), obsStatus: k % 2 ? 'A' : null, releasedAt: k, provenance: `p${k}`,
    }));
    expect(recordValues(db, 'test.youth', first, { origin: 'fetch', now: 1, fetchRunId: 7 })).toEqual({ added: 77, revised: 0, unchanged: 0, withdrawn: 0 });
    const stored = db.select().from(observations).where(eq(observations.firstSeenAt, 1)).orderBy(observations.id).all();
    expect(stored.map((o) => [o.period, o.value, o.valueText, o.obsStatus, o.releasedAt, o.provenance, o.origin, o.fetchRunId])).toEqual(
      first.map((v) => [v.period, v.value, v.valueText, v.obsStatus, v.releasedAt, v.provenance, 'fetch', 7]),
    );
    // The second answer revises the 39 even months (a batch and more) and adds one.
    const second = [...first.map((v, k) => (k % 2 === 0 ? { ...v, value: k + 0.5, valueText: `${k}.5` } : v)), { period: '2016-06', value: 1, valueText: '1' }];
    const revisedCount = 39;
    const r = recordValues(db, 'test.youth', second, { origin: 'fetch', now: 2 });
    expect(r).toEqual({ added: 1, revised: revisedCount, unchanged: 77 - revisedCount, withdrawn: 0 });
    const current = db.select().from(observations).where(eq(observations.seriesId, 'test.youth')).all().filter((o) => o.supersededAt === null && o.period < '2017');
    expect(new Map(current.map((o) => [o.period, o.valueText]))).toEqual(new Map(second.map((v) => [v.period, v.valueText])));
    expect(db.select().from(observations).where(eq(observations.supersededAt, 2)).all()).toHaveLength(revisedCount);
  });

  it('takes a publisher\'s figure for the one an intermediary wrote with float noise, not for a revision, and still sees a real one', () => {
    // Bundled SAFE reserves were divided by 10 by the script that published them (3342.1230000000005
    // for SAFE's 33421.23 亿美元); a live read of the same figure writes 3342.123.
    const db = openDb(join(tempDir(), 'lacuna.sqlite'));
    syncCatalogue(db, loadCatalogue(MINI), at('2023-09-01T00:00:00Z'));
    const bundled = [{ period: '2010-03', value: 3342.1230000000005, valueText: '3342.1230000000005' }, { period: '2010-04', value: 3410.547, valueText: '3410.547' }];
    recordValues(db, 'test.youth', bundled, { origin: 'bundle', now: 1 });
    const read = [{ period: '2010-03', value: 3342.123, valueText: '3342.123' }, { period: '2010-04', value: 3410.548, valueText: '3410.548' }];
    expect(recordValues(db, 'test.youth', read, { origin: 'fetch', now: 2 })).toEqual({ added: 0, revised: 1, unchanged: 1, withdrawn: 0 });
  });

  it('flags a period that a complete answer no longer contains as withdrawn, and keeps it', () => {
    const db = openDb(join(tempDir(), 'lacuna.sqlite'));
    syncCatalogue(db, loadCatalogue(MINI), at('2023-09-01T00:00:00Z'));
    const values = [
      { period: '2023-03', value: 19.6, valueText: '19.6' },
      { period: '2023-04', value: 20.4, valueText: '20.4' },
      { period: '2023-05', value: 20.8, valueText: '20.8' },
    ];
    const r = recordValues(db, 'test.youth', values, { origin: 'fetch', now: at('2023-09-02T00:00:00Z'), complete: true });
    expect(r).toEqual({ added: 0, revised: 0, unchanged: 3, withdrawn: 1 });
    const june = db.select().from(observations).where(eq(observations.period, '2023-06')).get()!;
    expect(june.withdrawnAt).toBe(at('2023-09-02T00:00:00Z'));
    expect(recordValues(db, 'test.youth', values, { origin: 'fetch', now: at('2023-09-03T00:00:00Z'), complete: true }))
      .toEqual({ added: 0, revised: 0, unchanged: 3, withdrawn: 0 });
  });

  it('records a flip when a series changes status and stores next_check_at for the due query', () => {
    const db = openDb(join(tempDir(), 'lacuna.sqlite'));
    syncCatalogue(db, loadCatalogue(MINI), at('2023-08-01T00:00:00Z'));
    const first = evaluateSeriesInStore(db, { kind: 'all' }, at('2023-08-01T00:00:00Z'));
    expect(first.flips.map((f) => [f.from, f.to])).toEqual([['new', 'current']]);
    const row = db.select().from(series).get()!;
    // July 2023 is due 17 August at 10:00 in Beijing, but the catalogue's suspension notice is
    // dated 15 August: the evaluation changes at 00:00 Beijing time that day, so that is the next check.
    expect(row.nextCheckAt).toBe(at('2023-08-14T16:00:00Z'));
    expect(evaluateSeriesInStore(db, { kind: 'due' }, at('2023-08-10T00:00:00Z')).evaluated).toBe(0);

    const later = evaluateSeriesInStore(db, { kind: 'due' }, at('2023-08-20T00:00:00Z'));
    expect(later.evaluated).toBe(1);
    expect(later.flips.map((f) => [f.from, f.to])).toEqual([['current', 'suspended']]);
    const stored = db.select().from(flips).all();
    expect(stored).toHaveLength(2);
    expect(stored[1]!.reason).toContain('NBS suspends age-group unemployment rates (2023-08-15)');
    expect(stored[1]).toMatchObject({ period: '2023-07', eventIds: JSON.stringify(['test-youth-suspension']) });
  });
});
