// The disclosure index: for each publisher, each country and overall, the share of tracked series disclosed on
// schedule, month by month. Pure: grids in, counts out.
//
// Definition. For a month M (a calendar month 'YYYY-MM') and a set of series:
//   due         the number of series with at least one judged period due in M: a period whose
//               due date falls in M and whose state is not `unknown` (no record), `not_due` or
//               `not_expected`;
//   on_schedule those of them whose every judged period due in M is `disclosed` without the
//               `backfilled` mark (a value that became known only after the grace ended is not
//               on schedule);
//   share       on_schedule / due, or null when due = 0 (nothing to judge is not 0 %).
// Each series weighs one, whatever its frequency: a daily series (an access probe adds thirty
// periods a month) counts as much as a monthly one, so it cannot swamp the index. Access series
// (whether a database or service answers users abroad) are counted in an index of their own,
// `access`, never in `overall` or a publisher's column: a refused login is not a release.
// The month of a due date is taken in the series' time zone when a row gives one (a publisher's
// release on the 1st at 00:30 Beijing time belongs to that month), else in UTC.
//
// Truth table for one judged cell (a series is on schedule in M when all its cells of M are):
//   state        backfilled   counts in due   counts on schedule
//   disclosed    no           yes             yes
//   disclosed    yes          yes             no
//   any other judged state     yes             no
//   (cancelled is one: the publisher's calendar owed it and the publisher did not deliver; an
//   announcement that a period will never exist is disclosure withheld, not a release on time,
//   so it counts as due like a suspended period, never as on schedule)
//   unknown / not_due / not_expected   no      no
import { comparePeriods, periodRange, shiftPeriod } from './period.js';
import { localDay } from './zoned-time.js';
import type { PeriodCell, PeriodState } from './types.js';

/** States that say nothing about the publisher's punctuality in a month. */
const UNJUDGED_STATES: ReadonlySet<PeriodState> = new Set(['unknown', 'not_due', 'not_expected']);

export interface DisclosureRow {
  publisherId: string;
  /** The series' country (ISO 3166-1 alpha-2); a series without one counts in no country's column. */
  countryId?: string | null;
  grid: readonly PeriodCell[];
  /** IANA zone in which a due date's month is read; UTC when absent. */
  timeZone?: string;
  /** An access series (counted in the `access` index only). */
  access?: boolean;
}

export interface DisclosureCount {
  due: number;
  onSchedule: number;
  share: number | null;
}

export interface DisclosureMonth {
  month: string;
  /** Every statistical (not access) series. */
  overall: DisclosureCount;
  /** Every access series. */
  access: DisclosureCount;
  /** Every publisher of statistical series, in id order, even those with nothing due that month. */
  byPublisher: Record<string, DisclosureCount>;
  /** Every country of statistical series, in code order, like byPublisher. */
  byCountry: Record<string, DisclosureCount>;
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

export interface DisclosureTally {
  /** Counts one more series' grid. */
  add(row: DisclosureRow): void;
  /** The index of every row added so far, one entry per month in order. */
  months(): DisclosureMonth[];
}

/**
 * The disclosure index from `fromMonth` to `toMonth` ('YYYY-MM', both included) counted a row at
 * a time, so a caller can read thousands of series a chunk at a time and keep none of their grids.
 * Throws on a malformed month; no months when fromMonth is after toMonth.
 */
export function disclosureTally(fromMonth: string, toMonth: string): DisclosureTally {
  if (!isMonth(fromMonth) || !isMonth(toMonth)) throw new RangeError(`months are YYYY-MM: ${fromMonth}, ${toMonth}`);
  const range = comparePeriods(fromMonth, toMonth, 'monthly') > 0 ? [] : periodRange(fromMonth, toMonth, 'monthly');
  const months = range.map((month) => ({
    month,
    due: 0,
    onSchedule: 0,
    access: { due: 0, onSchedule: 0 },
    byPublisher: new Map<string, { due: number; onSchedule: number }>(),
    byCountry: new Map<string, { due: number; onSchedule: number }>(),
    settledAt: Date.parse(`${shiftPeriod(month, 'monthly', 1)}-01T00:00:00Z`),
  }));
  const byMonth = new Map(months.map((m) => [m.month, m]));
  const publishers = new Set<string>();
  const countries = new Set<string>();
  const bump = (map: Map<string, { due: number; onSchedule: number }>, key: string, on: number) => {
    let c = map.get(key);
    if (!c) map.set(key, (c = { due: 0, onSchedule: 0 }));
    c.due++;
    c.onSchedule += on;
  };
  // Due dates repeat across periods and series (a publisher releases many series on one day):
  // the month of each instant is worked out once per time zone.
  const monthMemo = new Map<string, Map<number, (typeof months)[number] | null>>();
  return {
    add(row) {
      if (!row.access) publishers.add(row.publisherId);
      if (!row.access && row.countryId) countries.add(row.countryId);
      const zone = row.timeZone ?? 'UTC';
      let memo = monthMemo.get(zone);
      if (!memo) monthMemo.set(zone, (memo = new Map()));
      // This series' months: whether every judged period due in each was on schedule.
      const seen = new Map<(typeof months)[number], boolean>();
      for (const cell of row.grid) {
        let m = memo.get(cell.dueAt);
        if (m === undefined) memo.set(cell.dueAt, (m = byMonth.get(monthOf(cell.dueAt, zone)) ?? null));
        if (!m) continue;
        if (cell.graceEndsAt > m.settledAt) m.settledAt = cell.graceEndsAt;
        if (UNJUDGED_STATES.has(cell.state)) continue;
        seen.set(m, (seen.get(m) ?? true) && isOnSchedule(cell));
      }
      for (const [m, onTime] of seen) {
        const on = onTime ? 1 : 0;
        if (row.access) {
          m.access.due++;
          m.access.onSchedule += on;
          continue;
        }
        bump(m.byPublisher, row.publisherId, on);
        if (row.countryId) bump(m.byCountry, row.countryId, on);
        m.due++;
        m.onSchedule += on;
      }
    },
    months() {
      const ids = [...publishers].sort();
      const codes = [...countries].sort();
      const count = (c: { due: number; onSchedule: number } | undefined): DisclosureCount =>
        (c ? { due: c.due, onSchedule: c.onSchedule, share: share(c) } : { due: 0, onSchedule: 0, share: null });
      return months.map((m) => ({
        month: m.month,
        overall: count(m),
        access: count(m.access),
        byPublisher: Object.fromEntries(ids.map((p) => [p, count(m.byPublisher.get(p))])),
        byCountry: Object.fromEntries(codes.map((c) => [c, count(m.byCountry.get(c))])),
        settledAt: m.settledAt,
      }));
    },
  };
}

/**
 * The disclosure index from `fromMonth` to `toMonth` ('YYYY-MM', both included), one entry per
 * month in order. Throws on a malformed month; an empty list when fromMonth is after toMonth.
 */
export function disclosureIndex(rows: readonly DisclosureRow[], fromMonth: string, toMonth: string): DisclosureMonth[] {
  const tally = disclosureTally(fromMonth, toMonth);
  for (const row of rows) tally.add(row);
  return tally.months();
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
