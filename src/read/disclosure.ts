// What the disclosure index views read: every series evaluated at an instant, a chunk at a time,
// counted by src/core/disclosure.ts, and the board's headline (the latest complete month against
// the same month a year earlier).
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { summaries } from '../../db/schema.js';
import { READ_MODEL_STAMP } from './stamp.js';
import {
  disclosureTally, latestCompleteMonth, monthOf, type DisclosureCount, type DisclosureMonth, type DisclosureRow,
} from '../core/disclosure.js';
import { shiftPeriod } from '../core/period.js';
import { countryOf, seriesChunks, type Country, type EvaluatedSeries } from './read-model.js';

export const DEFAULT_FROM_MONTH = '2015-01';

export interface DisclosureView {
  from: string;
  to: string;
  /** Publishers with at least one series, in id order (the order of every month's byPublisher). */
  publishers: { id: string; name: string }[];
  /** Countries with at least one series, in code order (the order of every month's byCountry). */
  countries: Country[];
  months: DisclosureMonth[];
  /** How many series the index reads. */
  seriesCount: number;
  /** The instant the index was evaluated at (now, or the end of the as-of day). */
  at: number;
}

/** Series read a chunk at a time for the index: none of their grids is kept. */
const CHUNK = 200;

/** One disclosure row of an evaluated series (its due dates read in the series' time zone). */
const disclosureRow = (s: EvaluatedSeries): DisclosureRow => ({
  publisherId: s.publisher.id,
  countryId: s.country?.code ?? null,
  grid: s.evaluation.grid,
  access: isAccessSeries(s),
  ...(typeof s.release?.timeZone === 'string' ? { timeZone: s.release.timeZone as string } : {}),
});

/** Whether a series records access to a database or service (topic `access`, or read by a probe) rather than released figures. */
export function isAccessSeries(s: Pick<EvaluatedSeries, 'topics' | 'source'>): boolean {
  return s.topics.includes('access') || s.source?.kind === 'probe';
}

/**
 * Every series evaluated at `at`, a chunk at a time (stored evaluations where they hold). `size`
 * is smaller where a caller hands the event loop back between chunks (the server).
 */
export const everySeries = (db: Db, at: number, size = CHUNK) => seriesChunks(db, {}, at, { asOf: false, size });

/** Counts series into the index from `from` to `to`, with the publishers' names and the number read. */
function counter(from: string, to: string) {
  const tally = disclosureTally(from, to);
  const names = new Map<string, string>();
  let seriesCount = 0;
  return {
    add(chunk: readonly EvaluatedSeries[]) {
      for (const s of chunk) {
        if (!isAccessSeries(s)) names.set(s.publisher.id, s.publisher.name);
        tally.add(disclosureRow(s));
        seriesCount++;
      }
    },
    result: () => ({ months: tally.months(), names, seriesCount }),
  };
}

/** The index of `chunks` from `from` to `to`, with the publishers' names and the number of series read. */
function tallyOf(chunks: Iterable<readonly EvaluatedSeries[]>, from: string, to: string) {
  const count = counter(from, to);
  for (const chunk of chunks) count.add(chunk);
  return count.result();
}

/** The same, handing the event loop back between chunks (`pace`, src/read/pace.ts). */
async function tallyPaced(chunks: Iterable<readonly EvaluatedSeries[]>, from: string, to: string, pace: () => Promise<void>) {
  const count = counter(from, to);
  for (const chunk of chunks) {
    count.add(chunk);
    await pace();
  }
  return count.result();
}

/** Series per chunk where the server reads them with pauses: stored copies decode fast, as-of ones are evaluated. */
const PACED_CHUNK = 10;

/** The index from `from` to `to` ('YYYY-MM'), as known at `at`. */
export function disclosureView(db: Db, at: number, from: string, to: string): DisclosureView {
  return viewOf(tallyOf(everySeries(db, at), from, to), from, to, at);
}

/** The same, for the server: a chunk of series at a time, handing the event loop back between them. */
export async function disclosureViewPaced(db: Db, at: number, from: string, to: string, pace: () => Promise<void>): Promise<DisclosureView> {
  return viewOf(await tallyPaced(everySeries(db, at, PACED_CHUNK), from, to, pace), from, to, at);
}

function viewOf({ months, names, seriesCount }: ReturnType<typeof tallyOf>, from: string, to: string, at: number): DisclosureView {
  const ids = [...names.keys()].sort();
  const countries = Object.keys(months[0]?.byCountry ?? {}).map((code) => countryOf(code)!);
  return { from, to, publishers: ids.map((id) => ({ id, name: names.get(id)! })), countries, months, seriesCount, at };
}

