// The disclosure index: for each publisher and overall, the share of tracked series disclosed on
// schedule, month by month. Pure: grids in, counts out.
//
// Definition. For a month M (a calendar month 'YYYY-MM') and a set of series:
//   due         the number of (series, period) pairs whose due date falls in M and whose state is
//               judged, i.e. not `unknown` (no record), `not_due` or `not_expected`;
//   on_schedule those of them in state `disclosed` without the `backfilled` mark (a value that
//               became known only after the grace ended is not on schedule);
//   share       on_schedule / due, or null when due = 0 (nothing to judge is not 0 %).
// The month of a due date is taken in the series' time zone when a row gives one (a publisher's
// release on the 1st at 00:30 Beijing time belongs to that month), else in UTC.
// Every judged period weighs the same, so a monthly series counts once a month and a quarterly
// one once a quarter. A period that is late, missing, suspended, discontinued, withdrawn or cut
// off counts as due and not on schedule.
//
// Truth table for one judged cell:
//   state        backfilled   counts in due   counts on schedule
//   disclosed    no           yes             yes
//   disclosed    yes          yes             no
//   any other judged state     yes             no
//   unknown / not_due / not_expected   no      no
import { comparePeriods, periodRange, shiftPeriod } from './period.js';
import { localDay } from './zoned-time.js';
import type { PeriodCell, PeriodState } from './types.js';

/** States that say nothing about the publisher's punctuality in a month. */
const UNJUDGED_STATES: ReadonlySet<PeriodState> = new Set(['unknown', 'not_due', 'not_expected']);

export interface DisclosureRow {
  publisherId: string;
  grid: readonly PeriodCell[];
  /** IANA zone in which a due date's month is read; UTC when absent. */
  timeZone?: string;
}

export interface DisclosureCount {
  due: number;
  onSchedule: number;
  share: number | null;
}

export interface DisclosureMonth {
  month: string;
  overall: DisclosureCount;
  /** Every publisher of the rows, in id order, even those with nothing due that month. */
  byPublisher: Record<string, DisclosureCount>;
  /**
   * The instant from which this month's counts change only with new facts: the end of the month
   * (UTC) or the latest grace end of a period due in it, whichever is later. A month is complete
   * at `at` when settledAt <= at.
   */
  settledAt: number;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

function isMonth(s: string): boolean {
  return MONTH.test(s);
}

/** 'YYYY-MM' of an instant, in a time zone (UTC by default). */
export function monthOf(instant: number, timeZone = 'UTC'): string {
  return new Date(timeZone === 'UTC' ? instant : localDay(instant, timeZone)).toISOString().slice(0, 7);
}

const share = (c: { due: number; onSchedule: number }) => (c.due ? c.onSchedule / c.due : null);

function isOnSchedule(c: PeriodCell): boolean {
  return c.state === 'disclosed' && !c.marks.backfilled;
}

/**
 * The disclosure index from `fromMonth` to `toMonth` ('YYYY-MM', both included), one entry per
 * month in order. Throws on a malformed month; an empty list when fromMonth is after toMonth.
 */
export function disclosureIndex(rows: readonly DisclosureRow[], fromMonth: string, toMonth: string): DisclosureMonth[] {
  if (!isMonth(fromMonth) || !isMonth(toMonth)) throw new RangeError(`months are YYYY-MM: ${fromMonth}, ${toMonth}`);
  if (comparePeriods(fromMonth, toMonth, 'monthly') > 0) return [];
  const publishers = [...new Set(rows.map((r) => r.publisherId))].sort();
  const months = periodRange(fromMonth, toMonth, 'monthly').map((month): DisclosureMonth => ({
    month,
    overall: { due: 0, onSchedule: 0, share: null },
    byPublisher: Object.fromEntries(publishers.map((p) => [p, { due: 0, onSchedule: 0, share: null }])),
    settledAt: Date.parse(`${shiftPeriod(month, 'monthly', 1)}-01T00:00:00Z`),
  }));
  const byMonth = new Map(months.map((m) => [m.month, m]));
  for (const row of rows) {
    for (const cell of row.grid) {
      const m = byMonth.get(monthOf(cell.dueAt, row.timeZone));
      if (!m) continue;
      m.settledAt = Math.max(m.settledAt, cell.graceEndsAt);
      if (UNJUDGED_STATES.has(cell.state)) continue;
      const on = isOnSchedule(cell) ? 1 : 0;
      const pub = m.byPublisher[row.publisherId]!;
      pub.due++;
      pub.onSchedule += on;
      m.overall.due++;
      m.overall.onSchedule += on;
    }
  }
  for (const m of months) {
    m.overall.share = share(m.overall);
    for (const c of Object.values(m.byPublisher)) c.share = share(c);
  }
  return months;
}

/**
 * The latest month complete at `at` (settled, see DisclosureMonth.settledAt) with something due
 * overall, or null. Months with nothing judged are skipped: "no record" is not a 0 % month.
 */
export function latestCompleteMonth(index: readonly DisclosureMonth[], at: number): DisclosureMonth | null {
  for (let i = index.length - 1; i >= 0; i--) {
    const m = index[i]!;
    if (m.settledAt <= at && m.overall.due > 0) return m;
  }
  return null;
}
