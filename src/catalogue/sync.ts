// Loads a validated catalogue into the store in one transaction. Idempotent: an unchanged
// catalogue (same hash) is skipped, and a changed one only writes what differs. A bundled value
// that changes becomes a revision (the old row is kept, superseded), never an overwrite. What left
// the catalogue leaves the store in the same transaction (retract.ts), keeping fetched history.
import { desc, eq } from 'drizzle-orm';
import { graceEndsAt } from '../core/release.js';
import type { Catalogue, CatalogueSeries } from './load.js';
import { retractLeft, type Retracted } from './retract.js';
import type { Db } from '../../db/client.js';
import { recordValues } from '../../db/record-values.js';
import { calendarEvents, catalogueLoads, citations, events, publishers, series } from '../../db/schema.js';

export interface SyncResult {
  skipped: boolean;
  series: number;
  added: number;
  revised: number;
  events: number;
  /** What left the catalogue since the last load: series retracted, events, values and publishers deleted. */
  retracted: Retracted;
}

const NOTHING_RETRACTED: Retracted = { series: 0, events: 0, values: 0, publishers: 0 };

export function syncCatalogue(db: Db, cat: Catalogue, now: number): SyncResult {
  const last = db.select().from(catalogueLoads).orderBy(desc(catalogueLoads.id)).limit(1).get();
  if (last?.hash === cat.hash) return { skipped: true, series: 0, added: 0, revised: 0, events: 0, retracted: NOTHING_RETRACTED };

  return db.transaction((tx) => {
    const result: SyncResult = { skipped: false, series: cat.series.length, added: 0, revised: 0, events: 0, retracted: NOTHING_RETRACTED };
    for (const p of cat.publishers) {
      const values = { name: p.name, nameLocal: p.nameLocal, url: p.url, timeZone: p.timeZone, country: p.country };
      tx.insert(publishers).values({ id: p.id, ...values }).onConflictDoUpdate({ target: publishers.id, set: values }).run();
    }
    for (const s of cat.series) upsertSeries(tx as unknown as Db, s);
    for (const s of cat.series) {
      const r = recordValues(tx as unknown as Db, s.id, s.values, { origin: 'bundle', now });
      result.added += r.added;
      result.revised += r.revised;
      result.events += syncEvents(tx as unknown as Db, s, now);
    }
    result.retracted = retractLeft(tx as unknown as Db, cat, now);
    // The calendar is the catalogue's: replaced whole at each load.
    tx.delete(calendarEvents).run();
    for (const c of cat.calendar) {
      tx.insert(calendarEvents).values({ id: c.id, kind: c.kind, title: c.title, fromDate: c.from, toDate: c.to, citations: JSON.stringify(c.citations) }).run();
    }
    const observationCount = cat.series.reduce((n, s) => n + s.values.length, 0);
    tx.insert(catalogueLoads).values({
      hash: cat.hash, loadedAt: now, seriesCount: cat.series.length, observationCount, eventCount: result.events,
    }).run();
    return result;
  });
}

function upsertSeries(db: Db, s: CatalogueSeries): void {
  const checkedThrough = s.checkedThrough ? graceEndsAt(s.checkedThrough, s.frequency, s.release) : null;
  const existing = db.select({ checkedAt: series.checkedAt }).from(series).where(eq(series.id, s.id)).get();
  const values = {
    publisherId: s.publisherId,
    country: s.country,
    title: s.title,
    titleLocal: s.titleLocal,
    description: s.description,
    unit: s.unit,
    frequency: s.frequency,
    topics: JSON.stringify(s.topics),
    source: s.source ? JSON.stringify(s.source) : null,
    calendar: s.calendar ? JSON.stringify(s.calendar) : null,
    releaseRule: JSON.stringify({ ...s.release, citation: s.releaseCitation }),
    gridFrom: s.gridFrom,
    recordFrom: s.recordFrom,
    successorId: s.successorId,
    proxies: JSON.stringify(s.proxies),
    notes: s.notes,
    catalogueFile: s.file,
    // What the bundle alone vouches for, kept apart so an as-of view can tell it from live reads.
    bundleCheckedAt: checkedThrough,
    // A live check may have moved checkedAt past the bundled snapshot; never move it back.
    checkedAt: maxOrNull(existing?.checkedAt ?? null, checkedThrough),
  };
  db.insert(series).values({ id: s.id, ...values }).onConflictDoUpdate({ target: series.id, set: values }).run();
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function syncEvents(db: Db, s: CatalogueSeries, now: number): number {
  for (const e of s.events) {
    const values = {
      seriesId: s.id, kind: e.kind, date: e.date, dateApproximate: e.dateApproximate,
      periodFrom: e.from, periodTo: e.to, title: e.title, description: e.description,
      evidenceKind: e.evidenceKind, confidence: e.confidence, origin: 'catalogue',
    };
    db.insert(events).values({ id: e.id, ...values, recordedAt: now })
      .onConflictDoUpdate({ target: events.id, set: values }).run();
    db.delete(citations).where(eq(citations.eventId, e.id)).run();
    e.citations.forEach((c, position) => {
      db.insert(citations).values({
        eventId: e.id, position, url: c.url, title: c.title, publisher: c.publisher, date: c.date ?? null, quote: c.quote ?? null,
      }).run();
    });
  }
  return s.events.length;
}
