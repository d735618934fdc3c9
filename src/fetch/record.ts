// Writes the outcome of one fetch, each in one transaction. A read: raw answers (gzip, by hash),
// observations with vintages, withdrawals inside what the answer covers, an inferred "line dropped"
// event when the publisher keeps listing an indicator it no longer fills (or stops listing it),
// the fetch run, and healthy source. A failure: the run and the source's health, nothing else.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { SourceAnswer } from '../sources/types.js';
import type { SourceRead } from './runner.js';
import type { Db } from '../../db/client.js';
import type { SeriesRow } from '../read/facts.js';
import { recordValues, type IncomingValue } from '../../db/record-values.js';
import { citations, events, fetchRuns, observations, publishers, rawAnswers, series } from '../../db/schema.js';
import { formatDay, nextPeriod, type Frequency } from '../core/index.js';
import { accessChange } from '../sources/probe.js';
import { recordSourceFlip } from '../alerts/outbox.js';

export interface RecordedCounts {
  added: number;
  revised: number;
  withdrawn: number;
  unchanged: number;
  /** Periods the publisher listed without a value. */
  gaps: number;
  lineDropped: boolean;
}

interface Base { row: SeriesRow; runId: number; now: number }

export function recordRead(db: Db, { row, runId, now, read, hash }: Base & { read: SourceRead; hash: string }): RecordedCounts {
  const f = row.frequency as Frequency;
  const all = read.pages.flatMap((p) => p.parsed.observations);
  const seen = new Set<string>();
  for (const o of all) {
    if (seen.has(o.period)) throw new Error(`the answer gives period ${o.period} twice`);
    seen.add(o.period);
  }
  const values: IncomingValue[] = all.filter((o) => o.value !== null).map((o) => ({
    period: o.period, value: o.value, valueText: o.valueText, obsStatus: o.obsStatus ?? null, provenance: `fetch run ${runId}`,
  }));
  const covers = mergeCovers(read.pages.map((p) => p.parsed.covers));
  const listedButEmpty = read.pages.every((p) => p.parsed.listedButEmpty);

  return db.transaction((tx) => {
    const t = tx as unknown as Db;
    const hashes = read.pages.map((p) => storeRaw(t, p.answer, runId));
    const accessBefore = read.kind === 'probe' ? latestValue(t, row.id) : null;
    const counts = recordValues(t, row.id, values, {
      origin: 'fetch', now, fetchRunId: runId, complete: covers !== null, within: covers === 'all' ? null : covers,
    });
    const dropped = read.listed === false ? 'unlisted' : listedButEmpty ? 'empty' : null;
    const lineDropped = dropped ? inferLineDropped(t, row, f, runId, hashes[0]!, read.request.url, dropped, now) : false;
    if (read.kind === 'probe' && values.length) {
      const change = accessChange(accessBefore, values.at(-1)!.value!);
      if (change) inferAccessChange(t, row, change, values.at(-1)!, runId, hashes[0]!, read.request.url, now);
    }
    const first = read.pages[0]!.answer;
    t.update(fetchRuns).set({
      finishedAt: now, outcome: 'ok', httpStatus: first.status, bytes: read.pages.reduce((n, p) => n + p.answer.body.length, 0),
      contentHash: hash, rawHashes: JSON.stringify(hashes), url: read.request.url,
      etag: first.headers.etag ?? null, lastModified: first.headers['last-modified'] ?? null,
      added: counts.added, revised: counts.revised, withdrawn: counts.withdrawn, unchanged: counts.unchanged,
      gaps: all.length - values.length,
    }).where(eq(fetchRuns.id, runId)).run();
    markHealthy(t, row, now);
    return { ...counts, gaps: all.length - values.length, lineDropped };
  });
}

export function recordNoChange(db: Db, { row, runId, now, answer, hash }: Base & { answer: SourceAnswer; hash: string }): void {
  db.transaction((tx) => {
    const t = tx as unknown as Db;
    t.update(fetchRuns).set({
      finishedAt: now, outcome: 'no_change', httpStatus: answer.status, contentHash: hash, url: answer.url,
      etag: answer.headers.etag ?? null, lastModified: answer.headers['last-modified'] ?? null,
    }).where(eq(fetchRuns.id, runId)).run();
    markHealthy(t, row, now);
  });
}

export function recordFailure(db: Db, { row, runId, now, message, httpStatus }: Base & { message: string; httpStatus: number | null }): void {
  db.transaction((tx) => {
    const t = tx as unknown as Db;
    t.update(fetchRuns).set({ finishedAt: now, outcome: 'failed', error: message, httpStatus }).where(eq(fetchRuns.id, runId)).run();
    const pub = t.select({ health: publishers.health }).from(publishers).where(eq(publishers.id, row.publisherId)).get();
    t.update(publishers).set({ health: 'failing', lastError: message, lastErrorAt: now }).where(eq(publishers.id, row.publisherId)).run();
    if (pub?.health !== 'failing') recordSourceFlip(t, row.publisherId, 'ok', 'failing', message, now);
    t.update(series).set({ fetchFailures: sql`${series.fetchFailures} + 1` }).where(eq(series.id, row.id)).run();
  });
}

