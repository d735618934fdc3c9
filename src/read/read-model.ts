// What the pages, the JSON API and the CSV exports read: series with their evaluation at an
// instant (now, or a past date for an as-of view), events with citations, and related series.
import { and, asc, count, eq, gt, inArray, isNotNull, isNull, like, lte, sql, type SQL } from 'drizzle-orm';
import { clientOf, perConnection, type Db } from '../../db/client.js';
import { AsOfHelper, type HelperResult } from './as-of-helper.js';
import { checkedThroughAll, eventFacts, lastValueBefore, promiseFactsOf, releaseOf, seriesFacts, type SeriesRow } from './facts.js';
import { READ_MODEL_STAMP } from './stamp.js';
import { isRealDate } from './stored-dates.js';
import { gunzipSync } from 'node:zlib';
import { columnsCsv } from '../formats/grid-format.js';
import { calendarEvents, citations, events, fetchRuns, observations, publishers, rawAnswers, series, seriesGrids } from '../../db/schema.js';
import { countryName } from '../core/country.js';
import {
  comparePeriods, DARK_STATUSES, decodeEvaluation, dueAt, encodeEvaluation, evaluateSeries, gridColumns, localDay, periodOf, shiftPeriod,
  type EventFact, type EventKind, type Frequency, type PromiseFact, type SeriesEvaluation, type SeriesStatus,
} from '../core/index.js';

export interface SeriesInfo {
  id: string;
  title: string;
  titleLocal: string | null;
  description: string | null;
  unit: string;
  frequency: Frequency;
  topics: string[];
  publisher: { id: string; name: string; nameLocal: string | null; url: string | null; health: string; lastError: string | null };
  /** The country the series is about (ISO 3166-1 alpha-2 and its English name); null when the catalogue gives none. */
  country: Country | null;
  successorId: string | null;
  proxies: string[];
  notes: string | null;
  catalogueFile: string | null;
  /** The (most preferred) source block ({ kind, ... }) when the series is fetched; null when it is not. */
  source: ({ kind: string } & Record<string, unknown>) | null;
  /** Every source block in order of preference (one for a single `source:`); empty when not fetched. */
  sources: ({ kind: string } & Record<string, unknown>)[];
  /** The publisher's release calendar block ({ kind, ... }), when the series names one. */
  calendar: ({ kind: string } & Record<string, unknown>) | null;
  /** The last read that answered: when, and from which source ("fred TRESEGCNM052N (mirror)"); null when none by then. */
  lastRead: { at: number; source: string } | null;
  nextFetchAt: number | null;
  /** The series' own source: 'misconfigured' when the publisher answered, but not for this series (its error and since when). */
  sourceState: { state: 'ok' | 'misconfigured' | 'stale'; error: string | null; since: number | null };
  /** Up to when lacuna's record was complete, as known at the instant the series was read for. */
  checkedAt: number | null;
  paused: boolean;
  /** When the series left the catalogue (kept with its history, listed nowhere); null while it is in. */
  retractedAt: number | null;
  release: ReturnType<typeof JSON.parse>;
}

export interface EvaluatedSeries extends SeriesInfo {
  evaluation: SeriesEvaluation;
  /** Why lacuna cannot evaluate this series (a stored row it cannot read), or null. */
  checkError: string | null;
}

export interface Country {
  code: string;
  name: string;
}

export const countryOf = (code: string | null): Country | null => (code === null ? null : { code, name: countryName(code) });

export interface CitationView {
  url: string;
  title: string;
  publisher: string;
  date: string | null;
  quote: string | null;
}

export interface EventView {
  id: string;
  seriesId: string;
  kind: string;
  date: string;
  dateApproximate: boolean;
  periodFrom: string | null;
  periodTo: string | null;
  title: string;
  description: string | null;
  /** official_notice, media_report or inferred. */
  evidenceKind: string;
  confidence: string;
  origin: string;
  /** The country of the event's series (ISO 3166-1 alpha-2), or null. */
  country: string | null;
  citations: CitationView[];
}

export interface SeriesFilter {
  status?: SeriesStatus | 'dark' | undefined;
  publisher?: string | undefined;
  topic?: string | undefined;
  /** ISO 3166-1 alpha-2. */
  country?: string | undefined;
}

