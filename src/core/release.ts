// When each period is due: a lag after the period's last day in the publisher's time zone,
// explicit calendar dates that override it, a grace, and January folded into January-February.
import { parseDay, periodLastDay, periodMonth } from './period.js';
import { localToUtc } from './zoned-time.js';
import type { Frequency, Period, ReleaseRule } from './types.js';

const DAY = 86_400_000;

export const DEFAULT_RULE: ReleaseRule = {
  lagDays: 30,
  time: '00:00',
  timeZone: 'UTC',
  graceDays: 7,
  janFebCombined: false,
  calendar: {},
};

/** The instant a period's figure is expected (UTC epoch ms). */
export function dueAt(period: Period, f: Frequency, rule: ReleaseRule): number {
  const fixed = rule.calendar[period];
  if (fixed) {
    const [date, time] = fixed.split('T');
    return localToUtc(parseDay(date!), time ?? rule.time, rule.timeZone);
  }
  return localToUtc(periodLastDay(period, f) + rule.lagDays * DAY, rule.time, rule.timeZone);
}

export function graceEndsAt(period: Period, f: Frequency, rule: ReleaseRule): number {
  return dueAt(period, f, rule) + rule.graceDays * DAY;
}

/** A period that has no release of its own: NBS folds January into the January-February release. */
export function isExpected(period: Period, f: Frequency, rule: ReleaseRule): boolean {
  return !(rule.janFebCombined && f === 'monthly' && periodMonth(period, f) === 1);
}
