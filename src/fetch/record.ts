// Writes what the runner decided about one fetch; it judges nothing. A read: the raw answers (gzip,
// by hash), the values with their vintages and the withdrawals inside what the answer covers, the
// run with the source it read, and the series' source as fine (or stale), its record complete as far
// as the read vouches. A failure: the run (a refusal's page kept as evidence), the backoff count, and
// the series' source as misconfigured when the error was the series' own. Inferred events and a
// publisher's health change are written as the runner computed them (src/core). Each runs inside
// the runner's transaction, or its own.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import type { SourceAnswer } from '../sources/types.js';
import type { SourceRole } from '../core/index.js';
import type { Db } from '../../db/client.js';
import type { SeriesRow } from '../read/facts.js';
import { recordValues, type IncomingValue, type RecordCounts } from '../../db/record-values.js';
import { citations, events, fetchRuns, publishers, rawAnswers, series } from '../../db/schema.js';
import { formatDay, type Covers, type HealthChange, type HealthJudgement, type InferredEvent } from '../core/index.js';
import { recordSourceFlip } from '../alerts/outbox.js';

interface Base { row: SeriesRow; runId: number; now: number }

/** What one read says of the record: how far it is complete, and whether its source is stale. */
export interface ReadVouch {
  /** The record is complete up to here on this read's word (null: it vouches for nothing). */
  until: number | null;
  /** Why the source is stale; null when it is fresh. */
  stale: string | null;
  /** The source, as people read it ("fred TRESEGCNM052N (mirror)"). */
  label: string;
  role: SourceRole;
  /** The source's own date for its last update, where it gives one. */
  updatedAt: number | null;
}

export interface ReadToRecord extends Base {
  answers: SourceAnswer[];
  /** The first request's URL and the hash of every page's body together. */
  url: string;
  hash: string;
  values: IncomingValue[];
  /** What the answered series covers: values lacuna holds there and the answer lacks are withdrawn. */
  covers: Covers;
  /** Periods listed without a value. */
  gaps: number;
  vouch: ReadVouch;
}

export function recordRead(db: Db, r: ReadToRecord): { counts: RecordCounts; rawHashes: string[] } {
  return db.transaction((tx) => {
    const t = tx as unknown as Db;
    const rawHashes = r.answers.map((a) => storeRaw(t, a, r.runId));
    const counts = recordValues(t, r.row.id, r.values, {
      origin: 'fetch', now: r.now, fetchRunId: r.runId, complete: r.covers !== null, within: r.covers === 'all' ? null : r.covers,
    });
    const first = r.answers[0]!;
    t.update(fetchRuns).set({
      finishedAt: r.now, outcome: 'ok', httpStatus: first.status, bytes: r.answers.reduce((n, a) => n + a.body.length, 0),
      contentHash: r.hash, rawHashes: JSON.stringify(rawHashes), url: r.url,
      etag: first.headers.etag ?? null, lastModified: first.headers['last-modified'] ?? null,
      added: counts.added, revised: counts.revised, withdrawn: counts.withdrawn, unchanged: counts.unchanged, gaps: r.gaps,
      sourceUpdatedAt: r.vouch.updatedAt, stale: r.vouch.stale,
    }).where(eq(fetchRuns.id, r.runId)).run();
    markRead(t, r.row, r.now, r.vouch);
    return { counts, rawHashes };
  });
}

export function recordNoChange(db: Db, { row, runId, now, answer, hash, vouch }: Base & { answer: SourceAnswer; hash: string; vouch: ReadVouch }): void {
  db.transaction((tx) => {
    const t = tx as unknown as Db;
    t.update(fetchRuns).set({
      finishedAt: now, outcome: 'no_change', httpStatus: answer.status, contentHash: hash, url: answer.url,
      etag: answer.headers.etag ?? null, lastModified: answer.headers['last-modified'] ?? null,
      sourceUpdatedAt: vouch.updatedAt, stale: vouch.stale,
    }).where(eq(fetchRuns.id, runId)).run();
    markRead(t, row, now, vouch);
  });
}

export interface FailureToRecord extends Base {
  message: string;
  code: string;
  httpStatus: number | null;
  /** The publisher answered, but not for this series: its source is misconfigured. */
  seriesLevel: boolean;
  /** A refusal as received (a firewall's 403, a captcha page): archived and cited by the run. */
  evidence?: SourceAnswer | null;
  /** Whether this failure counts towards the backoff (once per fetch, however many sources failed); default yes. */
  counted?: boolean;
}

