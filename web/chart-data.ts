// The series chart's data, sent once per page: one shared period axis, the series' values and
// states, its related series aligned on the same axis (never joined to it), gap bands with the
// event that explains each, and break markers.
import { GAP_STATES, periodLabel, periodOf, parseDay, periodRange, comparePeriods, type PeriodCell, type PeriodState } from '../src/core/index.js';
import { statusLabel } from './pages/layout.js';
import { withoutFloatNoise } from '../src/formats/value-text.js';
import type { CalendarView, EvaluatedSeries, EventView, RelatedSeries } from '../src/read/read-model.js';

export interface ChartBand {
  from: string;
  to: string;
  state: PeriodState;
  eventId: string | null;
  label: string;
}

export interface ChartData {
  labels: string[];
  main: { id: string; title: string; unit: string; values: (number | null)[]; states: (PeriodState | null)[] };
  related: { id: string; title: string; unit: string; role: RelatedSeries['role']; values: (number | null)[] }[];
  bands: ChartBand[];
  breaks: { period: string; eventId: string | null; label: string }[];
  /** Political and holiday context (calendar.yaml) falling inside the chart, mapped to periods. */
  calendar: { id: string; kind: string; title: string; short: string; from: string; to: string; fromPeriod: string; toPeriod: string; citations: CalendarView['citations'] }[];
  events: Record<string, Pick<EventView, 'id' | 'title' | 'kind' | 'date' | 'dateApproximate' | 'evidenceKind' | 'confidence' | 'citations'>>;
}

const STATE_LABEL: Record<PeriodState, string> = {
  disclosed: 'Disclosed', not_due: 'Not yet due', late: 'Late', missing: 'Missing', suspended: 'Suspended', cancelled: 'Cancelled',
  discontinued: 'Discontinued', access_cut: 'Access cut', not_expected: 'Not expected', withdrawn: 'Withdrawn',
  unknown: 'No record',
};

/** What each period state means, for a reader. */
export const STATE_HELP: Record<PeriodState, string> = {
  disclosed: 'a value is on record',
  not_due: 'its release date has not come',
  late: 'past due, within the grace period (or an announced delay)',
  missing: 'past grace, no value and no word from the publisher',
  suspended: 'an announced suspension covers it',
  cancelled: 'the publisher announced that this period will never be published (it cannot exist, unlike a missing one)',
  discontinued: 'the series was stopped, dropped or replaced',
  access_cut: 'the figure exists but access is refused',
  not_expected: 'no separate release is expected (e.g. January folded into January-February)',
  withdrawn: 'published, later removed by the publisher',
  unknown: 'lacuna holds no record, and nothing says it was withheld',
};

export function stateLabel(s: PeriodState): string {
  return STATE_LABEL[s];
}

/** The status in words ("Suspended: suspended since July 2023 ..."), without the title the core's reason starts with. */
export function statusWords(s: EvaluatedSeries): string {
  const reason = s.evaluation.reason.startsWith(`${s.title}: `) ? s.evaluation.reason.slice(s.title.length + 2) : s.evaluation.reason;
  return `${statusLabel(s.evaluation.status)}: ${reason}`;
}

/** A disclosed value as drawn: the number its text says, less intermediaries' float noise. */
function drawnValue(c: PeriodCell): number | null {
  return c.valueText !== null ? Number(withoutFloatNoise(c.valueText)) : c.value;
}

/** Runs of consecutive gap cells with the same state and explaining event. */
export function gapBands(grid: PeriodCell[], events: Map<string, EventView>, frequency: EvaluatedSeries['frequency']): ChartBand[] {
  const bands: ChartBand[] = [];
  for (const c of grid) {
    if (!GAP_STATES.has(c.state)) continue;
    const last = bands.at(-1);
    const prevIndex = last ? grid.findIndex((g) => g.period === last.to) : -2;
    if (last && last.state === c.state && last.eventId === c.eventId && grid[prevIndex + 1]?.period === c.period) {
      last.to = c.period;
      continue;
    }
    bands.push({ from: c.period, to: c.period, state: c.state, eventId: c.eventId, label: '' });
  }
  for (const b of bands) {
    const span = b.from === b.to ? periodLabel(b.from, frequency) : `${periodLabel(b.from, frequency)} – ${periodLabel(b.to, frequency)}`;
    const e = b.eventId ? events.get(b.eventId) : undefined;
    b.label = `${STATE_LABEL[b.state]}: ${span}${e ? ` — ${e.title}` : ''}`;
  }
  return bands;
}

