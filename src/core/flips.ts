// A flip is a change of series status, stored as a row; alerting decides later which flips to send.
import { isResumption } from './alert-rules.js';
import type { PeriodState, SeriesEvaluation, SeriesStatus } from './types.js';

export interface Flip {
  from: SeriesStatus;
  to: SeriesStatus;
  reason: string;
  /** True when a series comes back after a gap: the alert says "resumed". */
  resumed: boolean;
  /** The period where a method break starts, when the comeback carries one. */
  breakAt: string | null;
  /** The new status is late or overdue against a date the publisher promised (named in the reason). */
  brokenPromise: boolean;
}

export function detectFlip(previous: SeriesStatus | null, next: SeriesEvaluation): Flip | null {
  const from = previous ?? 'new';
  if (from === next.status) return null;
  // late -> current is a release within grace, not a comeback.
  const resumed = isResumption(from, next.status);
  return {
    from, to: next.status, reason: next.reason, resumed, breakAt: resumed ? comebackBreak(next) : null, brokenPromise: !!next.brokenPromise,
  };
}

const GAP_CELL_STATES: ReadonlySet<PeriodState> = new Set(['late', 'missing', 'suspended', 'cancelled', 'discontinued', 'access_cut', 'withdrawn']);

/** The latest break among the values disclosed since the last gap; an older break is not the comeback's. */
function comebackBreak(next: SeriesEvaluation): string | null {
  for (let i = next.grid.length - 1; i >= 0; i--) {
    const c = next.grid[i]!;
    if (GAP_CELL_STATES.has(c.state)) return null;
    if (c.state === 'disclosed' && c.marks.break) return c.period;
  }
  return null;
}
