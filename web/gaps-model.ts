// The gaps timeline's data: every series' grid on one time axis, as runs of periods that share a
// state and an explaining event, each with its real time span (a quarter spans three months).
import { nextPeriod, periodLabel, periodStart, type Frequency, type PeriodCell, type PeriodState } from '../src/core/index.js';
import type { EvaluatedSeries, EventView } from '../src/read/read-model.js';

export interface GapRun {
  state: PeriodState;
  from: string;
  to: string;
  /** Time span, epoch ms, clipped to the window. */
  start: number;
  end: number;
  eventId: string | null;
}

export interface TimelineRow {
  series: EvaluatedSeries;
  runs: GapRun[];
  events: EventView[];
}

/** Merges consecutive cells with the same state and event, keeping those that touch [from, to). */
export function runsOf(grid: readonly PeriodCell[], f: Frequency, from: number, to: number): GapRun[] {
  const runs: GapRun[] = [];
  for (const c of grid) {
    const start = periodStart(c.period, f);
    const end = periodStart(nextPeriod(c.period, f), f);
    if (end <= from || start >= to) continue;
    const last = runs.at(-1);
    if (last && last.state === c.state && last.eventId === c.eventId && last.end === Math.max(start, from)) {
      last.to = c.period;
      last.end = Math.min(end, to);
    } else {
      runs.push({ state: c.state, from: c.period, to: c.period, start: Math.max(start, from), end: Math.min(end, to), eventId: c.eventId });
    }
  }
  return runs;
}

export function runLabel(r: GapRun, f: Frequency): string {
  return r.from === r.to ? periodLabel(r.from, f) : `${periodLabel(r.from, f)} – ${periodLabel(r.to, f)}`;
}

/** Rows grouped by publisher, country or topic (a series with several topics appears under each). */
export function groupRows(rows: readonly TimelineRow[], by: 'publisher' | 'topic' | 'country'): { key: string; label: string; rows: TimelineRow[] }[] {
  const groups = new Map<string, { key: string; label: string; rows: TimelineRow[] }>();
  for (const row of rows) {
    const c = row.series.country;
    const keys = by === 'publisher'
      ? [[row.series.publisher.id, row.series.publisher.name] as const]
      : by === 'country'
        ? [c ? [c.code, c.name] as const : ['none', '(no country)'] as const]
        : (row.series.topics.length ? row.series.topics : ['(no topic)']).map((t) => [t, t] as const);
    for (const [key, label] of keys) {
      if (!groups.has(key)) groups.set(key, { key, label, rows: [] });
      groups.get(key)!.rows.push(row);
    }
  }
  return [...groups.values()].sort((a, b) => a.label.localeCompare(b.label));
}
