// Reads what the core needs about a series from the store: the SeriesFacts of src/core, as they
// stand now (the status check) or as lacuna knew them at an earlier instant (as-of views).
import { comparePeriods } from '../core/period.js';
import { dueAt } from '../core/release.js';
import { FIRST_READ, type EventFact, type Frequency, type ObservationFact, type PromiseFact, type PromiseState, type ReleaseRule, type SeriesFacts } from '../core/types.js';
import { perConnection, type Db } from '../../db/client.js';
import { observations, series } from '../../db/schema.js';

export type SeriesRow = typeof series.$inferSelect;

export interface StoredRelease extends ReleaseRule {
  citation?: { url: string; title: string; publisher: string; date?: string; quote?: string } | null;
}

/**
 * A series' release rule: one frozen object per distinct stored text, shared by every series and
 * check that has it, so that what the core remembers per rule (due dates) is reused.
 */
export function releaseOf(row: SeriesRow): StoredRelease {
  let rule = rules.get(row.releaseRule);
  if (!rule) {
    if (rules.size >= 10_000) rules.clear();
    rules.set(row.releaseRule, (rule = deepFreeze(JSON.parse(row.releaseRule) as StoredRelease)));
  }
  return rule;
}

const rules = new Map<string, StoredRelease>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * When a stored figure became known: its documented release date if a source gives one; for
 * bundled or imported history, the scheduled release date (lacuna did not watch it happen);
 * otherwise the moment lacuna first saw it.
 */
export function knownAt(o: Pick<typeof observations.$inferSelect, 'releasedAt' | 'origin' | 'period' | 'firstSeenAt'>, f: Frequency, rule: ReleaseRule): number {
  if (o.releasedAt !== null) return o.releasedAt;
  if (o.origin === 'bundle' || o.origin === 'import') return dueAt(o.period, f, rule);
  return o.firstSeenAt;
}

// Read for every series at every status check, rows as arrays. Current and superseded rows sit in
// separate partial indexes, so each is asked on its own; superseded rows (revisions) are few.
const COLUMNS = 'period, value, value_text, first_seen_at, released_at, origin, withdrawn_at, obs_status';
const statements = perConnection((_db, client) => ({
  current: client.prepare(`SELECT ${COLUMNS} FROM observations WHERE series_id = ? AND superseded_at IS NULL ORDER BY period`).raw(),
  superseded: client.prepare(`SELECT ${COLUMNS} FROM observations WHERE series_id = ? AND superseded_at IS NOT NULL ORDER BY id`).raw(),
  // From a period on (canonical periods of one frequency sort as text): a window of an as-of view.
  currentFrom: client.prepare(`SELECT ${COLUMNS} FROM observations WHERE series_id = ? AND superseded_at IS NULL AND period >= ? ORDER BY period`).raw(),
  supersededFrom: client.prepare(`SELECT ${COLUMNS} FROM observations WHERE series_id = ? AND superseded_at IS NOT NULL AND period >= ? ORDER BY id`).raw(),
  firstFetched: client.prepare(
    "SELECT min(period) FROM observations WHERE series_id = ? AND origin = 'fetch' AND first_seen_at <= ?",
  ).pluck(),
  promises: client.prepare('SELECT period, due_at, seen_at, state, source, due_local, reason FROM promises WHERE series_id = ? ORDER BY id').raw(),
  lastBefore: client.prepare('SELECT max(period) FROM observations WHERE series_id = ? AND superseded_at IS NULL AND period < ?').pluck(),
  // Many series at once (a chunk of a check or of an as-of view), their ids as one JSON array.
  eventsOf: client.prepare(
    'SELECT series_id, id, kind, date, period_from, period_to, title FROM events '
    + 'WHERE series_id IN (SELECT value FROM json_each(?)) AND date(date) = date ORDER BY date, rowid',
  ).raw(),
  promisesOf: client.prepare(
    'SELECT series_id, period, due_at, seen_at, state, source, due_local, reason FROM promises '
    + 'WHERE series_id IN (SELECT value FROM json_each(?)) ORDER BY id',
  ).raw(),
  lastGoodRead: client.prepare(
    "SELECT max(finished_at) FROM fetch_runs WHERE series_id = ? AND outcome IN ('ok', 'no_change') AND finished_at <= ?",
  ).pluck(),
  lastGoodReads: client.prepare(
    "SELECT series_id, max(finished_at) FROM fetch_runs WHERE series_id IN (SELECT value FROM json_each(?)) AND outcome IN ('ok', 'no_change') AND finished_at <= ? GROUP BY series_id",
  ).raw(),
}));