function toInfo(row: SeriesRow, pub: typeof publishers.$inferSelect, checkedAt: number | null, at = Infinity): SeriesInfo {
  const parsed = row.source ? JSON.parse(row.source) as ({ kind: string } & Record<string, unknown>) | ({ kind: string } & Record<string, unknown>)[] : null;
  const sources = parsed === null ? [] : Array.isArray(parsed) ? parsed : [parsed];
  return {
    id: row.id, title: row.title, titleLocal: row.titleLocal, description: row.description, unit: row.unit,
    frequency: row.frequency as Frequency, topics: JSON.parse(row.topics) as string[],
    publisher: { id: pub.id, name: pub.name, nameLocal: pub.nameLocal, url: pub.url, health: pub.health, lastError: pub.lastError },
    country: countryOf(row.country),
    successorId: row.successorId, proxies: JSON.parse(row.proxies) as string[], notes: row.notes,
    catalogueFile: row.catalogueFile, source: sources[0] ?? null, sources, nextFetchAt: row.nextFetchAt,
    calendar: row.calendar ? JSON.parse(row.calendar) as { kind: string } & Record<string, unknown> : null,
    lastRead: row.lastReadAt !== null && row.lastReadAt <= at && row.lastReadSource ? { at: row.lastReadAt, source: row.lastReadSource } : null,
    sourceState: { state: row.sourceState, error: row.sourceError, since: row.sourceErrorAt },
    checkedAt, paused: row.paused, retractedAt: row.retractedAt, release: JSON.parse(row.releaseRule),
  };
}

/** The SQL condition for a series filter (the topic matched as a quoted tag of the JSON array); never a retracted series. */
export function filterWhere(f: SeriesFilter): SQL | undefined {
  const parts: SQL[] = [isNull(series.retractedAt)];
  if (f.status === 'dark') parts.push(inArray(series.status, [...DARK_STATUSES]));
  else if (f.status) parts.push(eq(series.status, f.status));
  if (f.publisher) parts.push(eq(series.publisherId, f.publisher));
  if (f.country) parts.push(eq(series.country, f.country));
  // topics is a JSON array of strings; match the quoted tag.
  if (f.topic) parts.push(like(series.topics, `%${JSON.stringify(f.topic)}%`));
  return and(...parts);
}

/** Series in the catalogue: a retracted one keeps its page but is listed nowhere. */
const listed = isNull(series.retractedAt);

type JoinedRow = { series: SeriesRow; publishers: typeof publishers.$inferSelect };

/**
 * Series rows evaluated at an instant: the stored evaluation where it holds at `at` (written by
 * the status check, exact until its valid_until and dropped when a fact changes), otherwise a
 * fresh one from the core on the facts as lacuna knew them at `at` (as-of views, series changed
 * since the last check). With `gridTail`, each grid holds only its last cells.
 */
/**
 * How many series were evaluated from the facts rather than read from a stored evaluation, since
 * start: a page built while this moved depends on facts no stored copy vouches for, so the page
 * cache (web/page-cache.ts) does not keep it.
 */
export const liveEvaluations = { n: 0 };

/**
 * Every series evaluated as of an instant, computed ahead a slice at a time (allEvaluatedAt) and
 * read by the synchronous functions below while `withEvaluations` runs: an as-of view of every
 * series never holds the event loop for the seconds that takes.
 */
export interface Evaluations {
  at: number;
  byId: Map<string, EvaluatedSeries>;
  window: AsOfWindow | null;
  /** How many of them the helper thread evaluated. */
  helped?: number;
  /** Whether they are every listed series (allEvaluatedAt's are). */
  complete?: boolean;
}
let ahead: Evaluations | null = null;

/**
 * The part of each grid a view needs (the board: its sparklines and the disclosure headline):
 * from `cells` periods before the grid's end, or from the period holding the instant `since`,
 * whichever is earlier. A windowed evaluation says what the whole one says (status, reason, last
 * disclosed, dark since, the cells from the window on): each cell depends only on its own
 * period's facts, and the status only on the cells after the latest disclosed one, so a window
 * holding a disclosed cell is enough; a series with none in it is evaluated whole.
 */
export interface AsOfWindow {
  cells: number;
  since: number;
  /**
   * Instead of `since`: every period whose release rule makes it due at or after this instant (a
   * day's slack for time zones), and one more before it: the periods the headline's months count.
   * A series with promises, whose own dates may differ from its rule's, keeps `since`.
   */
  dueFrom?: number;
}

/**
 * Every series evaluated at `at`, `chunk` at a time, handing the event loop back between slices.
 * A file database shares the work with the as-of helper thread (src/read/as-of-helper.ts): both
 * claim chunks from one counter, so the helper takes what it can and this thread the rest.
 */
