// How far one read of a source vouches for the record, and whether the source itself has gone
// stale. A mirror (DBnomics, FRED's copies) or a secondary publisher's table that stops updating
// is not the publisher stopping: what it lacks after its own newest figure stays unknown, never
// missing, and the source is called stale. Pure: the facts of the read and the rule are passed in.
//
// | role              | vouches for the record up to                                   | stale when                                          |
// |-------------------|----------------------------------------------------------------|-----------------------------------------------------|
// | official          | now: the publisher's own answer                                | never (its silence is the publisher's)              |
// | secondary, mirror | just before the period after its newest figure was due, and no | the grace of the period after its newest figure has |
// |                   | later than the source's own update date when it gives one      | ended                                               |
// | secondary, mirror | (no figure at all) nothing                                     | always                                              |
import { dueAt, graceEndsAt, isExpected } from './release.js';
import { comparePeriods, formatDay, nextPeriod, periodLabel } from './period.js';
import { localDay } from './zoned-time.js';
import type { Frequency, Period, ReleaseRule } from './types.js';

export const SOURCE_ROLES = ['official', 'secondary', 'mirror'] as const;
export type SourceRole = (typeof SOURCE_ROLES)[number];

/** What a source says of its own freshness. */
export interface Freshness {
  /** When the source last updated the series (DBnomics indexed_at, FRED last_updated), ms. */
  updatedAt: number | null;
  /** The newest period the source says it holds (FRED observation_end), where it says so. */
  through: Period | null;
}

export interface FreshnessFacts {
  role: SourceRole;
  frequency: Frequency;
  release: ReleaseRule;
  now: number;
  /** The newest period this read gave a value for. */
  newest: Period | null;
  /** The source's own freshness, where it reports one. */
  own: Freshness | null;
}

export interface FreshnessJudgement {
  /** The record is complete up to this instant on this read's word (null: it vouches for nothing). */
  vouchesUntil: number | null;
  stale: boolean;
  /** Why the source is stale, in a sentence with dates; null when it is not. */
  why: string | null;
}

export function judgeFreshness(f: FreshnessFacts): FreshnessJudgement {
  if (f.role === 'official') return { vouchesUntil: f.now, stale: false, why: null };
  const through = later(f.newest, f.own?.through ?? null, f.frequency);
  const updated = f.own?.updatedAt ?? null;
  const kind = f.role === 'mirror' ? 'the mirror' : 'the secondary source';
  if (through === null) return { vouchesUntil: null, stale: true, why: `${kind} gives no figure for the series` };
  const next = nextExpected(through, f.frequency, f.release);
  const nextDue = dueAt(next, f.frequency, f.release);
  const vouchesUntil = Math.min(nextDue - 1, updated ?? Infinity, f.now);
  const graceEnd = graceEndsAt(next, f.frequency, f.release);
  if (graceEnd > f.now) return { vouchesUntil, stale: false, why: null };
  const own = updated !== null ? `; it says it was last updated on ${formatDay(updated)}` : '';
  return {
    vouchesUntil, stale: true,
    why: `${kind} holds nothing after ${periodLabel(through, f.frequency)}, while ${periodLabel(next, f.frequency)} was due by ${formatDay(localDay(graceEnd, f.release.timeZone))}${own}`,
  };
}

function later(a: Period | null, b: Period | null, f: Frequency): Period | null {
  if (a === null) return b;
  if (b === null) return a;
  return comparePeriods(a, b, f) >= 0 ? a : b;
}

/** The first period after `p` that has a release of its own (a folded January or a holiday has none). */
function nextExpected(p: Period, f: Frequency, rule: ReleaseRule): Period {
  let next = nextPeriod(p, f);
  for (let n = 0; n < 400 && !isExpected(next, f, rule); n++) next = nextPeriod(next, f);
  return next;
}
