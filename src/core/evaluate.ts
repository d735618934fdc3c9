// The period-state grid and the series status: a pure function of the facts, the rules and now.
//
// A period's due instant is its publisher's promise where one is known (src/core/promises.ts: the
// first date promised, or an earlier one; the grace runs from the latest date), else the lag rule.
//
// Period state, for each expected period p (first matching row wins):
//   value on record for p ..................................... disclosed (withdrawn if removed)
//   no release of its own (combined January-February) ......... not_expected
//   a known announcement covers p (suspension, cancellation,
//     drop, cut) ............................................... the event's state, even before p is due
//   due after now ............................................. not_due
//   a known event covers p (a delay) .......................... late (with a promise: until the
//                                                                 latest promised date's grace ends,
//                                                                 then as the rows below)
//   a later "resumed" event covers p, with no value on record .. unknown (released, not recorded)
//   p before the complete record starts ....................... unknown
//   due after lacuna's last successful check .................. unknown (never "missing" for our own blindness)
//   past due, within grace (at the last check) ................ late
//   past grace ................................................ missing
import { dueAt, isExpected, outsideHolidayFile } from './release.js';
import { comparePeriods, formatDay, nextPeriod, parseDay, periodLabel, periodOf, periodRange, periodStart } from './period.js';
import { localDateTime, localDay, localToUtc } from './zoned-time.js';
import { promiseChangesAfter, promisesAt, type PeriodPromise } from './promises.js';
import { gridStatus } from './series-status.js';
import type {
  BrokenPromise, EventFact, EventKind, ObservationFact, PeriodCell, PeriodState, SeriesEvaluation, SeriesFacts, SeriesStatus,
} from './types.js';

const DAY = 86_400_000;

const STATE_OF_EVENT: Partial<Record<EventKind, PeriodState>> = {
  suspension_announced: 'suspended',
  // Announced never to be published: it cannot exist, so it is never late or missing.
  cancelled: 'cancelled',
  discontinued: 'discontinued',
  replaced: 'discontinued',
  line_dropped: 'discontinued',
  access_cut: 'access_cut',
  delayed: 'late',
  // Released again, but lacuna holds no value for it: no record, rather than late or missing.
  resumed: 'unknown',
};

/** Events that settle a period before its due date: an announced suspension is news on the day. */
const ANNOUNCED_AHEAD: ReadonlySet<EventKind> = new Set(['suspension_announced', 'cancelled', 'discontinued', 'replaced', 'line_dropped', 'access_cut']);

// A comeback on a new method is written as a method_change event; "resumed" alone says only that
// releases came back, so it is not a break.
const BREAK_KINDS: ReadonlySet<EventKind> = new Set(['method_change']);

/** An event counts from the start of its date in the publisher's zone (its date is a local date). */
function eventKnownAt(e: EventFact, now: number, timeZone: string): boolean {
  return Date.parse(`${e.date}T00:00:00Z`) <= localDay(now, timeZone);
}

function covers(e: EventFact, p: string, facts: SeriesFacts): boolean {
  if (!e.from || comparePeriods(p, e.from, facts.frequency) < 0) return false;
  return !e.to || comparePeriods(p, e.to, facts.frequency) <= 0;
}

/** The last period of the grid: the one in progress at `now`, so the next release shows as not due. */
function gridEnd(facts: SeriesFacts, now: number): string {
  const current = periodOf(localDay(now, facts.release.timeZone), facts.frequency);
  // Only observations known at `now` may stretch the grid (as-of view).
  const lastObserved = facts.observations.filter((o) => o.knownAt <= now).reduce<string | null>(
    (max, o) => (max === null || comparePeriods(o.period, max, facts.frequency) > 0 ? o.period : max), null);
  return lastObserved && comparePeriods(lastObserved, current, facts.frequency) > 0 ? lastObserved : current;
}

export function buildGrid(facts: SeriesFacts, now: number): PeriodCell[] {
  return gridWith(facts, now, promisesAt(facts.promises, now));
}