export async function allEvaluatedAt(
  db: Db, at: number, pace: () => Promise<void>, opts: { chunk?: number; window?: AsOfWindow; /** The helper thread: always, never, (unset) from HELPER_FROM series, or 'only' (tests: this thread takes what it leaves). */ helper?: boolean | 'only' } = {},
): Promise<Evaluations> {
  const chunk = opts.chunk ?? 10;
  const rows = joinedRows(db);
  const noStored = storedBefore(db, at);
  const byId = new Map<string, EvaluatedSeries>();
  const next = new Int32Array(new SharedArrayBuffer(4));
  const client = clientOf(db);
  const helper = opts.helper === false || client.memory || (opts.helper === undefined && rows.length < HELPER_FROM) ? null : AsOfHelper.get();
  const helped = helper?.run({ file: client.name, at, window: opts.window, noStored, ids: rows.map((r) => r.series.id), next, chunk: HELPER_CHUNK }) ?? null;
  for (let i = opts.helper === 'only' && helped ? rows.length : Atomics.add(next, 0, chunk); i < rows.length; i = Atomics.add(next, 0, chunk)) {
    for (const s of evaluateRows(db, rows.slice(i, i + chunk), at, { window: opts.window, noStored })) byId.set(s.id, s);
    await pace();
  }
  let helpedWith = 0;
  if (helped) {
    const joined = new Map(rows.map((r) => [r.series.id, r]));
    const results = await helped;
    liveEvaluations.n += results.length;
    helpedWith = results.length;
    for (const h of results) {
      const r = joined.get(h.id);
      const evaluation = r ? decodeEvaluation(h.evaluation, at) : null;
      if (r && evaluation) byId.set(h.id, { ...toInfo(r.series, r.publishers, h.checkedAt, at), evaluation, checkError: h.checkError });
    }
    // What the helper claimed but did not send (it failed): evaluated here.
    const left = rows.filter((r) => !byId.has(r.series.id));
    for (let i = 0; i < left.length; i += chunk) {
      for (const s of evaluateRows(db, left.slice(i, i + chunk), at, { window: opts.window, noStored })) byId.set(s.id, s);
      await pace();
    }
  }
  return { at, byId, window: opts.window ?? null, helped: helpedWith, complete: true };
}

/**
 * Starts the as-of helper ahead of the first as-of view where it would be used (a file database
 * with HELPER_FROM series or more), so that view does not wait for the thread to load.
 */
export function warmAsOfHelper(db: Db, now = Date.now()): void {
  const client = clientOf(db);
  if (client.memory) return;
  const ids = client.prepare('SELECT id FROM series WHERE retracted_at IS NULL ORDER BY id').pluck().all() as string[];
  if (ids.length < HELPER_FROM) return;
  // A first small job, so that the thread has loaded and compiled the evaluation before a reader waits on it.
  const at = now - 365 * 86_400_000;
  void AsOfHelper.get()?.run({
    file: client.name, at, window: { cells: 60, since: at - 4 * 365 * 86_400_000 }, noStored: true,
    ids: ids.slice(0, HELPER_FROM), next: new Int32Array(new SharedArrayBuffer(4)), chunk: HELPER_CHUNK,
  });
}

/** Below this many series the helper thread is not worth its start. */
const HELPER_FROM = 200;
const HELPER_CHUNK = 25;

const joinedRows = (db: Db, ids?: string[]): JoinedRow[] => db.select().from(series).innerJoin(publishers, eq(series.publisherId, publishers.id))
  .where(ids ? and(isNull(series.retractedAt), inArray(series.id, ids)) : isNull(series.retractedAt)).orderBy(asc(series.id)).all();

/** Whether `at` is before every stored evaluation (an as-of view of the past): then none can hold. */
function storedBefore(db: Db, at: number): boolean {
  return at < (statements(db).firstEvaluated.get() ?? Infinity);
}

/** The as-of helper's part (src/read/as-of-worker.ts): a chunk of series evaluated at `at`, encoded. */
export function evaluateChunk(db: Db, ids: string[], at: number, window: AsOfWindow | undefined, noStored: boolean): HelperResult[] {
  return evaluateRows(db, joinedRows(db, ids), at, { window, noStored }).map((s) => ({
    id: s.id, evaluation: encodeEvaluation(s.evaluation, s.frequency), checkError: s.checkError, checkedAt: s.checkedAt,
  }));
}

