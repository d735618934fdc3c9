// The status check: recomputes series status with the core, stores each evaluation for the pages
// (series_grids, with the API's and the export's answers), and records every change as a flip.
// `due` asks only for series whose next_check_at has come (indexed), never scans everything.
//
// Trust: series are read inside the write transaction (BEGIN IMMEDIATE), a flip is written only
// where the stored status is still the one evaluated from (compare-and-set), and a series whose
// evaluation throws is recorded with its error and retried with backoff while the others go on.
import { and, inArray, isNull, lte, ne, or } from 'drizzle-orm';
import { perConnection, type Db } from '../../db/client.js';
import { eventFacts, promiseFactsOf, seriesFacts, type SeriesRow } from '../read/facts.js';
import { READ_MODEL_STAMP } from '../read/stamp.js';
import { series, seriesGrids } from '../../db/schema.js';
import {
  alertsOn, DEFAULT_ALERT_OPTIONS, detectFlip, encodeEvaluation, evaluateSeries, gridColumns, retryCheckAt,
  type AlertOptions, type EventFact, type Flip, type PromiseFact, type Frequency, type SeriesEvaluation, type SeriesStatus,
} from '../core/index.js';
import { enqueue } from '../alerts/outbox.js';
import { answersOf, AnswerWorker, newGeneration, type AnswerJob, type BuiltAnswer } from './answers.js';

export interface RecordedFlip extends Flip {
  id: number;
  seriesId: string;
  at: number;
}

export type Selection = { kind: 'all' } | { kind: 'due' } | { kind: 'ids'; ids: string[] };

export interface CheckResult {
  evaluated: number;
  flips: RecordedFlip[];
  /** Series whose evaluation threw: recorded on the series and retried later. */
  failed: { seriesId: string; error: string }[];
}

/** Series per write transaction at most: the lock is held for a chunk at a time, not for the whole check. */
const CHUNK = 100;
/** From this many series on, a check builds answers in the worker thread (its start costs a little). */
const WORKER_FROM = 200;

/** Evaluates the selected series, all at once (start, the CLI, one series after a fetch). */
export function evaluateSeriesInStore(
  db: Db, selection: Selection, now: number, opts: AlertOptions = DEFAULT_ALERT_OPTIONS,
): CheckResult {
  const result: CheckResult = { evaluated: 0, flips: [], failed: [] };
  for (const _ of checkSteps(db, selection, now, opts, result, Infinity, true));
  return result;
}

/**
 * The same, handing the event loop back between transactions, each of which stops taking series
 * once it has worked `sliceMs`: what the server's scheduled check runs, so that requests are
 * answered while thousands of series are evaluated.
 */
export async function evaluateSeriesInSlices(
  db: Db, selection: Selection, now: number, opts: AlertOptions = DEFAULT_ALERT_OPTIONS, sliceMs = 40,
): Promise<CheckResult> {
  const result: CheckResult = { evaluated: 0, flips: [], failed: [] };
  for (const step of checkSteps(db, selection, now, opts, result, sliceMs, false)) {
    await new Promise<void>((ok) => (step === 'wait' ? setTimeout(ok, 5) : setImmediate(ok)));
  }
  return result;
}

/**
 * Where a check's answers go: to the worker when it has one and the worker takes them, else built
 * here. Answers that came back are written in the next transaction.
 */
class Answers {
  constructor(private readonly worker: AnswerWorker | null) {}

  /** Builds and writes the answers of `job` (whose grid and columns are at hand), or hands them to the worker. */
  put(db: Db, job: AnswerJob, ev: SeriesEvaluation, columns: ReturnType<typeof gridColumns>): void {
    if (this.worker) {
      // What came back is written now, which frees room in the worker's queue.
      if (this.worker.full) for (const a of this.worker.take()) writeAnswer(db, a);
      if (this.worker.send(job)) return;
    }
    const [observations, csv] = answersOf(job, ev.grid, columns);
    writeAnswer(db, { seriesId: job.seriesId, generation: job.generation, observations, csv });
  }

  /** Writes what came back; with `wait`, first waits for everything sent. */
  flush(db: Db, wait = false): void {
    if (!this.worker) return;
    const done = wait ? this.worker.settle() : this.worker.take();
    for (const a of done) writeAnswer(db, a);
  }

  get busy(): boolean {
    return this.worker?.busy ?? false;
  }
}

function writeAnswer(db: Db, a: BuiltAnswer): void {
  statements(db).answer.run(a.seriesId, a.generation, a.observations, a.csv, a.seriesId, a.generation);
}

