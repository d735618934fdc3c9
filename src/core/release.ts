// When each period is due: a lag after the period's last day in the publisher's time zone,
// explicit calendar dates that override it, a grace, NBS's combined January-February release, and
// the business days of a daily series (weekends and the publisher's cited holidays have no figure).
import { formatDay, nextPeriod, parseDay, periodLastDay, periodMonth } from './period.js';
import { localToUtc } from './zoned-time.js';
import type { BusinessDays, Frequency, Period, ReleaseRule } from './types.js';

const DAY = 86_400_000;

export const DEFAULT_RULE: ReleaseRule = {
  lagDays: 30,
  time: '00:00',
  timeZone: 'UTC',
  graceDays: 7,
  janFebCombined: false,
  calendar: {},
};

/**
 * The instant a period's figure is expected (UTC epoch ms). A January folded into a combined
 * January-February release is due when that release is: February's date (its calendar date or
 * its lag), unless the calendar names a date for January itself.
 */
export function dueAt(period: Period, f: Frequency, rule: ReleaseRule): number {
  // Asked for every period of a grid and every stored figure, at every check: remembered per rule
  // object (the store hands out one frozen object per distinct rule).
  let memo = dueMemo.get(rule);
  if (!memo) dueMemo.set(rule, (memo = new Map()));
  const key = f === 'monthly' ? period : `${f}:${period}`;
  let due = memo.get(key);
  if (due === undefined) memo.set(key, (due = computeDueAt(period, f, rule)));
  return due;
}

const dueMemo = new WeakMap<ReleaseRule, Map<string, number>>();

function computeDueAt(period: Period, f: Frequency, rule: ReleaseRule): number {
  const fixed = rule.calendar[period];
  if (fixed) {
    const [date, time] = fixed.split('T');
    return localToUtc(parseDay(date!), time ?? rule.time, rule.timeZone);
  }
  if (isFoldedJanuary(period, f, rule)) return dueAt(nextPeriod(period, f), f, rule);
  let day = periodLastDay(period, f) + rule.lagDays * DAY;
  // A business-day series publishes on business days: a due date on a closed day moves to the next open one.
  if (rule.businessDays) for (let n = 0; n < 60 && isClosedDay(day, rule.businessDays); n++) day += DAY;
  return localToUtc(day, rule.time, rule.timeZone);
}

export function graceEndsAt(period: Period, f: Frequency, rule: ReleaseRule): number {
  return dueAt(period, f, rule) + rule.graceDays * DAY;
}

/**
 * Whether a period has a release of its own. NBS publishes many monthly figures for January and
 * February together, in mid-March:
 *
 * | janFebCombined | January      | February                                                   |
 * |----------------|--------------|------------------------------------------------------------|
 * | false          | expected     | expected                                                   |
 * | true           | not expected | expected: its figure carries January-February (year to date) |
 * | 'both'         | not expected | not expected: the combined figure is neither month's own   |
 *
 * 'both' fits monthly growth rates (industrial value added), whose January-February figure the
 * data portal files under neither month. A value on record still shows: this only says that
 * nothing is owed for the month on its own.
 */
/**
 * Whether a daily period of a business-day series lies outside the years its holiday file covers:
 * such a day may be a holiday nobody has listed yet, so it is not judged (unknown, never missing).
 */
export function outsideHolidayFile(period: Period, f: Frequency, rule: ReleaseRule): boolean {
  const covers = f === 'daily' ? rule.businessDays?.covers : null;
  return !!covers && (period < covers.from || period > covers.to);
}

export function isExpected(period: Period, f: Frequency, rule: ReleaseRule): boolean {
  if (f === 'daily' && rule.businessDays) return !isClosedDay(parseDay(period), rule.businessDays);
  if (!rule.janFebCombined || f !== 'monthly') return true;
  const month = periodMonth(period, f);
  return !(month === 1 || (month === 2 && rule.janFebCombined === 'both'));
}

// The holidays of one calendar as a set, made once per list (the rule is read per grid cell).
const holidaySets = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * Whether a calendar day (epoch ms at 00:00 UTC) is closed under a business-day calendar:
 *
 * | the day                          | closed? |
 * |----------------------------------|---------|
 * | Saturday or Sunday               | yes     |
 * | listed in the holiday file       | yes     |
 * | any other day                    | no      |
 *
 * A make-up working weekend (China's 调休) stays closed: exchanges do not trade on it and
 * lacuna owes no figure for it.
 */
export function isClosedDay(dayMs: number, b: BusinessDays): boolean {
  const dow = new Date(dayMs).getUTCDay();
  if (dow === 0 || dow === 6) return true;
  let set = holidaySets.get(b.holidays);
  if (!set) holidaySets.set(b.holidays, (set = new Set(b.holidays)));
  return set.has(formatDay(dayMs));
}

function isFoldedJanuary(period: Period, f: Frequency, rule: ReleaseRule): boolean {
  return rule.janFebCombined !== false && f === 'monthly' && periodMonth(period, f) === 1;
}