export function recordFailure(db: Db, f: FailureToRecord): void {
  db.transaction((tx) => {
    const t = tx as unknown as Db;
    const evidence = f.evidence ? [storeRaw(t, f.evidence, f.runId)] : [];
    t.update(fetchRuns).set({
      finishedAt: f.now, outcome: 'failed', error: f.message, errorCode: f.code, httpStatus: f.httpStatus,
      ...(f.evidence ? { rawHashes: JSON.stringify(evidence), url: f.evidence.url, bytes: f.evidence.body.length } : {}),
    }).where(eq(fetchRuns.id, f.runId)).run();
    t.update(series).set({
      ...(f.counted === false ? {} : { fetchFailures: sql`${series.fetchFailures} + 1` }),
      ...(f.seriesLevel ? { sourceState: 'misconfigured' as const, sourceError: f.message, sourceErrorAt: f.now } : {}),
    }).where(eq(series.id, f.row.id)).run();
  });
}

/**
 * lacuna's own error around a read (evaluating, scheduling): the run, if given, fails with it, and
 * the series is read again after a backoff (`counted`: the failure is already in fetch_failures).
 */
export function recordLateFailure(db: Db, f: {
  seriesId: string; runId: number | null; now: number; message: string; retryAt: (failures: number) => number; counted: boolean;
}): void {
  db.transaction((tx) => {
    const t = tx as unknown as Db;
    if (f.runId !== null) {
      t.update(fetchRuns).set({ finishedAt: f.now, outcome: 'failed', error: f.message, errorCode: 'internal' }).where(eq(fetchRuns.id, f.runId)).run();
    }
    const failures = (t.select({ n: series.fetchFailures }).from(series).where(eq(series.id, f.seriesId)).get()?.n ?? 0) + (f.counted ? 0 : 1);
    t.update(series).set({ fetchFailures: failures, nextFetchAt: f.retryAt(failures) }).where(eq(series.id, f.seriesId)).run();
  });
}

/**
 * The series' source answered: the record is complete as far as the read vouches (never moved
 * back), and the source is ok, or stale when it is behind the publisher's schedule.
 */
function markRead(db: Db, row: SeriesRow, now: number, vouch: ReadVouch): void {
  const current = db.select({ checkedAt: series.checkedAt }).from(series).where(eq(series.id, row.id)).get()?.checkedAt ?? null;
  const checkedAt = vouch.until === null ? current : Math.max(current ?? vouch.until, vouch.until);
  db.update(series).set({
    checkedAt, fetchFailures: 0, lastReadAt: now, lastReadSource: vouch.label,
    ...(vouch.stale === null
      ? { sourceState: 'ok' as const, sourceError: null, sourceErrorAt: null }
      : { sourceState: 'stale' as const, sourceError: vouch.stale, sourceErrorAt: now }),
  }).where(eq(series.id, row.id)).run();
}

/** Writes the events the runner inferred, each once (its id is its identity); returns those new. */
export function recordInferredEvents(db: Db, seriesId: string, inferred: readonly InferredEvent[], now: number): InferredEvent[] {
  return inferred.filter((e) => {
    const inserted = db.insert(events).values({
      id: e.id, seriesId, kind: e.kind, date: e.date, dateApproximate: false, periodFrom: e.periodFrom, periodTo: null,
      title: e.title, description: e.description, evidenceKind: 'inferred', confidence: 'partly_verified', origin: 'inferred', recordedAt: now,
    }).onConflictDoNothing().run();
    if (!inserted.changes) return false;
    db.insert(citations).values({ eventId: e.id, position: 0, url: e.citation.url, title: e.citation.title, publisher: 'lacuna', date: formatDay(now), quote: null }).run();
    return true;
  });
}

/** The publisher's health as judged; a change is also a source flip (once per publisher, not per series). */
export function recordHealth(db: Db, publisherId: string, judged: HealthJudgement, change: HealthChange | null, now: number): void {
  db.update(publishers).set({
    health: judged.health, lastError: judged.lastError, ...(judged.lastError !== null ? { lastErrorAt: now } : {}),
    ...(change ? { healthChangedAt: now } : {}),
  }).where(eq(publishers.id, publisherId)).run();
  if (change) recordSourceFlip(db, publisherId, change.from, change.to, change.to === 'ok' ? 'the source answered again' : judged.lastError ?? change.to, now);
}

function storeRaw(db: Db, answer: SourceAnswer, runId: number): string {
  const hash = createHash('sha256').update(answer.body).digest('hex');
  db.insert(rawAnswers).values({
    hash, contentType: answer.headers['content-type'] ?? null, encoding: 'gzip', size: answer.body.length,
    body: gzipSync(answer.body), firstFetchRunId: runId,
  }).onConflictDoNothing().run();
  return hash;
}