/**
 * One write transaction per step, of at most CHUNK series and about `sliceMs` of work; then the
 * answers still in the worker are written, waiting for them (`blocking`) or yielding 'wait'.
 */
function* checkSteps(
  db: Db, selection: Selection, now: number, opts: AlertOptions, result: CheckResult, sliceMs: number, blocking: boolean,
): Generator<'step' | 'wait'> {
  const where =
    selection.kind === 'due' ? or(isNull(series.nextCheckAt), lte(series.nextCheckAt, now))
    : selection.kind === 'ids' ? inArray(series.id, selection.ids)
    : undefined;
  const ids = db.select({ id: series.id }).from(series).where(and(isNull(series.retractedAt), where)).orderBy(series.id).all().map((r) => r.id);
  const answers = new Answers(ids.length >= WORKER_FROM ? AnswerWorker.get() : null);
  for (let i = 0; i < ids.length;) {
    const chunk = ids.slice(i, i + CHUNK);
    const started = performance.now();
    const done = db.transaction((tx) => {
      const t = tx as unknown as Db;
      answers.flush(t);
      // Read inside the transaction: what is evaluated is what no other process can change meanwhile.
      const rows = new Map(t.select().from(series).where(inArray(series.id, chunk)).all().map((r) => [r.id, r]));
      const evts = eventFacts(t, chunk);
      const promises = promiseFactsOf(t, chunk);
      let n = 0;
      for (const id of chunk) {
        const row = rows.get(id);
        if (row) checkOne(t, row, evts.get(id) ?? [], promises.get(id) ?? [], now, opts, result, answers);
        n++;
        if (performance.now() - started >= sliceMs) break;
      }
      return n;
    }, { behavior: 'immediate' });
    i += done;
    yield 'step';
  }
  if (blocking) {
    if (answers.busy) db.transaction((tx) => answers.flush(tx as unknown as Db, true), { behavior: 'immediate' });
    return;
  }
  while (answers.busy) {
    yield 'wait';
    db.transaction((tx) => answers.flush(tx as unknown as Db), { behavior: 'immediate' });
  }
}

function checkOne(
  db: Db, row: SeriesRow, evts: EventFact[], promises: PromiseFact[], now: number, opts: AlertOptions, result: CheckResult, answers: Answers,
): void {
  try {
    // A savepoint: a series that fails half-way leaves nothing half-written.
    const st = statements(db);
    st.savepoint.run();
    let flip: RecordedFlip | null;
    try {
      flip = writeEvaluation(db, row, evaluateSeries(seriesFacts(db, row, evts, undefined, undefined, { promises }), now, row.title), now, opts, answers);
    } catch (e) {
      st.rollbackTo.run();
      st.release.run();
      throw e;
    }
    st.release.run();
    result.evaluated++;
    if (flip) result.flips.push(flip);
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    const failures = row.checkFailures + 1;
    statements(db).failed.run(error, failures, retryCheckAt(now, failures), now, row.id);
    statements(db).dropGrid.run(row.id);
    result.failed.push({ seriesId: row.id, error });
  }
}