/** The first period of a series' window at `at`, or null when the window holds its whole grid. */
export function windowStart(row: SeriesRow, at: number, window: AsOfWindow, promised = false): string | null {
  const f = row.frequency as Frequency;
  const rule = releaseOf(row);
  const end = periodOf(localDay(at, rule.timeZone), f);
  const byCells = shiftPeriod(end, f, -window.cells);
  const bySince = window.dueFrom === undefined || promised ? periodOf(localDay(window.since, rule.timeZone), f) : firstDueFrom(row, end, window.dueFrom - DAY_MS);
  const from = comparePeriods(byCells, bySince, f) < 0 ? byCells : bySince;
  return comparePeriods(from, row.gridFrom, f) > 0 ? from : null;
}

const DAY_MS = 86_400_000;

/** One period before the earliest whose rule makes it due at or after `instant`, stepping back from `end`. */
function firstDueFrom(row: SeriesRow, end: string, instant: number): string {
  const f = row.frequency as Frequency;
  const rule = releaseOf(row);
  let p = end;
  while (comparePeriods(p, row.gridFrom, f) > 0) {
    const before = shiftPeriod(p, f, -1);
    if (dueAt(before, f, rule) < instant) return before;
    p = before;
  }
  return p;
}

/** A series evaluated from its facts at `at`: within `window` where that says everything (see AsOfWindow). */
function evaluateLive(
  db: Db, row: SeriesRow, evts: EventFact[], at: number, known: { promises: PromiseFact[]; checkedAt: number | null }, window?: AsOfWindow,
): SeriesEvaluation {
  const from = window ? windowStart(row, at, window, known.promises.length > 0) : null;
  if (from !== null) {
    const ev = evaluateSeries(seriesFacts(db, row, evts, at, from, known), at, row.title);
    if (ev.lastDisclosed !== null) return ev;
    // Dark since before the window: from the last value on record before it, if that one was out then.
    const last = lastValueBefore(db, row.id, from);
    if (last !== null && comparePeriods(last, row.gridFrom, row.frequency as Frequency) > 0) {
      const longer = evaluateSeries(seriesFacts(db, row, evts, at, last, known), at, row.title);
      if (longer.lastDisclosed !== null) return longer;
    }
  }
  return evaluateSeries(seriesFacts(db, row, evts, at, undefined, known), at, row.title);
}

/** Runs `fn` with evaluations computed ahead: evaluateRows reads them for their instant. */
export function withEvaluations<T>(evaluations: Evaluations, fn: () => T): T {
  ahead = evaluations;
  try {
    return fn();
  } finally {
    ahead = null;
  }
}

/**
 * The rows evaluated at `at`: stored evaluations where they hold, the others from their facts.
 * Under `withEvaluations`, the ones computed ahead (windowed, when those were: see AsOfWindow).
 */
export function evaluateRows(
  db: Db, rows: JoinedRow[], at: number,
  opts: {
    gridTail?: number | undefined; window?: AsOfWindow | undefined;
    /** No stored evaluation can hold at `at`: none is looked up. */ noStored?: boolean;
    /** Evaluated again, not taken from those computed ahead (a longer window than theirs). */ fresh?: boolean;
  } = {},
): EvaluatedSeries[] {
  if (!opts.fresh && ahead && ahead.at === at && rows.every((r) => ahead!.byId.has(r.series.id))) {
    const known = ahead.byId;
    return rows.map((r) => {
      const s = known.get(r.series.id)!;
      return opts.gridTail === undefined ? s : { ...s, evaluation: { ...s.evaluation, grid: s.evaluation.grid.slice(-opts.gridTail) } };
    });
  }
  const stored = new Map<string, SeriesEvaluation>();
  for (const r of opts.noStored ? [] : rows) {
    const text = storedAt(db, r.series.id, at);
    const ev = text === null ? null : decodeEvaluation(text, at, opts.gridTail);
    if (ev) stored.set(r.series.id, ev);
  }
  const live = rows.filter((r) => !stored.has(r.series.id)).map((r) => r.series.id);
  liveEvaluations.n += live.length;
  const evts = live.length ? eventFacts(db, live) : new Map<string, EventFact[]>();
  const promises = live.length ? promiseFactsOf(db, live) : new Map<string, PromiseFact[]>();
  const through = checkedThroughAll(db, rows.map((r) => r.series), at);
  return rows.map((r) => {
    let evaluation = stored.get(r.series.id);
    let checkError: string | null = null;
    const checkedAt = through.get(r.series.id) ?? null;
    if (!evaluation) {
      try {
        evaluation = evaluateLive(db, r.series, evts.get(r.series.id) ?? [], at, { promises: promises.get(r.series.id) ?? [], checkedAt }, opts.window);
      } catch (e) {
        // A row the core cannot read (an older version's, a hand edit): shown with why, never a 500.
        checkError = e instanceof Error ? e.message : String(e);
        evaluation = unevaluable(r.series, checkError);
      }
      if (opts.gridTail !== undefined) evaluation.grid = evaluation.grid.slice(-opts.gridTail);
    }
    return { ...toInfo(r.series, r.publishers, checkedAt, at), evaluation, checkError };
  });
}

