// When to read a series' source next: more often around its expected release, rarely otherwise,
// and backing off after failures. Pure: the evaluation, the rule and now are passed in.
import { dueAt } from './release.js';
import { nextPeriod } from './period.js';
import type { Frequency, ReleaseRule, SeriesEvaluation } from './types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * | where the next expected period stands           | poll                         |
 * |-------------------------------------------------|------------------------------|
 * | more than a day before it is due                | every day (6 h for daily)    |
 * | from a day before due to the end of grace       | every hour                   |
 * | past grace (late, missing, suspended...)        | every day, to see it resume  |
 * | the last fetch failed (n times in a row)        | 15 min x 2^(n-1), at most 6 h|
 */
export function nextPollAt(ev: SeriesEvaluation, f: Frequency, rule: ReleaseRule, now: number, failures = 0): number {
  if (failures > 0) return retryAt(now, failures);
  const slow = f === 'daily' ? 6 * HOUR : DAY;
  const target = nextWanted(ev);
  const due = target ? target.dueAt : ev.grid.length ? dueAt(nextPeriod(ev.grid.at(-1)!.period, f), f, rule) : now + slow;
  const graceEnd = target ? target.graceEndsAt : due + rule.graceDays * DAY;
  let at: number;
  if (now < due - DAY) at = Math.min(now + slow, due - DAY);
  else if (now <= graceEnd) at = now + HOUR;
  else at = now + slow;
  return Math.max(at, now + 5 * MINUTE);
}

/** How often a release calendar is read: calendars change rarely, but a move must be seen before the date. */
export const CALENDAR_EVERY = 6 * HOUR;

/**
 * When to read a series' release calendar next:
 *
 * | its reads so far                          | next read                               |
 * |-------------------------------------------|-----------------------------------------|
 * | none                                      | now                                     |
 * | the last answered (ok or no change)       | 6 hours after it finished               |
 * | the last n failed in a row                | as a failed fetch: 15 min x 2^(n-1), at most 6 h, after the last |
 */
export function nextCalendarReadAt(lastFinishedAt: number | null, failures: number): number {
  if (lastFinishedAt === null) return -Infinity;
  return failures > 0 ? retryAt(lastFinishedAt, failures) : lastFinishedAt + CALENDAR_EVERY;
}

/** When to read again after `failures` failed fetches in a row (at least one). */
export function retryAt(now: number, failures: number): number {
  return now + Math.min(6 * HOUR, 15 * MINUTE * 2 ** (Math.max(1, failures) - 1));
}

/** The first period after the last disclosed one that lacuna still waits for (a cancelled one is owed nothing). */
function nextWanted(ev: SeriesEvaluation) {
  const last = ev.lastDisclosed ? ev.grid.findIndex((c) => c.period === ev.lastDisclosed) : -1;
  return ev.grid.slice(last + 1).find((c) => c.state !== 'disclosed' && c.state !== 'not_expected' && c.state !== 'cancelled') ?? null;
}

/**
 * When to evaluate a series again after its evaluation failed `failures` times in a row: 5 minutes,
 * doubling each time, at most a day. The status check runs every 5 minutes, so a series that cannot
 * be evaluated costs one attempt, not one per run.
 */
export function retryCheckAt(now: number, failures: number): number {
  return now + Math.min(DAY, 5 * MINUTE * 2 ** Math.max(0, failures - 1));
}
