// Writes what a calendar read decided; it judges nothing. A read: the raw answers (gzip, by hash),
// the promise versions (a change closes the version it replaces, never overwrites it), the events
// lacuna inferred with their citations (each once: its id is its identity), the read itself, and a
// promise flip per change, queued for the channels that follow the series. A failure: the read
// with its error (a refusal's page kept as evidence). Each runs in one transaction.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { calendarReads, citations, events, flips, promises, rawAnswers, type series } from '../../db/schema.js';
import type { CalendarEvent, PromiseChange, PromiseVersion } from '../core/index.js';
import type { SourceAnswer } from '../sources/types.js';
import { enqueue } from '../alerts/outbox.js';

type SeriesRow = typeof series.$inferSelect;

export interface CalendarReadToRecord {
  row: SeriesRow;
  kind: string;
  readId: number;
  now: number;
  answers: SourceAnswer[];
  hash: string;
  url: string;
  versions: PromiseVersion[];
  events: CalendarEvent[];
  changes: PromiseChange[];
}

/** The raw answers, archived; returns their hashes in order. */
export function storeCalendarAnswers(db: Db, answers: readonly SourceAnswer[]): string[] {
  return answers.map((a) => {
    const hash = createHash('sha256').update(a.body).digest('hex');
    db.insert(rawAnswers).values({ hash, contentType: a.headers['content-type'] ?? null, encoding: 'gzip', size: a.body.length, body: gzipSync(a.body) })
      .onConflictDoNothing().run();
    return hash;
  });
}

/** Records an answered read that changed something (or first read): versions, events, flips. */
export function recordCalendarRead(db: Db, r: CalendarReadToRecord, rawHashes: string[]): { flipIds: number[] } {
  return db.transaction((tx) => {
    const t = tx as unknown as Db;
    for (const v of r.versions) {
      if (v.replaces !== null) {
        t.update(promises).set({ supersededAt: r.now })
          .where(and(eq(promises.seriesId, r.row.id), eq(promises.calendar, r.kind), eq(promises.entry, v.replaces), isNull(promises.supersededAt))).run();
      }
      t.insert(promises).values({
        seriesId: r.row.id, calendar: r.kind, source: v.source, entry: v.entry, period: v.period, dueAt: v.dueAt, dueLocal: v.dueLocal,
        state: v.state, reason: v.reason, seenAt: r.now, readId: r.readId, rawHash: rawHashes[0] ?? null,
      }).run();
    }
    for (const e of r.events) {
      const inserted = t.insert(events).values({
        id: e.id, seriesId: r.row.id, kind: e.kind, date: e.date, dateApproximate: false, periodFrom: e.period, periodTo: e.period,
        title: e.title, description: e.description, evidenceKind: e.evidenceKind, confidence: e.confidence, origin: 'inferred', recordedAt: r.now,
      }).onConflictDoNothing().run();
      if (!inserted.changes) continue;
      e.citations.forEach((c, position) => {
        t.insert(citations).values({ eventId: e.id, position, url: c.url, title: c.title, publisher: c.publisher, date: e.date, quote: null }).run();
      });
    }
    const flipIds = r.changes.map((c) => promiseFlip(t, r.row, c, r.now));
    t.update(calendarReads).set({
      finishedAt: r.now, outcome: 'ok', httpStatus: r.answers[0]?.status ?? null, url: r.url, contentHash: r.hash,
      rawHashes: JSON.stringify(rawHashes), changed: r.versions.length,
    }).where(eq(calendarReads.id, r.readId)).run();
    return { flipIds };
  });
}

/** A change of a promise as a flip (kind 'promise'), alerting unless the series is snoozed or paused. */
function promiseFlip(db: Db, row: SeriesRow, c: PromiseChange, now: number): number {
  const snoozed = row.snoozedUntil !== null && row.snoozedUntil > now;
  const alert = !snoozed && !row.paused;
  const flip = db.insert(flips).values({
    kind: 'promise', seriesId: row.id, publisherId: row.publisherId, alert, at: now,
    fromStatus: c.from ?? '', toStatus: c.kind === 'cancelled' || c.kind === 'removed' ? c.kind : c.to ?? '',
    reason: c.sentence, period: c.period, dueAt: c.dueAt, eventIds: JSON.stringify(c.eventId ? [c.eventId] : []), snoozed,
  }).returning({ id: flips.id }).get();
  if (alert) enqueue(db, flip.id, { seriesId: row.id, publisherId: row.publisherId, topics: JSON.parse(row.topics) as string[] }, now);
  return flip.id;
}

export function recordCalendarNoChange(db: Db, readId: number, now: number, answer: SourceAnswer, hash: string): void {
  db.update(calendarReads).set({ finishedAt: now, outcome: 'no_change', httpStatus: answer.status, url: answer.url, contentHash: hash })
    .where(eq(calendarReads.id, readId)).run();
}

export function recordCalendarFailure(db: Db, f: { readId: number; now: number; message: string; code: string; httpStatus: number | null; evidence: SourceAnswer | null }): void {
  db.transaction((tx) => {
    const t = tx as unknown as Db;
    const hashes = f.evidence ? storeCalendarAnswers(t, [f.evidence]) : [];
    t.update(calendarReads).set({
      finishedAt: f.now, outcome: 'failed', error: f.message, errorCode: f.code, httpStatus: f.httpStatus,
      ...(f.evidence ? { rawHashes: JSON.stringify(hashes), url: f.evidence.url } : {}),
    }).where(eq(calendarReads.id, f.readId)).run();
  });
}
