// A publisher's promises (its advance release calendar) as the core reads them: for each period,
// the dates promised as known at `now`, from the versions lacuna saw. Pure.
//
// The due date of a promised period is the publisher's own word, not lacuna's lag rule; lateness is
// measured against the first promise, so a publisher cannot make a late release punctual by moving
// its date (a date moved later is a `delayed` event, src/core/calendar-changes.ts):
//
// | versions known at now                    | due                  | grace ends                  |
// |------------------------------------------|----------------------|-----------------------------|
// | none                                     | the lag rule         | due + grace (the rule's)    |
// | one date D                               | D                    | D + grace                   |
// | first date F, latest date L > F (moved)  | F                    | L + grace                   |
// | first date F, latest date L < F (earlier)| L                    | L + grace                   |
// | latest version cancelled or removed      | as for its last date | as for its last date        |
import type { Period, PromiseFact, PromiseState } from './types.js';

export interface PeriodPromise {
  period: Period;
  /** The first date promised (UTC ms). */
  firstAt: number;
  /** The latest date promised (UTC ms). */
  latestAt: number;
  /** The period's due instant: the earlier of the two. */
  dueAt: number;
  /** The latest version's state. */
  state: PromiseState;
  /** The calendar that made the latest version. */
  source: string;
}

/** Each period's promise as known at `now` (versions first seen after it do not count yet). */
export function promisesAt(promises: readonly PromiseFact[] | undefined, now: number): Map<Period, PeriodPromise> {
  const out = new Map<Period, PeriodPromise>();
  if (!promises?.length) return out;
  const known = promises.filter((p) => p.seenAt <= now).sort((a, b) => a.seenAt - b.seenAt);
  for (const p of known) {
    const had = out.get(p.period);
    if (p.dueAt === null) {
      if (had) out.set(p.period, { ...had, state: p.state, source: p.source });
      continue;
    }
    const firstAt = had?.firstAt ?? p.dueAt;
    out.set(p.period, { period: p.period, firstAt, latestAt: p.dueAt, dueAt: Math.min(firstAt, p.dueAt), state: p.state, source: p.source });
  }
  return out;
}

/** The instants after `now` at which a promise version becomes known (the evaluation changes then). */
export function promiseChangesAfter(promises: readonly PromiseFact[] | undefined, now: number): number[] {
  return (promises ?? []).flatMap((p) => (p.seenAt > now ? [p.seenAt] : []));
}
