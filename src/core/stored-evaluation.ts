// A series evaluation as the store keeps it between status checks, so the board, the API and the
// CSVs read it instead of evaluating every grid on every request. Compact and column by column:
// the periods follow from the first one, states are letters, marks digits (1 break, 2 revised,
// 4 backfilled). Everything that depends on the clock alone (daysOverdue) is recomputed when
// read; the rest holds until the evaluation's stableUntil.
import { daysOverdueAt } from './evaluate.js';
import { nextPeriod, shiftPeriod } from './period.js';
import { PERIOD_STATES, type Frequency, type PeriodCell, type PeriodState, type SeriesEvaluation } from './types.js';

const FORMAT = 2;

// States as one character each ('a' + index in PERIOD_STATES), marks as one digit each.
const STATE_CHAR = new Map<PeriodState, string>(PERIOD_STATES.map((s, i) => [s, String.fromCharCode(97 + i)]));

interface Stored {
  format: number;
  status: SeriesEvaluation['status'];
  reason: string;
  lastDisclosed: string | null;
  darkSince: SeriesEvaluation['darkSince'];
  nextCheckAt: number | null;
  stableUntil: number;
  uncheckedFrom: string | null;
  /** The cells, column by column: parsing arrays of numbers is far cheaper than arrays of arrays. */
  frequency: Frequency;
  from: string | null;
  states: string;
  dueAt: number[];
  /** graceEndsAt - dueAt when it is the same for every cell, else every graceEndsAt. */
  grace: number | number[];
  value: (number | null)[];
  valueText: (string | null)[];
  firstSeenAt: (number | null)[];
  marks: string;
  /** Event ids by cell index, for the cells that have one. */
  eventIds: Record<number, string>;
}

export function encodeEvaluation(ev: SeriesEvaluation, frequency: Frequency): string {
  const g = ev.grid;
  const graces = g.map((c) => c.graceEndsAt - c.dueAt);
  const eventIds: Record<number, string> = {};
  let states = '';
  let marks = '';
  g.forEach((c, i) => {
    states += STATE_CHAR.get(c.state)!;
    marks += (c.marks.break ? 1 : 0) | (c.marks.revised ? 2 : 0) | (c.marks.backfilled ? 4 : 0);
    if (c.eventId !== null) eventIds[i] = c.eventId;
  });
  const stored: Stored = {
    format: FORMAT, status: ev.status, reason: ev.reason, lastDisclosed: ev.lastDisclosed, darkSince: ev.darkSince,
    nextCheckAt: ev.nextCheckAt, stableUntil: ev.stableUntil, uncheckedFrom: ev.uncheckedFrom,
    frequency, from: g[0]?.period ?? null, states, dueAt: g.map((c) => c.dueAt),
    grace: graces.every((x) => x === graces[0]) ? (graces[0] ?? 0) : g.map((c) => c.graceEndsAt),
    value: g.map((c) => c.value), valueText: g.map((c) => c.valueText), firstSeenAt: g.map((c) => c.firstSeenAt),
    marks, eventIds,
  };
  return JSON.stringify(stored);
}

/**
 * The evaluation as it stands at `now` (which must lie before its stableUntil), or null for an
 * unknown format. With `tail`, the grid holds only its last `tail` cells (the board's sparklines).
 */
export function decodeEvaluation(text: string, now: number, tail?: number): SeriesEvaluation | null {
  const s = JSON.parse(text) as Stored;
  if (s.format !== FORMAT) return null;
  const n = s.states.length;
  const first = tail === undefined ? 0 : Math.max(0, n - tail);
  const grid = new Array<PeriodCell>(n - first);
  let period = first ? shiftPeriod(s.from!, s.frequency, first) : s.from!;
  for (let i = first; i < n; i++) {
    const m = s.marks.charCodeAt(i) - 48;
    const due = s.dueAt[i]!;
    grid[i - first] = {
      period, state: PERIOD_STATES[s.states.charCodeAt(i) - 97]!, dueAt: due,
      graceEndsAt: typeof s.grace === 'number' ? due + s.grace : s.grace[i]!,
      value: s.value[i]!, valueText: s.valueText[i]!, firstSeenAt: s.firstSeenAt[i]!,
      marks: { break: (m & 1) !== 0, revised: (m & 2) !== 0, backfilled: (m & 4) !== 0 },
      eventId: s.eventIds[i] ?? null,
    };
    if (i + 1 < n) period = nextPeriod(period, s.frequency);
  }
  return {
    grid, status: s.status, reason: s.reason, lastDisclosed: s.lastDisclosed, darkSince: s.darkSince,
    daysOverdue: daysOverdueAt(s.darkSince, now), nextCheckAt: s.nextCheckAt, stableUntil: s.stableUntil,
    uncheckedFrom: s.uncheckedFrom,
  };
}

/** A stored grid column by column, without building a cell object per period (the CSV export). */
export interface GridColumns {
  periods: string[];
  states: PeriodState[];
  value: (number | null)[];
  valueText: (string | null)[];
  firstSeenAt: (number | null)[];
  /** Per cell: 1 break, 2 revised, 4 backfilled. */
  marks: number[];
  eventIds: Record<number, string>;
}

export function decodeColumns(text: string): GridColumns | null {
  const s = JSON.parse(text) as Stored;
  if (s.format !== FORMAT) return null;
  const n = s.states.length;
  const periods = new Array<string>(n);
  const states = new Array<PeriodState>(n);
  const marks = new Array<number>(n);
  let period = s.from!;
  for (let i = 0; i < n; i++) {
    periods[i] = period;
    states[i] = PERIOD_STATES[s.states.charCodeAt(i) - 97]!;
    marks[i] = s.marks.charCodeAt(i) - 48;
    if (i + 1 < n) period = nextPeriod(period, s.frequency);
  }
  return { periods, states, value: s.value, valueText: s.valueText, firstSeenAt: s.firstSeenAt, marks, eventIds: s.eventIds };
}