/** What lacuna says of a series it cannot evaluate: its last recorded status, no grid, and why. */
function unevaluable(row: SeriesRow, error: string): SeriesEvaluation {
  return {
    grid: [], status: row.status as SeriesStatus, reason: `lacuna cannot evaluate this series: ${error}`,
    lastDisclosed: row.lastDisclosed, darkSince: null, daysOverdue: null, nextCheckAt: null, stableUntil: 0, uncheckedFrom: null,
  };
}

/**
 * The rows of /export.csv (without the header) for the next `limit` series after `after`, in id
 * order: each series' rows as the status check stored them where its evaluation holds at `at`,
 * otherwise written from a fresh evaluation. Null after the last series.
 */
export function exportChunk(db: Db, after: string, at: number, limit: number): { last: string; csv: Buffer } | null {
  const batch = answers(db).exportRows.all(READ_MODEL_STAMP, at, at, after, limit) as { id: string; gz: Buffer | null }[];
  if (!batch.length) return null;
  const missing = batch.filter((b) => b.gz === null).map((b) => b.id);
  const fresh = new Map<string, string>();
  if (missing.length) {
    const rows = db.select().from(series).innerJoin(publishers, eq(series.publisherId, publishers.id)).where(inArray(series.id, missing)).all();
    for (const s of evaluateRows(db, rows, at)) fresh.set(s.id, columnsCsv(s.id, gridColumns(s.evaluation.grid, s.frequency), s.country?.code ?? null));
  }
  const csv = Buffer.concat(batch.map((b) => (b.gz === null ? Buffer.from(fresh.get(b.id)!) : gunzipSync(b.gz))));
  return { last: batch.at(-1)!.id, csv };
}

// Asked for every series a page, the API or the export shows.
// A stored copy holds for an instant when it was written under this stamp, at or before the
// instant, and its validity has not ended: the one rule every read of the read model applies.
const statements = perConnection((db) => ({
  stored: db.select({ evaluation: seriesGrids.evaluation }).from(seriesGrids)
    .where(and(
      eq(seriesGrids.seriesId, sql.placeholder('id')), eq(seriesGrids.stamp, READ_MODEL_STAMP),
      lte(seriesGrids.evaluatedAt, sql.placeholder('at')), gt(seriesGrids.validUntil, sql.placeholder('at')),
    ))
    .prepare(),
  series: db.select().from(series).innerJoin(publishers, eq(series.publisherId, publishers.id)).where(eq(series.id, sql.placeholder('id'))).prepare(),
  firstEvaluated: clientOf(db).prepare(`SELECT min(evaluated_at) FROM series_grids WHERE stamp = ?`).pluck().bind(READ_MODEL_STAMP) as unknown as { get(): number | null },
}));

const answers = perConnection((_db, client) => ({
  exportRows: client.prepare(
    'SELECT s.id, a.csv_gz AS gz FROM series s '
    + 'LEFT JOIN series_grids g ON g.series_id = s.id AND g.stamp = ? AND g.evaluated_at <= ? AND g.valid_until > ? '
    + 'LEFT JOIN series_answers a ON a.series_id = g.series_id AND a.generation = g.generation WHERE s.retracted_at IS NULL AND s.id > ? ORDER BY s.id LIMIT ?',
  ),
  observations: client.prepare(
    'SELECT a.observations_gz FROM series_grids g JOIN series_answers a ON a.series_id = g.series_id AND a.generation = g.generation '
    + 'WHERE g.series_id = ? AND g.stamp = ? AND g.evaluated_at <= ? AND g.valid_until > ?',
  ).pluck(),
}));

