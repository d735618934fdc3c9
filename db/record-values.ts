// The one place that records values for a series with vintage tracking: a new period is added
// with first_seen_at; a different value for a known period is a revision (the old row is kept and
// marked superseded), and so is the same value with a different observation status from the
// publisher (P, provisional, becoming A); the same value and status change nothing. With `complete`, a period the answer no
// longer contains is flagged withdrawn (kept). A write that changed anything sets the series'
// values_changed_at once, and the store's series_changed trigger drops its stored read model and
// makes it due (migration 0011), the one invalidation path; no trigger fires per inserted row.
// Nothing else writes observations (test/architecture.test.ts). Call inside a transaction.
import { perConnection, type Db } from './client.js';

export interface IncomingValue {
  period: string;
  value: number | null;
  valueText: string;
  /** The publisher's observation status; null: the answer gave none; undefined: the origin carries none (bundle, import). */
  obsStatus?: string | null;
  releasedAt?: number | null;
  provenance?: string | null;
}

export interface RecordOptions {
  origin: 'bundle' | 'import' | 'fetch';
  now: number;
  fetchRunId?: number | null;
  /** The answer holds every period the publisher still publishes: absent ones are withdrawn. */
  complete?: boolean;
  /** With `complete`, only periods in this range (canonical periods sort as text) can be withdrawn. */
  within?: { from: string; to: string } | null;
}

export interface RecordCounts {
  added: number;
  revised: number;
  unchanged: number;
  withdrawn: number;
}

// This runs for every value of every import and fetch.
const statements = perConnection((_db, client) => ({
    current: client.prepare(
      'SELECT id, period, value, value_text AS valueText, obs_status AS obsStatus, origin, withdrawn_at AS withdrawnAt FROM observations WHERE series_id = ? AND superseded_at IS NULL',
    ),
    supersede: client.prepare('UPDATE observations SET superseded_at = ? WHERE id = ?'),
    withdraw: client.prepare('UPDATE observations SET withdrawn_at = ? WHERE id = ?'),
    changed: client.prepare('UPDATE series SET values_changed_at = ? WHERE id = ?'),
    // Current and superseded values sit in separate partial indexes: one statement for each, so
    // that neither scans the whole table.
    bundledCurrent: client.prepare(
      "DELETE FROM observations WHERE series_id = ? AND superseded_at IS NULL AND origin = 'bundle' AND period NOT IN (SELECT value FROM json_each(?)) RETURNING period",
    ).pluck(),
    bundledSuperseded: client.prepare(
      "DELETE FROM observations WHERE series_id = ? AND superseded_at IS NOT NULL AND origin = 'bundle' AND period NOT IN (SELECT value FROM json_each(?))",
    ),
    restore: client.prepare(
      'UPDATE observations SET superseded_at = NULL WHERE id = (SELECT id FROM observations WHERE series_id = ? AND period = ? AND superseded_at IS NOT NULL ORDER BY superseded_at DESC, id DESC LIMIT 1)',
    ),
    insert: client.prepare(`${INSERT} ${ROW}`),
    insertMany: client.prepare(`${INSERT} ${Array(INSERT_BATCH).fill(ROW).join(', ')}`),
}));

const INSERT = 'INSERT INTO observations (series_id, period, value, value_text, obs_status, first_seen_at, released_at, origin, provenance, fetch_run_id) VALUES';
// What every row of one call shares is bound once, by name; each row binds only its own six.
const ROW = '(@series, ?, ?, ?, ?, @seen, ?, @origin, ?, @run)';
const ROW_PARAMS = 6;
/** Rows per multi-row INSERT: one statement step for many rows is most of the ingest's speed. */
const INSERT_BATCH = 32;

interface CurrentRow {
  id: number; period: string; value: number | null; valueText: string; obsStatus: string | null; origin: string; withdrawnAt: number | null;
}

/** Equal but for binary float noise, which sits in the 16th or 17th significant digit; no published figure differs that little. */
const sameNumber = (a: number, b: number) => a === b || Math.abs(a - b) <= Math.max(Math.abs(a), Math.abs(b)) * 1e-12;

/**
 * Whether an incoming value says what the stored one says:
 *
 * | value                      | status                                                | same? |
 * |----------------------------|-------------------------------------------------------|-------|
 * | different                  | any                                                   | no    |
 * | equal (text or number)     | incoming carries none (bundle, import)                | yes   |
 * | equal                      | equal (both none included)                            | yes   |
 * | equal                      | stored row from the bundle or an import, with none    | yes (its first status is no change) |
 * | equal                      | otherwise different (P to A, P to none)               | no: a revision |
 */
function sameAs(old: CurrentRow, v: IncomingValue): boolean {
  // The same number written differently ("5.40" for "5.4", or with an intermediary's float noise:
  // "3342.1230000000005" for "3342.123") is not a revision.
  const sameValue = old.valueText === v.valueText || (old.value !== null && v.value !== null && sameNumber(old.value, v.value));
  if (!sameValue || v.obsStatus === undefined) return sameValue;
  if (old.obsStatus === null && old.origin !== 'fetch') return true;
  return old.obsStatus === v.obsStatus;
}

export function recordValues(db: Db, seriesId: string, values: readonly IncomingValue[], opts: RecordOptions): RecordCounts {
  const counts: RecordCounts = { added: 0, revised: 0, unchanged: 0, withdrawn: 0 };
  const st = statements(db);
  const current = new Map((st.current.all(seriesId) as CurrentRow[]).map((o) => [o.period, o]));
  // New rows go in after every superseded row is closed, so the unique index never sees two
  // current values for a period; a batch at a time.
  const rows: unknown[] = [];
  for (const v of values) {
    const old = current.get(v.period);
    current.delete(v.period);
    if (old && sameAs(old, v) && old.withdrawnAt === null) {
      counts.unchanged++;
      continue;
    }
    if (old) {
      st.supersede.run(opts.now, old.id);
      counts.revised++;
    } else counts.added++;
    rows.push(v.period, v.value, v.valueText, v.obsStatus ?? null, v.releasedAt ?? null, v.provenance ?? null);
  }
  const shared = { series: seriesId, seen: opts.now, origin: opts.origin, run: opts.fetchRunId ?? null };
  const step = INSERT_BATCH * ROW_PARAMS;
  let at = 0;
  for (; at + step <= rows.length; at += step) st.insertMany.run(rows.slice(at, at + step), shared);
  for (; at < rows.length; at += ROW_PARAMS) st.insert.run(rows.slice(at, at + ROW_PARAMS), shared);
  if (opts.complete) {
    for (const gone of current.values()) {
      if (gone.withdrawnAt !== null) continue;
      if (opts.within && (gone.period < opts.within.from || gone.period > opts.within.to)) continue;
      st.withdraw.run(opts.now, gone.id);
      counts.withdrawn++;
    }
  }
  if (counts.added || counts.revised || counts.withdrawn) st.changed.run(opts.now, seriesId);
  return counts;
}

/**
 * Deletes a series' bundled values of periods not in `kept` (the catalogue no longer gives them);
 * a value one had replaced (fetched, imported) becomes current again. Returns how many rows went.
 */
export function dropBundledValues(db: Db, seriesId: string, kept: readonly string[], now: number): number {
  const st = statements(db);
  const periods = JSON.stringify(kept);
  const gone = st.bundledCurrent.all(seriesId, periods) as string[];
  const superseded = st.bundledSuperseded.run(seriesId, periods).changes;
  for (const period of gone) st.restore.run(seriesId, period);
  if (gone.length || superseded) st.changed.run(now, seriesId);
  return gone.length + superseded;
}