/** The record is complete up to now; the source answered. */
function markHealthy(db: Db, row: SeriesRow, now: number): void {
  db.update(series).set({ checkedAt: now, fetchFailures: 0 }).where(eq(series.id, row.id)).run();
  const pub = db.select({ health: publishers.health }).from(publishers).where(eq(publishers.id, row.publisherId)).get();
  db.update(publishers).set({ health: 'ok', lastError: null }).where(eq(publishers.id, row.publisherId)).run();
  if (pub?.health === 'failing') recordSourceFlip(db, row.publisherId, 'failing', 'ok', 'the source answered again', now);
}

function storeRaw(db: Db, answer: SourceAnswer, runId: number): string {
  const hash = createHash('sha256').update(answer.body).digest('hex');
  db.insert(rawAnswers).values({
    hash, contentType: answer.headers['content-type'] ?? null, encoding: 'gzip', size: answer.body.length,
    body: gzipSync(answer.body), firstFetchRunId: runId,
  }).onConflictDoNothing().run();
  return hash;
}

function latestValue(db: Db, seriesId: string): number | null {
  return db.select({ value: observations.value }).from(observations)
    .where(and(eq(observations.seriesId, seriesId), isNull(observations.supersededAt), isNull(observations.withdrawnAt)))
    .orderBy(desc(observations.period)).limit(1).get()?.value ?? null;
}

/** A probe that finds a resource refused (or open again) after the opposite is an inferred event. */
function inferAccessChange(
  db: Db, row: SeriesRow, kind: 'access_cut' | 'access_restored', obs: IncomingValue, runId: number, rawHash: string, url: string, now: number,
): void {
  const day = formatDay(now);
  const id = `${row.id}.inferred.${kind.replace('_', '-')}.${obs.period}`;
  const inserted = db.insert(events).values({
    id, seriesId: row.id, kind, date: day, dateApproximate: false, periodFrom: obs.period, periodTo: null,
    title: kind === 'access_cut' ? `Access check failed: ${obs.valueText}` : 'Access check succeeded again',
    description: `Inferred by lacuna from fetch run ${runId} of ${url}.`,
    evidenceKind: 'inferred', confidence: 'partly_verified', origin: 'inferred', recordedAt: now,
  }).onConflictDoNothing().run();
  if (!inserted.changes) return;
  db.insert(citations).values({
    eventId: id, position: 0, url: `/raw/${rawHash}`, title: `Archived answer of fetch run ${runId} (${url})`, publisher: 'lacuna', date: day, quote: null,
  }).run();
}

function mergeCovers(all: readonly (SourceRead['pages'][number]['parsed']['covers'])[]) {
  if (all.some((c) => c === 'all')) return 'all' as const;
  const ranges = all.filter((c): c is { from: string; to: string } => c !== null && c !== 'all');
  if (ranges.length !== all.length || !ranges.length) return null;
  return { from: ranges.map((r) => r.from).sort()[0]!, to: ranges.map((r) => r.to).sort().at(-1)! };
}

/**
 * Records "line dropped" once per silence: not again while an inferred one stands with no value
 * seen after it. Its periods start after the last value lacuna holds.
 */
function inferLineDropped(db: Db, row: SeriesRow, f: Frequency, runId: number, rawHash: string, url: string, how: 'empty' | 'unlisted', now: number): boolean {
  const last = db.select({ period: observations.period, firstSeenAt: observations.firstSeenAt }).from(observations)
    .where(and(eq(observations.seriesId, row.id), isNull(observations.supersededAt), isNull(observations.withdrawnAt)))
    .orderBy(desc(observations.period)).limit(1).get();
  const standing = db.select({ id: events.id, recordedAt: events.recordedAt }).from(events)
    .where(and(eq(events.seriesId, row.id), eq(events.kind, 'line_dropped'), eq(events.origin, 'inferred')))
    .orderBy(desc(events.recordedAt)).limit(1).get();
  if (standing && (!last || last.firstSeenAt <= standing.recordedAt)) return false;
  const day = formatDay(now);
  const publisher = db.select({ name: publishers.name }).from(publishers).where(eq(publishers.id, row.publisherId)).get()?.name ?? row.publisherId;
  const id = `${row.id}.inferred.line-dropped.${day}`;
  const title = how === 'empty'
    ? `${publisher} still lists the indicator but gives no values for it`
    : `${publisher}'s catalogue no longer lists the indicator`;
  const inserted = db.insert(events).values({
    id, seriesId: row.id, kind: 'line_dropped', date: day, dateApproximate: false,
    periodFrom: last ? nextPeriod(last.period, f) : row.gridFrom, periodTo: null, title,
    description: `Inferred by lacuna from fetch run ${runId}: ${how === 'empty' ? 'every period in the answer is listed without a value' : 'the indicator is missing from the publisher\'s catalogue answer'}. The archived answer is the evidence.`,
    evidenceKind: 'inferred', confidence: 'partly_verified', origin: 'inferred', recordedAt: now,
  }).onConflictDoNothing().run();
  if (!inserted.changes) return false;
  db.insert(citations).values({
    eventId: id, position: 0, url: `/raw/${rawHash}`, title: `Archived answer of fetch run ${runId} (${url})`,
    publisher: 'lacuna', date: day, quote: null,
  }).run();
  return true;
}
