// What the disclosure index views read: every series evaluated at an instant, turned into the
// rows of src/core/disclosure.ts, and the board's headline (the latest complete month against
// the same month a year earlier).
import { eq, max } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { seriesGrids, summaries } from '../db/schema.js';
import {
  disclosureIndex, latestCompleteMonth, monthOf, type DisclosureCount, type DisclosureMonth, type DisclosureRow,
} from '../src/core/disclosure.js';
import { shiftPeriod } from '../src/core/period.js';
import { evaluateAll, type EvaluatedSeries } from './read-model.js';

export const DEFAULT_FROM_MONTH = '2015-01';

export interface DisclosureView {
  from: string;
  to: string;
  /** Publishers with at least one series, in id order (the order of every month's byPublisher). */
  publishers: { id: string; name: string }[];
  months: DisclosureMonth[];
  /** How many series the index reads. */
  seriesCount: number;
  /** The instant the index was evaluated at (now, or the end of the as-of day). */
  at: number;
}

/** One disclosure row per evaluated series (its due dates read in the series' time zone). */
function disclosureRows(evaluated: readonly EvaluatedSeries[]): { rows: DisclosureRow[]; names: Map<string, string> } {
  const names = new Map(evaluated.map((s) => [s.publisher.id, s.publisher.name]));
  const rows = evaluated.map((s) => ({
    publisherId: s.publisher.id,
    grid: s.evaluation.grid,
    ...(typeof s.release?.timeZone === 'string' ? { timeZone: s.release.timeZone as string } : {}),
  }));
  return { rows, names };
}

/** The index from `from` to `to` ('YYYY-MM'), as known at `at`. */
export function disclosureView(db: Db, at: number, from: string, to: string): DisclosureView {
  const { rows, names } = disclosureRows(evaluateAll(db, at));
  const ids = [...names.keys()].sort();
  return {
    from, to,
    publishers: ids.map((id) => ({ id, name: names.get(id)! })),
    months: disclosureIndex(rows, from, to),
    seriesCount: rows.length,
    at,
  };
}

export interface HeadlineMonth extends DisclosureCount {
  month: string;
}

export interface DisclosureHeadlineData {
  /** The latest month complete at `at` with something due (see latestCompleteMonth). */
  latest: HeadlineMonth;
  /** The same month a year earlier (share null when nothing was due then). */
  yearEarlier: HeadlineMonth;
}

/** How far back the headline looks for a complete month with something due. */
const HEADLINE_LOOKBACK_MONTHS = 120;

const HEADLINE_KEY = 'disclosure-headline';

/**
 * The overall share disclosed on schedule in the latest complete month, and in the same month a
 * year earlier; null when no month in the last ten years has anything due. Now, the board reads
 * the copy the status check keeps (computing it once if there is none); with `live` (as-of
 * views: every series evaluated at `at`) it is computed from those.
 */
export function disclosureHeadline(db: Db, at: number, opts: { live?: readonly EvaluatedSeries[] } = {}): DisclosureHeadlineData | null {
  if (opts.live) return computeHeadline(opts.live, at).value;
  const row = db.select().from(summaries).where(eq(summaries.key, HEADLINE_KEY)).get();
  return row ? (JSON.parse(row.value) as DisclosureHeadlineData | null) : storeHeadline(db, at);
}

/**
 * Recomputes the stored headline when a series' evaluation changed since it was computed, or a month
 * has become complete since; the status check calls it after every run. Returns whether it did.
 */
export function refreshHeadline(db: Db, now: number): boolean {
  const row = db.select().from(summaries).where(eq(summaries.key, HEADLINE_KEY)).get();
  const newest = db.select({ t: max(seriesGrids.changedAt) }).from(seriesGrids).get()?.t ?? null;
  if (row && (newest === null || newest <= row.computedAt) && (row.validUntil === null || now < row.validUntil)) return false;
  storeHeadline(db, now);
  return true;
}

function storeHeadline(db: Db, now: number): DisclosureHeadlineData | null {
  const { value, validUntil } = computeHeadline(evaluateAll(db, now), now);
  const values = { computedAt: now, validUntil, value: JSON.stringify(value) };
  db.insert(summaries).values({ key: HEADLINE_KEY, ...values }).onConflictDoUpdate({ target: summaries.key, set: values }).run();
  return value;
}

function computeHeadline(evaluated: readonly EvaluatedSeries[], at: number): { value: DisclosureHeadlineData | null; validUntil: number | null } {
  const to = monthOf(at);
  const { rows } = disclosureRows(evaluated);
  const index = disclosureIndex(rows, shiftPeriod(to, 'monthly', -HEADLINE_LOOKBACK_MONTHS - 12), to);
  const latest = latestCompleteMonth(index.slice(12), at);
  // The headline moves on when a later month settles.
  const settles = index.filter((m) => m.settledAt > at).map((m) => m.settledAt);
  const validUntil = settles.length ? Math.min(...settles) : null;
  if (!latest) return { value: null, validUntil };
  const earlierMonth = shiftPeriod(latest.month, 'monthly', -12);
  const earlier = index.find((m) => m.month === earlierMonth)!;
  return {
    value: { latest: { month: latest.month, ...latest.overall }, yearEarlier: { month: earlier.month, ...earlier.overall } },
    validUntil,
  };
}