// Run for every series of a full recompute.
const statements = perConnection((_db, client) => ({
    savepoint: client.prepare('SAVEPOINT check_one'),
    rollbackTo: client.prepare('ROLLBACK TO check_one'),
    release: client.prepare('RELEASE check_one'),
    flip: client.prepare(
      "INSERT INTO flips (kind, series_id, publisher_id, alert, at, from_status, to_status, reason, resumed, break_at, period, due_at, event_ids, snoozed) "
      + "VALUES ('status', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    // Compare-and-set: written only where the status is still the one this evaluation started from.
    status: client.prepare(
      'UPDATE series SET status = ?, status_reason = ?, status_changed_at = ?, last_disclosed = ?, dark_since = ?, dark_since_due_at = ?, '
      + 'next_check_at = ?, evaluated_at = ?, check_error = NULL, check_failures = 0 WHERE id = ? AND status = ?',
    ),
    failed: client.prepare('UPDATE series SET check_error = ?, check_failures = ?, next_check_at = ?, evaluated_at = ? WHERE id = ?'),
    dropGrid: client.prepare('DELETE FROM series_grids WHERE series_id = ?'),
    // Compared in SQL: the stored evaluation (tens of KB) is not read back to be compared.
    stored: client.prepare(
      'SELECT g.evaluation = ? AND g.stamp = ? AS same, g.changed_at AS changedAt, a.series_id IS NOT NULL AS answered FROM series_grids g '
      + 'LEFT JOIN series_answers a ON a.series_id = g.series_id AND a.generation = g.generation WHERE g.series_id = ?',
    ),
    // The same evaluation again: it holds longer, and changed_at stays (re-reading is not news).
    extend: client.prepare('UPDATE series_grids SET evaluated_at = ?, valid_until = ? WHERE series_id = ?'),
    grid: client.prepare(
      'INSERT OR REPLACE INTO series_grids (series_id, stamp, evaluated_at, valid_until, changed_at, generation, evaluation) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    // Written only while the evaluation it was built from is still the stored one.
    answer: client.prepare(
      'INSERT OR REPLACE INTO series_answers (series_id, generation, observations_gz, csv_gz) '
      + 'SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM series_grids WHERE series_id = ? AND generation = ?)',
    ),
}));

/**
 * Writes an evaluation of `row` made at `now`: the status (compare-and-set on the status `row` was
 * read with), the stored evaluation and answers, and the flip when the status changed. Returns
 * the flip, or null when there was none or another process had already moved the status on (then
 * nothing is written: that process's evaluation stands).
 */
export function writeEvaluation(
  db: Db, row: SeriesRow, ev: SeriesEvaluation, now: number, opts: AlertOptions = DEFAULT_ALERT_OPTIONS, answers = new Answers(null),
): RecordedFlip | null {
  const flip = detectFlip(row.status as SeriesStatus, ev);
  const st = statements(db);
  // The next check comes when anything in the evaluation could change (stableUntil is at or
  // before nextCheckAt), so the stored copy is refreshed before it stops being exact.
  const written = st.status.run(
    ev.status, ev.reason, flip ? now : row.statusChangedAt, ev.lastDisclosed, ev.darkSince?.period ?? null,
    ev.darkSince?.dueAt ?? null, ev.stableUntil, now, row.id, row.status,
  ).changes;
  if (!written) return null;
  const frequency = row.frequency as Frequency;
  const columns = gridColumns(ev.grid, frequency);
  const text = encodeEvaluation(ev, frequency, columns);
  const prior = st.stored.get(text, READ_MODEL_STAMP, row.id) as { same: number; changedAt: number; answered: number } | undefined;
  const same = prior?.same === 1;
  if (same && prior.answered) st.extend.run(now, ev.stableUntil, row.id);
  else {
    const generation = newGeneration();
    st.grid.run(row.id, READ_MODEL_STAMP, now, ev.stableUntil, same ? prior!.changedAt : now, generation, text);
    answers.put(db, { seriesId: row.id, unit: row.unit, frequency, country: row.country, generation, evaluation: text }, ev, columns);
  }
  return flip ? recordFlip(db, row, ev, flip, now, opts) : null;
}

function recordFlip(db: Db, row: SeriesRow, ev: SeriesEvaluation, flip: Flip, now: number, opts: AlertOptions): RecordedFlip {
  const latest = ev.grid.findLast((c) => c.state !== 'not_due' && c.state !== 'not_expected' && c.state !== 'unknown');
  const eventIds = [...new Set(ev.grid.flatMap((c) => (c.eventId ? [c.eventId] : [])))];
  // A snoozed series still records its flips; it just does not alert until the snooze ends.
  const snoozed = row.snoozedUntil !== null && row.snoozedUntil > now;
  const alert = alertsOn(flip.from, flip.to, opts, flip.brokenPromise) && !snoozed;
  const id = Number(statements(db).flip.run(
    row.id, row.publisherId, alert ? 1 : 0, now, flip.from, flip.to, flip.reason, flip.resumed ? 1 : 0, flip.breakAt,
    ev.darkSince?.period ?? latest?.period ?? null, ev.darkSince?.dueAt ?? latest?.dueAt ?? null, JSON.stringify(eventIds), snoozed ? 1 : 0,
  ).lastInsertRowid);
  if (alert) enqueue(db, id, { seriesId: row.id, publisherId: row.publisherId, topics: JSON.parse(row.topics) as string[] }, now);
  return { ...flip, id, seriesId: row.id, at: now };
}

/**
 * Drops stored evaluations written under another stamp (older rules, writers or schema) and makes
 * their series due, so that the next check (start's) recomputes them. Returns how many.
 */
export function expireOtherStamps(db: Db): number {
  return db.transaction((tx) => {
    const stale = tx.select({ id: seriesGrids.seriesId }).from(seriesGrids).where(ne(seriesGrids.stamp, READ_MODEL_STAMP)).all().map((r) => r.id);
    if (!stale.length) return 0;
    tx.delete(seriesGrids).where(inArray(seriesGrids.seriesId, stale)).run();
    tx.update(series).set({ nextCheckAt: null }).where(inArray(series.id, stale)).run();
    return stale.length;
  });
}