/** A series' /api/series/:id/observations answer, gzip-compressed, as the status check stored it, if it holds at `at`. */
export function storedObservations(db: Db, id: string, at: number): Buffer | null {
  return (answers(db).observations.get(id, READ_MODEL_STAMP, at, at) as Buffer | undefined) ?? null;
}

/** A series' stored evaluation (encoded) if it holds at `at`. */
function storedAt(db: Db, id: string, at: number): string | null {
  return statements(db).stored.get({ id, at })?.evaluation ?? null;
}

/**
 * The same series evaluated again at `at` over their last `cells` periods (the board's sparklines,
 * where the evaluation of every series read only the headline's months), in the same order.
 */
export function withSparklines(db: Db, rows: readonly EvaluatedSeries[], at: number, cells: number): EvaluatedSeries[] {
  if (rows.length === 0) return [];
  const again = new Map(evaluateRows(db, joinedRows(db, rows.map((r) => r.id)), at, { window: { cells, since: at }, gridTail: cells, fresh: true, noStored: storedBefore(db, at) })
    .map((s) => [s.id, s]));
  return rows.map((r) => again.get(r.id) ?? r);
}

/** Every series (those matching a filter, status aside) evaluated at `at`, in id order. */
export function evaluateAll(db: Db, at: number, filter: SeriesFilter = {}): EvaluatedSeries[] {
  // Every listed series computed ahead for this instant: no need to read the rows again.
  if (ahead && ahead.at === at && ahead.complete && Object.values(filter).every((v) => v === undefined)) {
    return [...ahead.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return evaluateRows(db, db.select().from(series).innerJoin(publishers, eq(series.publisherId, publishers.id))
    .where(filterWhere({ ...filter, status: undefined })).orderBy(asc(series.id)).all(), at);
}

export interface SeriesPage {
  rows: EvaluatedSeries[];
  total: number;
  nextCursor: string | null;
}

/**
 * A page of series in id order (keyset pagination), evaluated at `at`. Now, the status filter
 * uses the stored status (indexed); as of a past date, statuses are recomputed for that date, so
 * the filter and the counts say what lacuna would have said then. With `gridTail`, each grid
 * holds only its last cells.
 */
export function listSeries(
  db: Db, filter: SeriesFilter, at: number, opts: { after?: string | undefined; limit?: number; asOf?: boolean; gridTail?: number } = {},
): SeriesPage {
  const limit = opts.limit ?? 200;
  if (opts.asOf && filter.status) {
    const all = evaluateAll(db, at, filter).filter((s) => statusMatches(s.evaluation.status, filter.status!));
    const rest = opts.after ? all.filter((s) => s.id > opts.after!) : all;
    return { rows: rest.slice(0, limit), total: all.length, nextCursor: rest.length > limit ? rest[limit - 1]!.id : null };
  }
  const where = filterWhere(filter);
  const rows = db.select().from(series).innerJoin(publishers, eq(series.publisherId, publishers.id))
    .where(and(where, opts.after ? gt(series.id, opts.after) : undefined))
    .orderBy(asc(series.id)).limit(limit + 1).all();
  const total = db.select({ n: count() }).from(series).where(where).get()!.n;
  const page = rows.slice(0, limit);
  return { rows: evaluateRows(db, page, at, opts), total, nextCursor: rows.length > limit ? page.at(-1)!.series.id : null };
}

/**
 * Every series matching `filter`, evaluated at `at`, `size` at a time in id order (keyset), so a
 * download over thousands of series holds one chunk in memory. As of a past date with a status
 * filter, the statuses of that date are known only by evaluating every series: done once.
 */
export function* seriesChunks(db: Db, filter: SeriesFilter, at: number, opts: { asOf: boolean; size: number }): Generator<EvaluatedSeries[]> {
  if (opts.asOf && filter.status) {
    const all = evaluateAll(db, at, filter).filter((s) => statusMatches(s.evaluation.status, filter.status!));
    for (let i = 0; i < all.length; i += opts.size) yield all.slice(i, i + opts.size);
    return;
  }
  let after: string | undefined;
  do {
    const page = listSeries(db, filter, at, { after, limit: opts.size, asOf: opts.asOf });
    if (page.rows.length) yield page.rows;
    after = page.nextCursor ?? undefined;
  } while (after);
}

const statusMatches = (status: SeriesStatus, wanted: string) => (wanted === 'dark' ? DARK_STATUSES.has(status) : status === wanted);

export interface BoardSummary {
  total: number;
  byStatus: Record<string, number>;
  goneDark: number;
  publishers: { id: string; name: string; count: number }[];
  /** Countries with at least one series listed, by name. */
  countries: (Country & { count: number })[];
  topics: string[];
}

/** Counts by status (stored, or of `evaluated`: every series at an as-of instant), publishers and topics. */
export function boardSummary(db: Db, evaluated?: readonly EvaluatedSeries[]): BoardSummary {
  const byStatus: Record<string, number> = {};
  if (!evaluated) {
    for (const r of db.select({ status: series.status, n: count() }).from(series).where(listed).groupBy(series.status).all()) byStatus[r.status] = r.n;
  } else {
    for (const s of evaluated) byStatus[s.evaluation.status] = (byStatus[s.evaluation.status] ?? 0) + 1;
  }
  const pubs = db.select({ id: publishers.id, name: publishers.name, count: count(series.id) })
    .from(publishers).leftJoin(series, and(eq(series.publisherId, publishers.id), listed))
    .groupBy(publishers.id).orderBy(asc(publishers.name)).all();
  const countries = db.select({ code: series.country, count: count() }).from(series).where(and(listed, isNotNull(series.country)))
    .groupBy(series.country).all().map((r) => ({ ...countryOf(r.code)!, count: r.count })).sort((a, b) => a.name.localeCompare(b.name));
  const topics = db.select({ t: sql<string>`DISTINCT j.value` }).from(sql`series, json_each(series.topics) AS j`).where(listed).all()
    .map((r) => r.t).sort();
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  const goneDark = [...DARK_STATUSES].reduce((n, s) => n + (byStatus[s] ?? 0), 0);
  return { total, byStatus, goneDark, publishers: pubs, countries, topics };
}

export function getSeries(db: Db, id: string, at: number): EvaluatedSeries | null {
  const row = statements(db).series.get({ id });
  return row ? evaluateRows(db, [row], at)[0]! : null;
}

/**
 * Events (with citations) of some series, some ids, or all (of the series listed: not those of a
 * retracted series); with `until`, only those dated on or before it.
 */
export function listEvents(db: Db, opts: { seriesIds?: string[]; ids?: string[]; until?: string } = {}): EventView[] {
  const rows = db.select().from(events)
    .where(and(opts.seriesIds ? inArray(events.seriesId, opts.seriesIds) : undefined,
      opts.ids ? inArray(events.id, opts.ids) : undefined,
      opts.seriesIds || opts.ids ? undefined : sql`${events.seriesId} IN (SELECT id FROM series WHERE retracted_at IS NULL)`,
      opts.until ? sql`${events.date} <= ${opts.until}` : undefined, isRealDate(events.date)))
    .orderBy(asc(events.date), asc(events.id)).all();
  const cites = rows.length
    ? db.select().from(citations).where(inArray(citations.eventId, rows.map((r) => r.id))).orderBy(asc(citations.position)).all()
    : [];
  const ids = [...new Set(rows.map((r) => r.seriesId))];
  const countries = new Map(ids.length
    ? db.select({ id: series.id, country: series.country }).from(series).where(inArray(series.id, ids)).all().map((r) => [r.id, r.country])
    : []);
  return rows.map((e) => ({
    id: e.id, seriesId: e.seriesId, kind: e.kind, date: e.date, dateApproximate: e.dateApproximate,
    periodFrom: e.periodFrom, periodTo: e.periodTo, title: e.title, description: e.description,
    evidenceKind: e.evidenceKind, confidence: e.confidence, origin: e.origin, country: countries.get(e.seriesId) ?? null,
    citations: cites.filter((c) => c.eventId === e.id)
      .map((c) => ({ url: c.url, title: c.title, publisher: c.publisher, date: c.date, quote: c.quote })),
  }));
}

export interface RelatedSeries {
  role: 'successor' | 'predecessor' | 'proxy' | 'proxied';
  series: EvaluatedSeries;
}

/** Successor, predecessor and proxy series, drawn beside a series but never joined to it. */
export function relatedSeries(db: Db, s: SeriesInfo, at: number): RelatedSeries[] {
  const wanted: { id: string; role: RelatedSeries['role'] }[] = [];
  if (s.successorId) wanted.push({ id: s.successorId, role: 'successor' });
  for (const p of s.proxies) wanted.push({ id: p, role: 'proxy' });
  for (const r of db.select({ id: series.id }).from(series).where(and(eq(series.successorId, s.id), listed)).all()) wanted.push({ id: r.id, role: 'predecessor' });
  for (const r of db.select({ id: series.id }).from(series).where(and(like(series.proxies, `%${JSON.stringify(s.id)}%`), listed)).all()) wanted.push({ id: r.id, role: 'proxied' });
  return wanted.flatMap(({ id, role }) => {
    const got = getSeries(db, id, at);
    return got ? [{ role, series: got }] : [];
  });
}

/** Revision history: every stored value of a period, newest first. */
export function observationHistory(db: Db, seriesId: string) {
  // Current and superseded values sit in separate partial indexes: ask each, then merge.
  const of = (superseded: boolean) => db.select().from(observations)
    .where(and(eq(observations.seriesId, seriesId), superseded ? isNotNull(observations.supersededAt) : isNull(observations.supersededAt))).all();
  return [...of(false), ...of(true)].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.id - b.id));
}