function gridWith(facts: SeriesFacts, now: number, promises: ReadonlyMap<string, PeriodPromise>): PeriodCell[] {
  const f = facts.frequency;
  const rule = facts.release;
  const byPeriod = new Map<string, ObservationFact>();
  for (const o of facts.observations) if (o.knownAt <= now) byPeriod.set(o.period, o);
  // Later events override earlier ones over the periods they share.
  const events = facts.events.filter((e) => eventKnownAt(e, now, rule.timeZone)).sort((a, b) => a.date.localeCompare(b.date));
  const coveringEvents = events.filter((e) => STATE_OF_EVENT[e.kind]);
  const breaks = new Set(events.filter((e) => BREAK_KINDS.has(e.kind) && e.from).map((e) => e.from!));
  const judgedUntil = facts.checkedAt === null ? -Infinity : Math.min(now, facts.checkedAt);
  const recordStart = periodStart(facts.recordFrom, f);

  const end = gridEnd(facts, now);
  if (comparePeriods(end, facts.gridFrom, f) < 0) return [];
  return periodRange(facts.gridFrom, end, f).map((period): PeriodCell => {
    const promise = promises.get(period);
    const due = promise ? promise.dueAt : dueAt(period, f, rule);
    // graceEndsAt, without computing the due date twice; from the latest date promised, if any.
    const graceEnd = (promise ? promise.latestAt : due) + rule.graceDays * DAY;
    const obs = byPeriod.get(period);
    const cell: PeriodCell = {
      period, state: 'unknown', dueAt: due, graceEndsAt: graceEnd,
      value: null, valueText: null, firstSeenAt: null, obsStatus: null,
      marks: { break: breaks.has(period), revised: false, backfilled: false },
      eventId: null,
    };
    const event = coveringEvents.findLast((e) => covers(e, period, facts));
    if (obs) {
      cell.value = obs.value;
      cell.valueText = obs.valueText;
      cell.firstSeenAt = obs.firstSeenAt;
      cell.obsStatus = obs.obsStatus ?? null;
      cell.marks.revised = obs.revised;
      cell.marks.backfilled = obs.knownAt > graceEnd;
      cell.state = obs.withdrawn ? 'withdrawn' : 'disclosed';
      if (event && cell.marks.backfilled) cell.eventId = event.id;
      return cell;
    }
    if (!isExpected(period, f, rule)) cell.state = 'not_expected';
    else if (due > now && !(event && ANNOUNCED_AHEAD.has(event.kind))) cell.state = 'not_due';
    else if (event && !(promise && event.kind === 'delayed' && now >= graceEnd)) {
      cell.state = STATE_OF_EVENT[event.kind]!;
      cell.eventId = event.id;
    } else {
      // A delay with a promise is the publisher's word only until the latest date promised has passed.
      if (event) cell.eventId = event.id;
      if (periodStart(period, f) < recordStart || due > judgedUntil || outsideHolidayFile(period, f, rule)) cell.state = 'unknown';
      else cell.state = judgedUntil < graceEnd ? 'late' : 'missing';
    }
    return cell;
  });
}

/** Evaluates a series: its grid, status (like a dead-man's switch), reason and next check. */
export function evaluateSeries(facts: SeriesFacts, now: number, label = 'series'): SeriesEvaluation {
  const promises = promisesAt(facts.promises, now);
  const grid = gridWith(facts, now, promises);
  const f = facts.frequency;
  let lastDisclosed: string | null = null;
  for (const c of grid) if (c.state === 'disclosed') lastDisclosed = c.period;

  // The latest judged period decides the status (src/core/series-status.ts).
  const { status: gridStatusNow, latest, judged } = gridStatus(grid, now);
  const status: SeriesStatus = facts.paused ? 'paused' : gridStatusNow;

  let darkSince: SeriesEvaluation['darkSince'] = null;
  let owed = false;
  if (latest && latest.state !== 'disclosed') {
    let i = judged.length - 1;
    while (i > 0 && judged[i - 1]!.state !== 'disclosed') i--;
    darkSince = { period: judged[i]!.period, dueAt: judged[i]!.dueAt };
    owed = judged.slice(i).some((c) => c.state !== 'cancelled');
  }
  const daysOverdue = overdueDays(status, darkSince, owed, now);

  const upcoming = grid.flatMap((c) => {
    if (c.state === 'not_due') return [c.dueAt];
    // A late cell changes at its grace end, unless an event holds it late (a delay with no promised date).
    if (c.state === 'late' && (!c.eventId || promises.has(c.period)) && c.graceEndsAt > now) return [c.graceEndsAt];
    return [];
  });
  let nextCheckAt = upcoming.length ? Math.min(...upcoming) : null;
  if (nextCheckAt === null && grid.length) {
    // The grid ends at the current period; the next one's release is the next moment of interest.
    nextCheckAt = dueAt(nextPeriod(grid.at(-1)!.period, f), f, facts.release);
  }

  const stableUntil = nextChangeAt(facts, now, nextCheckAt);

  const afterLatest = latest ? grid.slice(grid.indexOf(latest) + 1) : grid;
  const uncheckedFrom = afterLatest.find((c) => c.state === 'unknown' && c.dueAt <= now)?.period ?? null;
  const brokenPromise = promiseBroken(status, latest, darkSince, promises);
  let reason = explain(status, latest, darkSince, facts, label, brokenPromise && promises.get(brokenPromise.period)!);
  if (uncheckedFrom && latest && status !== 'paused' && status !== 'unchecked') reason += `; not checked from ${periodLabel(uncheckedFrom, f)} on`;

  return { grid, status, lastDisclosed, darkSince, daysOverdue, nextCheckAt, stableUntil, uncheckedFrom, reason, owed, brokenPromise };
}

