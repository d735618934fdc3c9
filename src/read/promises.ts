// Promise against delivery for the pages, the API and the CSV: each promised period of a series with
// its first and latest promised dates, its delivery and the days between (src/core/promise-delivery.ts),
// every version of the promise with the archived answer that holds it, and the calendar's reads.
import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { calendarReads, promises, series } from '../../db/schema.js';
import { promiseDelivery, type PromiseDeliveryRow } from '../core/index.js';
import { observationFacts, promiseFacts } from './facts.js';
import type { EvaluatedSeries } from './read-model.js';

export interface PromiseVersionView {
  dueAt: number | null;
  written: string | null;
  state: string;
  reason: string | null;
  seenAt: number;
  source: string;
  /** The archived answer that holds it (/raw/<hash>). */
  raw: string | null;
}

export interface PromiseView extends PromiseDeliveryRow {
  versions: PromiseVersionView[];
}

/**
 * The promised periods of a series as lacuna knew them at `at`, newest first. With `recent`, only
 * the periods of its grid (due, or in progress: the next release), at most that many.
 */
export function promiseViews(db: Db, s: EvaluatedSeries, at: number, recent?: number): PromiseView[] {
  const row = db.select().from(series).where(eq(series.id, s.id)).get();
  if (!row) return [];
  // Delivered: when the figure became public, where lacuna knows it (not for bundled history).
  const delivered = new Map(observationFacts(db, row, at).filter((o) => o.firstSeenAt !== null && !o.withdrawn).map((o) => [o.period, o.knownAt]));
  let rows = promiseDelivery(promiseFacts(db, s.id), s.evaluation.grid, delivered, at);
  // The grid runs to the period in progress, whose release is the next one promised.
  if (recent !== undefined) rows = rows.filter((r) => r.periodState !== null).slice(0, recent);
  const all = db.select().from(promises).where(and(eq(promises.seriesId, s.id), lte(promises.seenAt, at))).orderBy(asc(promises.id)).all();
  return rows.map((r) => ({
    ...r,
    versions: all.filter((v) => v.period === r.period).map((v) => ({
      dueAt: v.dueAt, written: v.dueLocal, state: v.state, reason: v.reason, seenAt: v.seenAt, source: v.source, raw: v.rawHash ? `/raw/${v.rawHash}` : null,
    })),
  }));
}

/** The series' calendar reads, newest first; with `until`, only those started by then. */
export function listCalendarReads(db: Db, seriesId: string, opts: { until?: number | undefined; limit?: number } = {}) {
  return db.select().from(calendarReads)
    .where(and(eq(calendarReads.seriesId, seriesId), opts.until === undefined ? undefined : lte(calendarReads.startedAt, opts.until)))
    .orderBy(desc(calendarReads.id)).limit(opts.limit ?? 20).all();
}