/** An archived raw answer as stored (gzip), with its size inflated and the content type it came with. */
export function rawAnswer(db: Db, hash: string): { gz: Buffer; size: number; contentType: string | null } | null {
  const row = db.select().from(rawAnswers).where(eq(rawAnswers.hash, hash)).get();
  return row ? { gz: row.body, size: row.size, contentType: row.contentType } : null;
}

/** A series' latest fetch runs, newest first; with `until`, only those started by then (as-of views). */
export function listFetchRuns(db: Db, seriesId: string, opts: { until?: number | undefined; limit?: number } = {}) {
  return db.select().from(fetchRuns)
    .where(and(eq(fetchRuns.seriesId, seriesId), opts.until === undefined ? undefined : lte(fetchRuns.startedAt, opts.until)))
    .orderBy(sql`${fetchRuns.startedAt} DESC`).limit(opts.limit ?? 50).all();
}

export interface CalendarView {
  id: string;
  kind: string;
  title: string;
  from: string;
  to: string;
  citations: CitationView[];
}

/** Political and holiday events (catalogue/calendar.yaml), oldest first. */
export function listCalendar(db: Db): CalendarView[] {
  return db.select().from(calendarEvents).where(and(isRealDate(calendarEvents.fromDate), isRealDate(calendarEvents.toDate)))
    .orderBy(asc(calendarEvents.fromDate)).all().map((c) => ({
    id: c.id, kind: c.kind, title: c.title, from: c.fromDate, to: c.toDate, citations: JSON.parse(c.citations) as CitationView[],
  }));
}

