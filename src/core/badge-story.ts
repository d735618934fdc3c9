// A series' story in a few words, for its badge: not only its status but how it went dark and
// whether it came back ("suspended Jul 2023 · resumed Dec 2023 (new method)"). Pure: read from
// the period grid (its dark runs and the kinds of the events that explain them) and, when the
// series was replaced, from the successor's grid.
//
// A dark run is a stretch of consecutive periods whose state is suspended, cancelled, discontinued,
// missing, access_cut or withdrawn; not_expected periods (a January folded into February) neither
// break nor extend it. Inside a run, each change of wording starts a chapter. The run ends:
//   with a disclosed period ................... "resumed <period>" ("(new method)" at a break)
//   with anything else (late, no record) ...... no resumption: lacuna cannot say when it came back
//   with the end of the grid (trailing) ....... resumed by the successor, when there is one that
//                                               disclosed a period from the run's start on; a
//                                               "replaced" chapter after the first is then folded
//                                               into that resumption
// The message tells the latest run ("missing since Mar 2025" while it lasts); a series that is
// current again says so first ("current · missing Mar 2019 · resumed Apr 2019"); one that never
// went dark, or whose latest news is a method break, says its status and the break
// ("current · new method since Dec 2023").
import { periodStart } from './period.js';
import type { EventKind, Frequency, Period, PeriodCell, PeriodState, SeriesStatus } from './types.js';

const DARK_STATES: ReadonlySet<PeriodState> = new Set(['suspended', 'cancelled', 'discontinued', 'missing', 'access_cut', 'withdrawn']);

/** Dark states that describe a condition rather than an announced act. */
const STILL: ReadonlySet<PeriodState> = new Set(['missing', 'access_cut', 'withdrawn']);

export interface StorySeries {
  id: string;
  frequency: Frequency;
  status: SeriesStatus;
  grid: readonly PeriodCell[];
  /** Kind of each event a cell names (eventId -> kind). */
  eventKinds: Readonly<Record<string, EventKind>>;
}

export type StoryChapter =
  | { kind: 'dark'; state: PeriodState; eventKind: EventKind | null; eventId: string | null; from: Period; to: Period; words: string }
  | { kind: 'resumed'; period: Period; seriesId: string; methodBreak: boolean; words: string }
  | { kind: 'break'; period: Period; words: string };

