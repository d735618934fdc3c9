// What a publisher's answer must hold before lacuna records anything from it, the same for every
// source kind: the plug-ins only parse, and these rules judge what they parsed. Pure.
//
// | the answer (all pages)                                   | verdict                          |
// |----------------------------------------------------------|----------------------------------|
// | no series, no period listed                              | fails: empty                     |
// | other series or listed periods, not the key asked for    | fails: absent (names what it holds) |
// | the key asked for twice on one page (a key too wide)      | fails: config (the ref's fault)  |
// | a period twice                                           | fails: shape                     |
// | the key asked for, without a single period               | fails: empty                     |
// | the key asked for, with periods                          | its observations; what it covers |
//
// A value lacuna holds is withdrawn only inside what the answered series covers (`covers`), so an
// answer without the series (another table, an empty data list) can never withdraw anything.
import type { Period } from './types.js';

/** Which periods an answer covers completely for a series: 'all' (full history), a range, or null (not known to be complete). */
export type Covers = { from: Period; to: Period } | 'all' | null;

export interface AnsweredValue {
  period: Period;
  /** null: listed without a value (a gap, never zero). */
  value: number | null;
}

/** One series as an answer holds it, under the publisher's key for it. */
export interface AnsweredSeries<O extends AnsweredValue = AnsweredValue> {
  key: string;
  observations: O[];
  covers: Covers;
  unit?: string | null | undefined;
}

/** What one page of an answer holds, as a plug-in parsed it. */
export interface AnswerPage<O extends AnsweredValue = AnsweredValue> {
  series: AnsweredSeries<O>[];
  /** Keys of further series the answer names but the plug-in did not read (other columns, other docs). */
  others?: string[] | undefined;
  /** The periods the answer lists apart from any series (NBS `sj` nodes). */
  periods?: Period[] | undefined;
}

export type AnswerFailure = 'absent' | 'empty' | 'shape' | 'config';

export type AnswerVerdict<O extends AnsweredValue> =
  | { ok: true; observations: O[]; covers: Covers; unit: string | null; gaps: number; valueless: boolean }
  | { ok: false; code: AnswerFailure; message: string };

const MAX_NAMED = 5;

/** Judges the pages of one answer for the series under `key`. */
export function judgeAnswer<O extends AnsweredValue>(key: string, pages: readonly AnswerPage<O>[]): AnswerVerdict<O> {
  const doubled = pages.find((p) => p.series.filter((s) => s.key === key).length > 1);
  if (doubled) {
    const n = doubled.series.filter((s) => s.key === key).length;
    return fail('config', `the answer holds ${n} series under ${key}, not one: the source's key must name a single series`);
  }
  const found = pages.flatMap((p) => p.series.filter((s) => s.key === key));
  if (found.length === 0) return absent(key, pages);
  const observations = found.flatMap((s) => s.observations);
  if (observations.length === 0) return fail('empty', `the answer holds ${key} without a single period`);
  const seen = new Set<Period>();
  for (const o of observations) {
    if (seen.has(o.period)) return fail('shape', `the answer gives period ${o.period} of ${key} twice`);
    seen.add(o.period);
  }
  const gaps = observations.filter((o) => o.value === null).length;
  return {
    ok: true, observations, covers: mergeCovers(found.map((s) => s.covers)),
    unit: found.map((s) => s.unit).find((u): u is string => typeof u === 'string' && u !== '') ?? null,
    gaps, valueless: gaps === observations.length,
  };
}

function absent<O extends AnsweredValue>(key: string, pages: readonly AnswerPage<O>[]): AnswerVerdict<O> {
  const held = [...new Set(pages.flatMap((p) => [...p.series.map((s) => s.key), ...(p.others ?? [])]))];
  const periods = [...new Set(pages.flatMap((p) => p.periods ?? []))].sort();
  if (held.length === 0 && periods.length === 0) return fail('empty', `the answer is empty: it holds no series and lists no period (${key} asked for)`);
  const holds = held.length === 0 ? 'holds no series'
    : `holds ${held.slice(0, MAX_NAMED).join(', ')}${held.length > MAX_NAMED ? ` and ${held.length - MAX_NAMED} more` : ''}`;
  const lists = periods.length ? `; it lists the periods ${periods[0]} to ${periods.at(-1)}` : '';
  return fail('absent', `the answer does not hold ${key}: it ${holds}${lists}`);
}

const fail = <O extends AnsweredValue>(code: AnswerFailure, message: string): AnswerVerdict<O> => ({ ok: false, code, message });

/** Several pages of one series: complete when every page says what it covers; the union of their ranges. */
export function mergeCovers(all: readonly Covers[]): Covers {
  if (all.some((c) => c === 'all')) return 'all';
  const ranges = all.filter((c): c is { from: Period; to: Period } => c !== null && c !== 'all');
  if (ranges.length !== all.length || ranges.length === 0) return null;
  return { from: ranges.map((r) => r.from).sort()[0]!, to: ranges.map((r) => r.to).sort().at(-1)! };
}

/** A source block's period window: `since` and `until` (inclusive); either may be open. */
export interface PeriodWindow {
  since: Period | null;
  until: Period | null;
}

/**
 * The part of a judged answer inside a source's period window: values outside it are neither
 * recorded nor withdrawn (NBS files both bases of the youth rate under one indicator id, so the
 * successor's source reads only from December 2023 on).
 *
 * | observation or covered range | kept                                                          |
 * |------------------------------|---------------------------------------------------------------|
 * | a period before since        | no                                                            |
 * | a period after until         | no                                                            |
 * | covers a range               | the range cut to the window; null when nothing of it is left  |
 * | covers 'all'                 | 'all' with no window; else the window, closed at the answer's own first or last period where open |
 */
export function windowAnswer<O extends AnsweredValue>(
  verdict: Extract<AnswerVerdict<O>, { ok: true }>, w: PeriodWindow, cmp: (a: Period, b: Period) => number,
): Extract<AnswerVerdict<O>, { ok: true }> {
  if (w.since === null && w.until === null) return verdict;
  const inside = (p: Period) => (w.since === null || cmp(p, w.since) >= 0) && (w.until === null || cmp(p, w.until) <= 0);
  const observations = verdict.observations.filter((o) => inside(o.period));
  const gaps = observations.filter((o) => o.value === null).length;
  return {
    ...verdict, observations, gaps,
    valueless: observations.length > 0 && gaps === observations.length,
    covers: windowCovers(verdict.covers, verdict.observations.map((o) => o.period), w, cmp),
  };
}

function windowCovers(c: Covers, periods: Period[], w: PeriodWindow, cmp: (a: Period, b: Period) => number): Covers {
  if (c === null) return null;
  const sorted = [...periods].sort(cmp);
  const range = c === 'all' ? (sorted.length ? { from: sorted[0]!, to: sorted.at(-1)! } : null) : c;
  if (range === null) return null;
  const from = c === 'all' && w.since !== null ? w.since : w.since !== null && cmp(w.since, range.from) > 0 ? w.since : range.from;
  const to = c === 'all' && w.until !== null ? w.until : w.until !== null && cmp(w.until, range.to) < 0 ? w.until : range.to;
  return cmp(from, to) <= 0 ? { from, to } : null;
}