/**
 * The promise the status stands on, when it is a promise broken: for a late series, the latest
 * period's; for an overdue one, the first period of its dark run's (the date its days overdue
 * count from), else the latest's.
 */
function promiseBroken(
  status: SeriesStatus, latest: PeriodCell | undefined, darkSince: SeriesEvaluation['darkSince'], promises: ReadonlyMap<string, PeriodPromise>,
): BrokenPromise | null {
  if (!latest || (latest.state !== 'late' && latest.state !== 'missing' && latest.state !== 'withdrawn')) return null;
  const p = status === 'overdue' ? promises.get(darkSince?.period ?? latest.period) ?? promises.get(latest.period) : promises.get(latest.period);
  return p ? { period: p.period, dueAt: p.dueAt, source: p.source } : null;
}

/**
 * Days overdue: none for a discontinued series (nothing more is expected from it), nor for a dark
 * run made only of cancelled periods (the publisher said they will never exist: nothing is owed).
 */
export function overdueDays(status: SeriesStatus, darkSince: SeriesEvaluation['darkSince'], owed: boolean, now: number): number | null {
  return status === 'discontinued' || !owed ? null : daysOverdueAt(darkSince, now);
}

/** Whole days since the first dark period was due (0 on the due day). */
export function daysOverdueAt(darkSince: SeriesEvaluation['darkSince'], now: number): number | null {
  return darkSince ? Math.max(0, Math.floor((now - darkSince.dueAt) / DAY)) : null;
}

/**
 * The first instant after `now` at which the evaluation could differ with no new facts: a due
 * date or grace end (nextCheckAt), the start of the next period (the grid grows a cell), or an
 * event or value dated later than now becoming known. Until then a stored evaluation is exact.
 */
function nextChangeAt(facts: SeriesFacts, now: number, nextCheckAt: number | null): number {
  const tz = facts.release.timeZone;
  const f = facts.frequency;
  let t = localToUtc(periodStart(nextPeriod(periodOf(localDay(now, tz), f), f), f), '00:00', tz);
  if (nextCheckAt !== null && nextCheckAt < t) t = nextCheckAt;
  for (const e of facts.events) {
    if (eventKnownAt(e, now, tz)) continue;
    const known = localToUtc(parseDay(e.date), '00:00', tz);
    if (known < t) t = known;
  }
  for (const o of facts.observations) if (o.knownAt > now && o.knownAt < t) t = o.knownAt;
  for (const seen of promiseChangesAfter(facts.promises, now)) if (seen < t) t = seen;
  return t;
}

function explain(
  status: SeriesStatus, latest: PeriodCell | undefined, darkSince: SeriesEvaluation['darkSince'],
  facts: SeriesFacts, label: string, promise: PeriodPromise | null,
): string {
  const f = facts.frequency;
  if (status === 'paused') return `${label}: paused by a user`;
  if (!latest) return `${label}: no value or event on record`;
  const p = periodLabel(latest.period, f);
  if (status === 'current') return `${label}: ${p} disclosed`;
  if (status === 'unchecked') return `${label}: last disclosed ${p}; no record since, and not checked with the publisher`;
  const first = darkSince ? periodLabel(darkSince.period, f) : p;
  const due = formatDay(darkSince?.dueAt ?? latest.dueAt);
  const event = facts.events.find((e) => e.id === latest.eventId);
  const because = event ? `; ${event.title} (${event.date})` : '';
  if (latest.state === 'cancelled') return `${label}: ${p} cancelled by the publisher${because}`;
  // The publisher's own date, named with its calendar: the promise is the evidence.
  const promised = promise && `promised for ${localDateTime(promise.latestAt, facts.release.timeZone)} (${promise.source})`;
  switch (status) {
    case 'late':
      // An announced or reported delay keeps a period late past its grace: say so, not "within
      // grace"; with a promise, the grace runs from the latest date promised.
      return `${label}: ${p} ${promised ?? `due ${formatDay(latest.dueAt)}`}, not yet published (${event && !promised ? 'delayed' : 'within grace'})${because}`;
    case 'overdue':
      return `${label}: ${first} ${promised ?? `due by ${due}`}, not published${because}`;
    default:
      return `${label}: ${status} since ${first} (due ${due})${because}`;
  }
}