export interface HeadlineMonth extends DisclosureCount {
  month: string;
}

export interface DisclosureHeadlineData {
  /** The latest month complete at `at` with something due (see latestCompleteMonth). */
  latest: HeadlineMonth;
  /** The same month a year earlier (share null when nothing was due then). */
  yearEarlier: HeadlineMonth;
}

/** How far back the headline looks for a complete month with something due. */
const HEADLINE_LOOKBACK_MONTHS = 120;

export const HEADLINE_KEY = 'disclosure-headline';

/**
 * The overall share disclosed on schedule in the latest complete month, and in the same month a
 * year earlier; null when no month in the last ten years has anything due. Now, the board reads
 * the copy the status check keeps (computing it once if there is none); with `live` (as-of
 * views: every series evaluated at `at`) it is computed from those.
 */
/**
 * The grids the headline reads as of `at`: every cell of a period from the month holding `since`
 * on is enough (a windowed as-of view, src/read/read-model.ts), for months from `from` on: periods
 * due up to two years after they end stay inside. The headline's months (the latest complete one
 * and a year before) are nearly always in the last fourteen; when not, it is computed whole.
 */
export function headlineWindow(at: number): { since: number; from: string } {
  const month = monthOf(at);
  return { since: Date.parse(`${shiftPeriod(month, 'monthly', -48)}-01T00:00:00Z`), from: shiftPeriod(month, 'monthly', -24) };
}

/**
 * The window of an as-of evaluation of every series that the headline needs (and a series' status,
 * which any window gives): the periods due from the headline's first month on
 * (src/read/read-model.ts, AsOfWindow.dueFrom), or from `since` for a series with promises.
 */
export function headlineAsOfWindow(at: number): { cells: number; since: number; dueFrom: number } {
  const w = headlineWindow(at);
  return { cells: 0, since: w.since, dueFrom: Date.parse(`${w.from}-01T00:00:00Z`) };
}

/**
 * The board's headline as of `at`: the status check's stored copy where it holds, else computed;
 * from `live` evaluations where given (their grids complete from `liveFrom` on, if set).
 */
export function disclosureHeadline(
  db: Db, at: number, opts: { live?: readonly EvaluatedSeries[]; liveFrom?: string } = {},
): DisclosureHeadlineData | null {
  if (opts.live) {
    const value = computeHeadline([opts.live], at).value;
    if (!opts.liveFrom || !value || value.yearEarlier.month >= opts.liveFrom) return value;
    return computeHeadline(everySeries(db, at), at).value;
  }
  const row = db.select().from(summaries).where(eq(summaries.key, HEADLINE_KEY)).get();
  // The kept copy holds from when it was computed until its validity ends, under this stamp.
  const holds = row && row.stamp === READ_MODEL_STAMP && row.computedAt <= at && (row.validUntil === null || at < row.validUntil);
  return holds ? (JSON.parse(row.value) as DisclosureHeadlineData | null) : computeHeadline(everySeries(db, at), at).value;
}

export function computeHeadline(
  chunks: Iterable<readonly EvaluatedSeries[]>, at: number,
): { value: DisclosureHeadlineData | null; validUntil: number | null } {
  const to = monthOf(at);
  return headlineOf(tallyOf(chunks, shiftPeriod(to, 'monthly', -HEADLINE_LOOKBACK_MONTHS - 12), to).months, at);
}

/** The same, for the server's status check: a chunk of series at a time, handing the event loop back between them. */
export async function computeHeadlinePaced(db: Db, at: number, pace: () => Promise<void>): Promise<{ value: DisclosureHeadlineData | null; validUntil: number | null }> {
  const to = monthOf(at);
  return headlineOf((await tallyPaced(everySeries(db, at, PACED_CHUNK), shiftPeriod(to, 'monthly', -HEADLINE_LOOKBACK_MONTHS - 12), to, pace)).months, at);
}

function headlineOf(index: DisclosureMonth[], at: number): { value: DisclosureHeadlineData | null; validUntil: number | null } {
  const latest = latestCompleteMonth(index.slice(12), at);
  // The headline moves on when a later month settles.
  const settles = index.filter((m) => m.settledAt > at).map((m) => m.settledAt);
  const validUntil = settles.length ? Math.min(...settles) : null;
  if (!latest) return { value: null, validUntil };
  const earlierMonth = shiftPeriod(latest.month, 'monthly', -12);
  const earlier = index.find((m) => m.month === earlierMonth)!;
  return {
    value: { latest: { month: latest.month, ...latest.overall }, yearEarlier: { month: earlier.month, ...earlier.overall } },
    validUntil,
  };
}
