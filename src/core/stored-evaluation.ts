// A series evaluation as the store keeps it between status checks, so the board, the API and the
// CSVs read it instead of evaluating every grid on every request. Compact and column by column
// (GridColumns): the periods follow from the first one, states are one-letter codes, marks digits
// (1 break, 2 revised, 4 backfilled). Everything that depends on the clock alone (daysOverdue) is
// recomputed when read; the rest holds until the evaluation's stableUntil.
import { overdueDays } from './evaluate.js';
import { nextPeriod } from './period.js';
import { PERIOD_STATES, type Frequency, type PeriodCell, type PeriodState, type SeriesEvaluation } from './types.js';

const FORMAT = 5;

/**
 * Each state's code in a stored grid. Explicit, so that adding or reordering states never changes
 * what a stored letter means; a new state takes a new letter.
 */
export const STATE_CODES: Readonly<Record<PeriodState, string>> = {
  disclosed: 'd', not_due: 'n', late: 'l', missing: 'm', suspended: 's', discontinued: 'x',
  access_cut: 'c', not_expected: 'k', withdrawn: 'w', unknown: 'u',
  // v for void: announced never to exist.
  cancelled: 'v',
};
const STATE_OF_CODE: readonly (PeriodState | undefined)[] = (() => {
  const table: (PeriodState | undefined)[] = [];
  for (const s of PERIOD_STATES) table[STATE_CODES[s].charCodeAt(0)] = s;
  return table;
})();

/** The state of a cell of GridColumns. */
export const stateAt = (g: GridColumns, i: number): PeriodState => {
  const s = STATE_OF_CODE[g.states.charCodeAt(i)];
  if (!s) throw new RangeError(`unknown state code ${JSON.stringify(g.states[i])} in a stored grid`);
  return s;
};
/** The marks of a cell of GridColumns: 1 break, 2 revised, 4 backfilled. */
export const marksAt = (g: GridColumns, i: number): number => g.marks.charCodeAt(i) - 48;

/** A grid column by column: parsing arrays of numbers is far cheaper than arrays of objects. */
export interface GridColumns {
  frequency: Frequency;
  /** The first period (null for an empty grid); the others follow it. */
  from: string | null;
  /** One code per cell (STATE_CODES, read with stateAt). */
  states: string;
  dueAt: number[];
  /** graceEndsAt - dueAt when it is the same for every cell, else every graceEndsAt. */
  grace: number | number[];
  value: (number | null)[];
  valueText: (string | null)[];
  firstSeenAt: (number | null)[];
  /** One digit per cell (marksAt). */
  marks: string;
  /** Event ids by cell index, for the cells that have one. */
  eventIds: Record<number, string>;
  /** The publisher's observation status by cell index, for the cells that have one. */
  obsStatus: Record<number, string>;
}

interface Stored extends GridColumns {
  format: number;
  status: SeriesEvaluation['status'];
  reason: string;
  lastDisclosed: string | null;
  darkSince: SeriesEvaluation['darkSince'];
  nextCheckAt: number | null;
  stableUntil: number;
  uncheckedFrom: string | null;
  owed: boolean;
  brokenPromise: SeriesEvaluation['brokenPromise'];
}

export function gridColumns(grid: readonly PeriodCell[], frequency: Frequency): GridColumns {
  const graces = grid.map((c) => c.graceEndsAt - c.dueAt);
  const eventIds: Record<number, string> = {};
  const obsStatus: Record<number, string> = {};
  let states = '';
  let marks = '';
  grid.forEach((c, i) => {
    states += STATE_CODES[c.state];
    marks += (c.marks.break ? 1 : 0) | (c.marks.revised ? 2 : 0) | (c.marks.backfilled ? 4 : 0);
    if (c.eventId !== null) eventIds[i] = c.eventId;
    if (c.obsStatus !== null) obsStatus[i] = c.obsStatus;
  });
  return {
    frequency, from: grid[0]?.period ?? null, states, dueAt: grid.map((c) => c.dueAt),
    grace: graces.every((x) => x === graces[0]) ? (graces[0] ?? 0) : grid.map((c) => c.graceEndsAt),
    value: grid.map((c) => c.value), valueText: grid.map((c) => c.valueText), firstSeenAt: grid.map((c) => c.firstSeenAt),
    marks, eventIds, obsStatus,
  };
}

/** Calls `each` with every period of the columns and its index, from `first` on. */
export function forEachPeriod(g: GridColumns, each: (period: string, i: number) => void, first = 0): void {
  let period = g.from;
  for (let i = 0; i < g.states.length; i++) {
    if (i) period = nextPeriod(period!, g.frequency);
    if (i >= first) each(period!, i);
  }
}

export function encodeEvaluation(ev: SeriesEvaluation, frequency: Frequency, columns = gridColumns(ev.grid, frequency)): string {
  const stored: Stored = {
    format: FORMAT, status: ev.status, reason: ev.reason, lastDisclosed: ev.lastDisclosed, darkSince: ev.darkSince,
    nextCheckAt: ev.nextCheckAt, stableUntil: ev.stableUntil, uncheckedFrom: ev.uncheckedFrom, owed: ev.owed ?? true,
    brokenPromise: ev.brokenPromise ?? null,
    ...columns,
  };
  return JSON.stringify(stored);
}

/** The grid of a stored evaluation, column by column (the CSV export), or null for an unknown format. */
export function decodeColumns(text: string): GridColumns | null {
  const s = JSON.parse(text) as Stored;
  return s.format === FORMAT ? s : null;
}

/**
 * The evaluation as it stands at `now` (which must lie before its stableUntil), or null for an
 * unknown format. With `tail`, the grid holds only its last `tail` cells (the board's sparklines).
 */
export function decodeEvaluation(text: string, now: number, tail?: number): SeriesEvaluation | null {
  const s = JSON.parse(text) as Stored;
  if (s.format !== FORMAT) return null;
  const grid = gridOfColumns(s, tail === undefined ? 0 : Math.max(0, s.states.length - tail));
  return {
    grid, status: s.status, reason: s.reason, lastDisclosed: s.lastDisclosed, darkSince: s.darkSince,
    daysOverdue: overdueDays(s.status, s.darkSince, s.owed, now), nextCheckAt: s.nextCheckAt, stableUntil: s.stableUntil,
    uncheckedFrom: s.uncheckedFrom, owed: s.owed, brokenPromise: s.brokenPromise,
  };
}

/** The cells of grid columns, from index `first` on. */
export function gridOfColumns(s: GridColumns, first = 0): PeriodCell[] {
  const grid: PeriodCell[] = [];
  forEachPeriod(s, (period, i) => {
    const m = marksAt(s, i);
    const due = s.dueAt[i]!;
    grid.push({
      period, state: stateAt(s, i), dueAt: due, graceEndsAt: typeof s.grace === 'number' ? due + s.grace : s.grace[i]!,
      value: s.value[i]!, valueText: s.valueText[i]!, firstSeenAt: s.firstSeenAt[i]!, obsStatus: s.obsStatus[i] ?? null,
      marks: { break: (m & 1) !== 0, revised: (m & 2) !== 0, backfilled: (m & 4) !== 0 },
      eventId: s.eventIds[i] ?? null,
    });
  }, first);
  return grid;
}