/** The kind of each event of some series, by series and event id (the badges' stories). */
export function eventKindsBySeries(db: Db, seriesIds: string[]): Map<string, Record<string, EventKind>> {
  return new Map([...eventFacts(db, seriesIds)].map(([sid, evs]) => [sid, Object.fromEntries(evs.map((e) => [e.id, e.kind]))]));
}

/** A publisher with every series of it, evaluated at `at`; null for an unknown publisher. */
export function publisherSeries(db: Db, id: string, at: number): { id: string; name: string; series: EvaluatedSeries[] } | null {
  const pub = db.select().from(publishers).where(eq(publishers.id, id)).get();
  if (!pub) return null;
  const rows = db.select().from(series).innerJoin(publishers, eq(series.publisherId, publishers.id))
    .where(and(eq(series.publisherId, id), listed)).orderBy(asc(series.id)).all();
  return { id: pub.id, name: pub.name, series: evaluateRows(db, rows, at) };
}

/** A country with every series about it, evaluated at `at`; null when no listed series has that country. */
export function countrySeries(db: Db, code: string, at: number): (Country & { series: EvaluatedSeries[] }) | null {
  const rows = db.select().from(series).innerJoin(publishers, eq(series.publisherId, publishers.id))
    .where(and(eq(series.country, code), listed)).orderBy(asc(series.id)).all();
  return rows.length ? { ...countryOf(code)!, series: evaluateRows(db, rows, at) } : null;
}

/** When a period of a series was due (its release rule), with the series' title; null for an unknown series. */
export function periodDue(db: Db, seriesId: string, period: string): { title: string; dueAt: number } | null {
  const row = db.select().from(series).where(eq(series.id, seriesId)).get();
  return row ? { title: row.title, dueAt: dueAt(period, row.frequency as Frequency, releaseOf(row)) } : null;
}

/** A series' title, or null. */
export function seriesTitle(db: Db, seriesId: string): string | null {
  return db.select({ title: series.title }).from(series).where(eq(series.id, seriesId)).get()?.title ?? null;
}
