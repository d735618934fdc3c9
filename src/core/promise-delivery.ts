// Promise against delivery, period by period: what the publisher promised (its first date, and the
// latest if moved), what it delivered and when, and the days between. Pure: the promise versions,
// the grid and the delivery instants in; one row per promised period out, newest first.
//
// | the period                                   | days late                                   |
// |----------------------------------------------|---------------------------------------------|
// | delivered (lacuna saw it, or a source dates it) | whole days from the first promise to delivery, 0 if on or before it |
// | delivered, bundled (no delivery date known)  | none: lacuna cannot say when it came         |
// | not delivered, the first promise passed      | whole days from the first promise to now     |
// | not delivered, not yet promised-due          | none                                        |
// | cancelled                                    | none: it will never come                    |
import type { Period, PeriodCell, PeriodState, PromiseFact, PromiseState } from './types.js';

const DAY = 86_400_000;

export interface PromiseDeliveryRow {
  period: Period;
  /** The calendar of the latest version. */
  source: string;
  state: PromiseState;
  /** The first date promised (instant and as written), and the latest. */
  firstAt: number | null;
  firstWritten: string | null;
  latestAt: number | null;
  latestWritten: string | null;
  moved: boolean;
  /** When the figure became public (its release date where a source gives one, else when lacuna first saw it); null when not known. */
  deliveredAt: number | null;
  /** The period's state in the grid (null when the grid does not reach it). */
  periodState: PeriodState | null;
  daysLate: number | null;
  /** The publisher's stated reason or change note, of the latest version that gives one. */
  reason: string | null;
}

/**
 * The rows for the promised periods known at `now`, newest period first, at most `limit`.
 * `delivered` gives each delivered period's public instant, when known.
 */
export function promiseDelivery(
  promises: readonly PromiseFact[], grid: readonly PeriodCell[], delivered: ReadonlyMap<Period, number>, now: number, limit = Infinity,
): PromiseDeliveryRow[] {
  const byPeriod = new Map<Period, PromiseFact[]>();
  for (const p of [...promises].filter((x) => x.seenAt <= now).sort((a, b) => a.seenAt - b.seenAt)) {
    byPeriod.set(p.period, [...(byPeriod.get(p.period) ?? []), p]);
  }
  const cells = new Map(grid.map((c) => [c.period, c]));
  const rows = [...byPeriod].map(([period, versions]): PromiseDeliveryRow => {
    const dated = versions.filter((v) => v.dueAt !== null);
    const first = dated[0] ?? null;
    const latest = dated.at(-1) ?? null;
    const last = versions.at(-1)!;
    const cell = cells.get(period) ?? null;
    const at = cell?.state === 'disclosed' ? delivered.get(period) ?? null : null;
    let daysLate: number | null = null;
    if (first && last.state !== 'cancelled' && cell?.state !== 'cancelled') {
      if (at !== null) daysLate = Math.max(0, Math.floor((at - first.dueAt!) / DAY));
      else if (cell?.state !== 'disclosed' && first.dueAt! <= now) daysLate = Math.floor((now - first.dueAt!) / DAY);
    }
    return {
      period, source: last.source, state: last.state,
      firstAt: first?.dueAt ?? null, firstWritten: first?.written ?? null, latestAt: latest?.dueAt ?? null, latestWritten: last.written ?? latest?.written ?? null,
      moved: !!first && !!latest && first.dueAt !== latest.dueAt,
      deliveredAt: at, periodState: cell?.state ?? null, daysLate,
      reason: [...versions].reverse().find((v) => v.reason)?.reason ?? null,
    };
  });
  return rows.sort((a, b) => (a.period < b.period ? 1 : a.period > b.period ? -1 : 0)).slice(0, limit);
}