export interface BadgeStory {
  status: SeriesStatus;
  message: string;
  /** Every chapter, oldest first: the dark runs, their resumptions and method breaks. */
  history: StoryChapter[];
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'Jul 2023', '2023 Q3', '2023', '2023-W05', '2023-06-30'. */
export function shortPeriodLabel(p: Period, f: Frequency): string {
  if (f === 'monthly' && /^\d{4}-\d{2}$/.test(p)) return `${MON[+p.slice(5) - 1]} ${p.slice(0, 4)}`;
  if (f === 'quarterly') return p.replace('-', ' ');
  return p;
}

function darkVerb(state: PeriodState, kind: EventKind | null): string {
  if (state === 'discontinued') return kind === 'replaced' ? 'replaced' : kind === 'line_dropped' ? 'dropped' : 'discontinued';
  return state === 'access_cut' ? 'access cut' : state;
}

interface Run {
  chapters: Extract<StoryChapter, { kind: 'dark' }>[];
  /** Grid index of its first and last cells. */
  start: number;
  end: number;
  /** The disclosed cell right after the run (not_expected periods skipped), if any. */
  resumedBy: PeriodCell | null;
  /** Nothing was disclosed after it: the series has stayed dark since. */
  trailing: boolean;
}

function darkRuns(s: StorySeries): Run[] {
  const runs: Run[] = [];
  let open: Run | null = null;
  s.grid.forEach((c, i) => {
    if (c.state === 'not_expected') return;
    if (!DARK_STATES.has(c.state)) {
      if (open && c.state === 'disclosed') open.resumedBy = c;
      open = null;
      return;
    }
    if (!open) runs.push((open = { chapters: [], start: i, end: i, resumedBy: null, trailing: false }));
    open.end = i;
    const kind = c.eventId ? s.eventKinds[c.eventId] ?? null : null;
    const words = darkVerb(c.state, kind);
    const last = open.chapters.at(-1);
    if (last && last.words === words) last.to = c.period;
    else open.chapters.push({ kind: 'dark', state: c.state, eventKind: kind, eventId: c.eventId, from: c.period, to: c.period, words });
  });
  const last = runs.at(-1);
  if (last) last.trailing = !s.grid.slice(last.end + 1).some((c) => c.state === 'disclosed');
  return runs;
}

function resumed(cell: PeriodCell, seriesId: string, f: Frequency, otherSeries: boolean): Extract<StoryChapter, { kind: 'resumed' }> {
  const how = cell.marks.break ? ' (new method)' : otherSeries ? ' (new series)' : '';
  return { kind: 'resumed', period: cell.period, seriesId, methodBreak: cell.marks.break, words: `resumed ${shortPeriodLabel(cell.period, f)}${how}` };
}

/** The chapters of one run, with its resumption (in the series itself, or by the successor). */
function runChapters(s: StorySeries, run: Run, successor: StorySeries | null): StoryChapter[] {
  const dark = run.chapters.map((c, i) => {
    // A state with no event behind it that still holds reads "missing since Mar 2025".
    const since = run.trailing && i === run.chapters.length - 1 && STILL.has(c.state) ? 'since ' : '';
    return { ...c, words: `${c.words} ${since}${shortPeriodLabel(c.from, s.frequency)}` };
  });
  if (run.resumedBy) return [...dark, resumed(run.resumedBy, s.id, s.frequency, false)];
  if (!run.trailing || !successor) return dark;
  const first = successor.grid.find((c) => c.state === 'disclosed');
  if (!first || periodStart(first.period, successor.frequency) < periodStart(run.chapters[0]!.from, s.frequency)) return dark;
  const kept = dark.filter((c, i) => i === 0 || c.eventKind !== 'replaced');
  return [...kept, resumed(first, successor.id, successor.frequency, true)];
}

/** The story a series' badge tells; `successor` is the series that replaced it, if any. */
export function badgeStory(s: StorySeries, successor: StorySeries | null = null): BadgeStory {
  const runs = darkRuns(s);
  const perRun = runs.map((r) => runChapters(s, r, successor));
  // Method breaks that are not already told as a resumption, placed among the runs by grid position.
  const told = new Set(runs.flatMap((r) => (r.resumedBy ? [r.resumedBy.period] : [])));
  const breaks = s.grid.flatMap((c, i) => (c.state === 'disclosed' && c.marks.break && !told.has(c.period)
    ? [{ i, chapter: { kind: 'break', period: c.period, words: `new method since ${shortPeriodLabel(c.period, s.frequency)}` } as StoryChapter }]
    : []));
  const history = [
    ...runs.map((r, k) => ({ i: r.start, chapters: perRun[k]! })),
    ...breaks.map((b) => ({ i: b.i, chapters: [b.chapter] })),
  ].sort((a, b) => a.i - b.i).flatMap((x) => x.chapters);

  const latest = runs.at(-1);
  const latestWords = perRun.at(-1)?.map((c) => c.words) ?? [];
  const lastBreak = breaks.at(-1);
  let parts: string[];
  const word = s.status.replace(/_/g, ' ');
  if (latest?.trailing) parts = s.status === 'paused' ? ['paused', ...latestWords] : latestWords;
  else if (lastBreak && (!latest || lastBreak.i > latest.start)) parts = [word, lastBreak.chapter.words];
  else parts = latest ? [word, ...latestWords] : [word];
  return { status: s.status, message: parts.join(' · '), history };
}
