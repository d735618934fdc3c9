// What the disclosure index views read: every series evaluated at an instant, turned into the
// rows of src/core/disclosure.ts, and the board's headline (the latest complete month against
// the same month a year earlier).
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { publishers, series } from '../db/schema.js';
import {
  disclosureIndex, latestCompleteMonth, monthOf, type DisclosureCount, type DisclosureMonth, type DisclosureRow,
} from '../src/core/disclosure.js';
import { shiftPeriod } from '../src/core/period.js';
import { evaluateRows } from './read-model.js';

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

/** One disclosure row per series, evaluated at `at` (its due dates read in the series' time zone). */
function disclosureRows(db: Db, at: number): { rows: DisclosureRow[]; names: Map<string, string> } {
  const joined = db.select().from(series).innerJoin(publishers, eq(series.publisherId, publishers.id)).orderBy(asc(series.id)).all();
  const evaluated = evaluateRows(db, joined, at);
  const names = new Map(evaluated.map((s) => [s.publisher.id, s.publisher.name]));
  const rows = evaluated.map((s) => ({
    publisherId: s.publisher.id,
    grid: s.evaluation.grid,
    ...(typeof s.release?.timeZone === 'string' ? { timeZone: s.release.timeZone as string } : {}),
  }));
  return { rows, names };
}

/** The index from `from` to `to` ('YYYY-MM'; `to` defaults to the month of `at`), as known at `at`. */
export function disclosureView(db: Db, at: number, from = DEFAULT_FROM_MONTH, to = monthOf(at)): DisclosureView {
  const { rows, names } = disclosureRows(db, at);
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

/**
 * The overall share disclosed on schedule in the latest complete month, and in the same month a
 * year earlier; null when no month in the last ten years has anything due.
 */
export function disclosureHeadline(db: Db, at: number): DisclosureHeadlineData | null {
  // The board asks on every view and the answer needs every series evaluated: remember it until
  // the data changes (new values, events or series) or the hour turns.
  const version = db.$client.prepare(
    'SELECT (SELECT max(id) FROM observations) AS o, (SELECT max(recorded_at) FROM events) AS e, (SELECT count(*) FROM series) AS s, (SELECT max(checked_at) FROM series) AS c',
  ).get() as Record<string, number | null>;
  const key = `${Math.floor(at / 3_600_000)}|${version.o}|${version.e}|${version.s}|${version.c}`;
  const hit = headlineCache.get(db.$client);
  if (hit?.key === key) return hit.value;
  const value = computeHeadline(db, at);
  headlineCache.set(db.$client, { key, value });
  return value;
}

const headlineCache = new WeakMap<object, { key: string; value: DisclosureHeadlineData | null }>();

function computeHeadline(db: Db, at: number): DisclosureHeadlineData | null {
  const to = monthOf(at);
  const { rows } = disclosureRows(db, at);
  const index = disclosureIndex(rows, shiftPeriod(to, 'monthly', -HEADLINE_LOOKBACK_MONTHS - 12), to);
  const latest = latestCompleteMonth(index.slice(12), at);
  if (!latest) return null;
  const earlierMonth = shiftPeriod(latest.month, 'monthly', -12);
  const earlier = index.find((m) => m.month === earlierMonth)!;
  return {
    latest: { month: latest.month, ...latest.overall },
    yearEarlier: { month: earlier.month, ...earlier.overall },
  };
}