type Row = [period: string, value: number | null, valueText: string, firstSeenAt: number, releasedAt: number | null, origin: string, withdrawnAt: number | null, obsStatus: string | null];

/**
 * The value of each period as lacuna held it at `at` (now when omitted):
 *
 * | the period's stored versions (oldest first)     | at `at`                                          |
 * |-------------------------------------------------|--------------------------------------------------|
 * | the first                                       | shown (the core hides it until it is known)      |
 * | a later one (a revision), first seen after `at` | invisible: the version before it shows           |
 * | withdrawn after `at`                            | not yet withdrawn                                |
 * | a version with an earlier one before it         | marked revised                                   |
 */
export function observationFacts(db: Db, row: SeriesRow, at?: number, from?: string): ObservationFact[] {
  const f = row.frequency as Frequency;
  const rule = releaseOf(row);
  const st = statements(db);
  const older = new Map<string, Row[]>();
  for (const r of (from === undefined ? st.superseded.all(row.id) : st.supersededFrom.all(row.id, from)) as Row[]) {
    const versions = older.get(r[0]);
    if (versions) versions.push(r);
    else older.set(r[0], [r]);
  }
  const currents = (from === undefined ? st.current.all(row.id) : st.currentFrom.all(row.id, from)) as Row[];
  const out: ObservationFact[] = new Array(currents.length);
  for (let k = 0; k < currents.length; k++) {
    const current = currents[k]!;
    const before = older.get(current[0]);
    // The version shown: the newest seen by `at` (the first version always shows).
    let shown = current;
    let revised = before !== undefined;
    if (before && at !== undefined && current[3] > at) {
      let i = before.length - 1;
      while (i > 0 && before[i]![3] > at) i--;
      shown = before[i]!;
      revised = i > 0;
    }
    const [period, value, valueText, firstSeenAt, releasedAt, origin, withdrawnAt, obsStatus] = shown;
    out[k] = {
      period, value, valueText, obsStatus,
      // A bundled value was not seen by lacuna's recorder: its load time is no "first seen" date.
      firstSeenAt: origin === 'bundle' ? null : firstSeenAt,
      knownAt: releasedAt ?? (origin === 'bundle' || origin === 'import' ? dueAt(period, f, rule) : firstSeenAt),
      revised,
      withdrawn: withdrawnAt !== null && (at === undefined || withdrawnAt <= at),
    };
  }
  return out;
}

/**
 * Up to when lacuna's record of a series was complete, as known at `at`: the stored checked_at
 * when it is no later (it is the later of the bundle's checked_through and the last good read);
 * otherwise the later of the bundle's and the last successful read (ok or no change) finished by
 * `at`, so that a read that failed then leaves what followed unknown, never missing.
 */
export function checkedThroughAt(db: Db, row: SeriesRow, at: number): number | null {
  if (row.checkedAt === null || row.checkedAt <= at) return row.checkedAt;
  return throughRead(row, statements(db).lastGoodRead.get(row.id, at) as number | null);
}

/** checkedThroughAt of several series, the reads looked up in one statement. */
export function checkedThroughAll(db: Db, rows: readonly SeriesRow[], at: number): Map<string, number | null> {
  const out = new Map<string, number | null>();
  const later: string[] = [];
  for (const row of rows) {
    if (row.checkedAt === null || row.checkedAt <= at) out.set(row.id, row.checkedAt);
    else later.push(row.id);
  }
  if (later.length === 0) return out;
  const reads = new Map((statements(db).lastGoodReads.all(JSON.stringify(later), at) as [string, number][]));
  for (const row of rows) if (!out.has(row.id)) out.set(row.id, throughRead(row, reads.get(row.id) ?? null));
  return out;
}

const throughRead = (row: SeriesRow, read: number | null): number | null =>
  read === null ? row.bundleCheckedAt : row.bundleCheckedAt === null ? read : Math.max(read, row.bundleCheckedAt);

