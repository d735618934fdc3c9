// A series evaluation as the store keeps it between status checks, so the board, the API and the
// CSVs read it instead of evaluating every grid on every request. Compact: a cell is an array
// [period, state, dueAt, graceEndsAt, value, valueText, firstSeenAt, marks, eventId], the state an
// index into PERIOD_STATES and the marks bits (1 break, 2 revised, 4 backfilled). Everything that
// depends on the clock alone (daysOverdue) is recomputed when read; the rest holds until the
// evaluation's stableUntil.
import { daysOverdueAt } from './evaluate.js';
import { PERIOD_STATES, type PeriodCell, type PeriodState, type SeriesEvaluation } from './types.js';

const FORMAT = 1;

const STATE_INDEX = new Map<PeriodState, number>(PERIOD_STATES.map((s, i) => [s, i]));

type StoredCell = [string, number, number, number, number | null, string | null, number | null, number, string | null];

interface Stored {
  format: number;
  status: SeriesEvaluation['status'];
  reason: string;
  lastDisclosed: string | null;
  darkSince: SeriesEvaluation['darkSince'];
  nextCheckAt: number | null;
  stableUntil: number;
  uncheckedFrom: string | null;
  cells: StoredCell[];
}

export function encodeEvaluation(ev: SeriesEvaluation): string {
  const cells = ev.grid.map((c): StoredCell => [
    c.period, STATE_INDEX.get(c.state)!, c.dueAt, c.graceEndsAt, c.value, c.valueText, c.firstSeenAt,
    (c.marks.break ? 1 : 0) | (c.marks.revised ? 2 : 0) | (c.marks.backfilled ? 4 : 0), c.eventId,
  ]);
  const stored: Stored = {
    format: FORMAT, status: ev.status, reason: ev.reason, lastDisclosed: ev.lastDisclosed, darkSince: ev.darkSince,
    nextCheckAt: ev.nextCheckAt, stableUntil: ev.stableUntil, uncheckedFrom: ev.uncheckedFrom, cells,
  };
  return JSON.stringify(stored);
}

/** The evaluation as it stands at `now` (which must lie before its stableUntil), or null for an unknown format. */
export function decodeEvaluation(text: string, now: number): SeriesEvaluation | null {
  const s = JSON.parse(text) as Stored;
  if (s.format !== FORMAT) return null;
  const grid = new Array<PeriodCell>(s.cells.length);
  for (let i = 0; i < s.cells.length; i++) {
    const c = s.cells[i]!;
    grid[i] = {
      period: c[0], state: PERIOD_STATES[c[1]]!, dueAt: c[2], graceEndsAt: c[3], value: c[4], valueText: c[5],
      firstSeenAt: c[6], marks: { break: (c[7] & 1) !== 0, revised: (c[7] & 2) !== 0, backfilled: (c[7] & 4) !== 0 },
      eventId: c[8],
    };
  }
  return {
    grid, status: s.status, reason: s.reason, lastDisclosed: s.lastDisclosed, darkSince: s.darkSince,
    daysOverdue: daysOverdueAt(s.darkSince, now), nextCheckAt: s.nextCheckAt, stableUntil: s.stableUntil,
    uncheckedFrom: s.uncheckedFrom,
  };
}
