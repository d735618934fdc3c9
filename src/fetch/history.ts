// What the runner reads from the store to judge a read: the series' newest value, its standing
// inferred "line dropped" event, its last good run, and its publisher's recent runs and health.
import { and, desc, eq, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { events, fetchRuns, observations, publishers, series } from '../../db/schema.js';
import type { PublisherHealth, RunFact } from '../core/index.js';

/** How many of a publisher's latest runs its health is judged from. */
const HEALTH_WINDOW = 50;

/** The series' newest current value (by period), withdrawn ones left out. */
export function newestValue(db: Db, seriesId: string) {
  return db.select({ period: observations.period, value: observations.value, firstSeenAt: observations.firstSeenAt }).from(observations)
    .where(and(eq(observations.seriesId, seriesId), isNull(observations.supersededAt), isNull(observations.withdrawnAt)))
    .orderBy(desc(observations.period)).limit(1).get() ?? null;
}

/** The newest "line dropped" event lacuna inferred for the series. */
export function standingLineDropped(db: Db, seriesId: string) {
  return db.select({ recordedAt: events.recordedAt }).from(events)
    .where(and(eq(events.seriesId, seriesId), eq(events.kind, 'line_dropped'), eq(events.origin, 'inferred')))
    .orderBy(desc(events.recordedAt)).limit(1).get() ?? null;
}

/** The series' latest run that read its source (ok or no change); with `url`, only if it asked that URL. */
export function lastGoodRun(db: Db, seriesId: string, url?: string) {
  const run = db.select().from(fetchRuns)
    .where(and(eq(fetchRuns.seriesId, seriesId), inArray(fetchRuns.outcome, ['ok', 'no_change'])))
    .orderBy(desc(fetchRuns.id)).limit(1).get();
  if (!run || (url !== undefined && run.url !== url)) return null;
  return run;
}

export function publisherName(db: Db, publisherId: string): string {
  return db.select({ name: publishers.name }).from(publishers).where(eq(publishers.id, publisherId)).get()?.name ?? publisherId;
}

export interface PublisherRecord {
  health: PublisherHealth;
  /** Its series with a source, still in the catalogue. */
  fetchedSeries: number;
  /** Its latest finished runs, newest first. */
  runs: RunFact[];
}

export function publisherRecord(db: Db, publisherId: string): PublisherRecord {
  const pub = db.select({ health: publishers.health }).from(publishers).where(eq(publishers.id, publisherId)).get();
  const fetched = db.select({ id: series.id }).from(series)
    .where(and(eq(series.publisherId, publisherId), isNotNull(series.source), isNull(series.retractedAt))).all();
  const runs = db.select({
    seriesId: fetchRuns.seriesId, outcome: fetchRuns.outcome, errorCode: fetchRuns.errorCode, httpStatus: fetchRuns.httpStatus, error: fetchRuns.error,
  }).from(fetchRuns).innerJoin(series, eq(series.id, fetchRuns.seriesId))
    // A secondary or mirror source failing says nothing of the publisher: only its own runs count.
    .where(and(eq(series.publisherId, publisherId), isNotNull(fetchRuns.finishedAt), or(isNull(fetchRuns.sourceRole), eq(fetchRuns.sourceRole, 'official'))))
    .orderBy(desc(fetchRuns.id)).limit(HEALTH_WINDOW).all();
  return {
    health: pub?.health ?? 'ok', fetchedSeries: fetched.length,
    runs: runs.map((r) => ({ ...r, seriesId: r.seriesId ?? '' })),
  };
}