export function eventFacts(db: Db, seriesIds: string[]): Map<string, EventFact[]> {
  const out = new Map<string, EventFact[]>();
  if (!seriesIds.length) return out;
  // Impossible dates an older version stored are skipped (date() refuses them: src/read/stored-dates.ts).
  type Row = [seriesId: string, id: string, kind: EventFact['kind'], date: string, from: string | null, to: string | null, title: string];
  for (const [seriesId, id, kind, date, from, to, title] of statements(db).eventsOf.all(JSON.stringify(seriesIds)) as Row[]) {
    let list = out.get(seriesId);
    if (!list) out.set(seriesId, (list = []));
    list.push({ id, kind, date, from, to, title });
  }
  return out;
}

/** The latest period before `period` with a value on record (current), or null. */
export function lastValueBefore(db: Db, seriesId: string, period: string): string | null {
  return (statements(db).lastBefore.get(seriesId, period) as string | null) ?? null;
}

/** The promises of many series (see promiseFacts), by series. */
export function promiseFactsOf(db: Db, seriesIds: string[]): Map<string, PromiseFact[]> {
  const out = new Map<string, PromiseFact[]>();
  if (!seriesIds.length) return out;
  type Row = [seriesId: string, period: string, dueAt: number | null, seenAt: number, state: PromiseState, source: string, written: string | null, reason: string | null];
  for (const [seriesId, period, dueAt, seenAt, state, source, written, reason] of statements(db).promisesOf.all(JSON.stringify(seriesIds)) as Row[]) {
    let list = out.get(seriesId);
    if (!list) out.set(seriesId, (list = []));
    list.push({ period, dueAt, seenAt, state, source, written, reason });
  }
  return out;
}

/**
 * The facts of a series now, or with `at` as lacuna knew them at that instant: the record
 * checked through then, each period's value as it stood then. Events count from their date,
 * values from when they became known (the core filters both by its `now`). With `from` (a period
 * after grid_from), the facts of a window: the grid starts there and only its values are read.
 */
export function seriesFacts(
  db: Db, row: SeriesRow, evts?: EventFact[], at?: number, from?: string,
  known: { promises?: PromiseFact[]; checkedAt?: number | null } = {},
): SeriesFacts {
  const windowed = from !== undefined && comparePeriods(from, row.gridFrom, row.frequency as Frequency) > 0;
  return {
    frequency: row.frequency as Frequency,
    release: releaseOf(row),
    gridFrom: windowed ? from : row.gridFrom,
    recordFrom: recordFromOf(db, row, at),
    checkedAt: known.checkedAt !== undefined ? known.checkedAt : at === undefined ? row.checkedAt : checkedThroughAt(db, row, at),
    paused: row.paused,
    observations: observationFacts(db, row, at, windowed ? from : undefined),
    events: evts ?? eventFacts(db, [row.id]).get(row.id) ?? [],
    promises: known.promises ?? promiseFacts(db, row.id),
  };
}

/** Every version of the series' promises, in the order lacuna saw them (the core counts each from its seen_at). */
export function promiseFacts(db: Db, seriesId: string): PromiseFact[] {
  return (statements(db).promises.all(seriesId) as [string, number | null, number, PromiseState, string, string | null, string | null][])
    .map(([period, dueAt, seenAt, state, source, written, reason]) => ({ period, dueAt, seenAt, state, source, written, reason }));
}

// Before any live read, no period is judged: the record starts after every grid.
const NEVER: Record<Frequency, string> = { daily: '9999-12-31', weekly: '9999-W52', monthly: '9999-12', quarterly: '9999-Q4', annual: '9999' };

/**
 * Where lacuna's complete record starts, as known at `at`. A source that answers only its latest
 * day (SSE, SZSE) cannot fill the days before lacuna first read it, so for such a series the record
 * starts at the earliest period a live read brought, never at grid_from: those earlier days are
 * unknown to lacuna, not missing.
 */
function recordFromOf(db: Db, row: SeriesRow, at?: number): string {
  if (row.recordFrom !== FIRST_READ) return row.recordFrom;
  const first = statements(db).firstFetched.get(row.id, at ?? Number.MAX_SAFE_INTEGER) as string | null;
  return first ?? NEVER[row.frequency as Frequency];
}
