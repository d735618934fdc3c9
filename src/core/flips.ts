// A flip is a change of series status, stored as a row; alerting decides later which flips to send.
import type { SeriesEvaluation, SeriesStatus } from './types.js';

export interface Flip {
  from: SeriesStatus;
  to: SeriesStatus;
  reason: string;
  /** True when a series comes back after a gap: the alert says "resumed". */
  resumed: boolean;
  /** The period where a method break starts, when the comeback carries one. */
  breakAt: string | null;
}

const GAP_STATUSES: ReadonlySet<SeriesStatus> = new Set(['late', 'overdue', 'suspended', 'discontinued']);

export function detectFlip(previous: SeriesStatus | null, next: SeriesEvaluation): Flip | null {
  const from = previous ?? 'new';
  if (from === next.status) return null;
  const resumed = next.status === 'current' && GAP_STATUSES.has(from);
  const breakCell = resumed ? next.grid.findLast((c) => c.marks.break && c.state === 'disclosed') : undefined;
  return { from, to: next.status, reason: next.reason, resumed, breakAt: breakCell?.period ?? null };
}