export function chartData(s: EvaluatedSeries, related: RelatedSeries[], events: EventView[], calendar: readonly CalendarView[] = []): ChartData {
  const f = s.frequency;
  const drawable = related.filter((r) => r.series.frequency === f && r.series.evaluation.grid.length);
  const grids = [s.evaluation.grid, ...drawable.map((r) => r.series.evaluation.grid)].filter((g) => g.length);
  const first = grids.map((g) => g[0]!.period).sort((a, b) => comparePeriods(a, b, f))[0];
  const last = grids.map((g) => g.at(-1)!.period).sort((a, b) => comparePeriods(a, b, f)).at(-1);
  const labels = first && last ? periodRange(first, last, f) : [];
  const align = <T>(grid: PeriodCell[], pick: (c: PeriodCell) => T): (T | null)[] => {
    const byPeriod = new Map(grid.map((c) => [c.period, c]));
    return labels.map((p) => { const c = byPeriod.get(p); return c ? pick(c) : null; });
  };
  const eventMap = new Map(events.map((e) => [e.id, e]));
  return {
    labels,
    main: {
      id: s.id, title: s.title, unit: s.unit,
      values: align(s.evaluation.grid, (c) => (c.state === 'disclosed' ? drawnValue(c) : null)).map((v) => v ?? null),
      states: align(s.evaluation.grid, (c) => c.state),
    },
    related: drawable.map((r) => ({
      id: r.series.id, title: r.series.title, unit: r.series.unit, role: r.role,
      values: align(r.series.evaluation.grid, (c) => (c.state === 'disclosed' ? drawnValue(c) : null)).map((v) => v ?? null),
    })),
    bands: gapBands(s.evaluation.grid, eventMap, f),
    calendar: labels.length ? calendar.flatMap((c) => {
      const fromPeriod = periodOf(parseDay(c.from), f);
      const toPeriod = periodOf(parseDay(c.to), f);
      const first = labels[0]!;
      const last = labels.at(-1)!;
      if (comparePeriods(toPeriod, first, f) < 0 || comparePeriods(fromPeriod, last, f) > 0) return [];
      // An entry that runs past either end of the axis is drawn up to that end.
      return [{
        ...c, fromPeriod: comparePeriods(fromPeriod, first, f) < 0 ? first : fromPeriod,
        toPeriod: comparePeriods(toPeriod, last, f) > 0 ? last : toPeriod, short: shortTitle(c.title),
      }];
    }) : [],
    breaks: [s, ...drawable.map((r) => r.series)].flatMap((x) => x.evaluation.grid.filter((c) => c.marks.break).map((c) => {
      const e = events.find((ev) => ev.periodFrom === c.period && ev.kind === 'method_change' && ev.seriesId === x.id);
      return { period: c.period, eventId: e?.id ?? null, label: `Method break: ${periodLabel(c.period, f)}${e ? ` — ${e.title}` : ''}` };
    })),
    events: Object.fromEntries(events.map((e) => [e.id, {
      id: e.id, title: e.title, kind: e.kind, date: e.date, dateApproximate: e.dateApproximate,
      evidenceKind: e.evidenceKind, confidence: e.confidence, citations: e.citations,
    }])),
  };
}

/** A few words for a chart label ("20th National Congress of the ..." -> "20th National Congress"). */
function shortTitle(t: string): string {
  const words = t.split(/\s+/);
  return words.length <= 3 ? t : `${words.slice(0, 3).join(' ')}…`;
}
