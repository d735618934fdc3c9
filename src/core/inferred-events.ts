// The events lacuna infers from a read, before anyone announces anything: a line dropped (the
// publisher still lists the indicator but fills no period of it, or its catalogue stops listing
// it) and an access change (an availability probe that turns from served to refused, or back).
// Pure: the facts of the read and of the record are passed in; the runner stores what comes out.
import { formatDay, nextPeriod } from './period.js';
import type { Frequency, Period } from './types.js';

export interface InferredEvent {
  id: string;
  kind: 'line_dropped' | 'access_cut' | 'access_restored';
  /** The UTC day of the read. */
  date: string;
  periodFrom: Period;
  title: string;
  description: string;
  /** The archived answer the event cites. */
  citation: { url: string; title: string };
}

export interface ReadFacts {
  seriesId: string;
  frequency: Frequency;
  gridFrom: Period;
  publisherName: string;
  now: number;
  /** The fetch run, the URL asked and the archived answer: the evidence. */
  runId: number;
  url: string;
  rawHash: string;
  /** The answer lists the series but no period of it has a value. */
  valueless: boolean;
  /** false when the publisher's catalogue no longer lists the indicator; null when not checked. */
  listed: boolean | null;
  /** The series is an access series (1 served, 0 refused), as an availability probe records. */
  access: boolean;
  /** The newest observation with a value in this answer. */
  newest: { period: Period; value: number; valueText: string } | null;
  /** The record before this read: its newest current value. */
  before: { value: number | null } | null;
  /** The record after this read: its newest current value, and the standing inferred line-dropped event. */
  after: { period: Period; firstSeenAt: number } | null;
  standingLineDropped: { recordedAt: number } | null;
}

/** Every event the read implies, at most one of each kind. */
export function inferEvents(f: ReadFacts): InferredEvent[] {
  return [lineDropped(f), accessEvent(f)].filter((e): e is InferredEvent => e !== null);
}

/**
 * Once per silence: not again while an inferred one stands with no value first seen after it.
 * Its periods start after the last value that survives the read.
 */
function lineDropped(f: ReadFacts): InferredEvent | null {
  const how = f.listed === false ? 'unlisted' : f.valueless ? 'empty' : null;
  if (!how) return null;
  if (f.standingLineDropped && (!f.after || f.after.firstSeenAt <= f.standingLineDropped.recordedAt)) return null;
  const day = formatDay(f.now);
  return {
    id: `${f.seriesId}.inferred.line-dropped.${day}`, kind: 'line_dropped', date: day,
    periodFrom: f.after ? nextPeriod(f.after.period, f.frequency) : f.gridFrom,
    title: how === 'empty'
      ? `${f.publisherName} still lists the indicator but gives no values for it`
      : `${f.publisherName}'s catalogue no longer lists the indicator`,
    description: `Inferred by lacuna from fetch run ${f.runId}: ${how === 'empty' ? 'every period in the answer is listed without a value' : 'the indicator is missing from the publisher\'s catalogue answer'}. The archived answer is the evidence.`,
    citation: citation(f),
  };
}

/** The event a change of an access series means: none for the first probe or no change. */
export function accessChange(prev: number | null, next: number): 'access_cut' | 'access_restored' | null {
  if (prev === null || (prev > 0) === (next > 0)) return null;
  return next > 0 ? 'access_restored' : 'access_cut';
}

function accessEvent(f: ReadFacts): InferredEvent | null {
  if (!f.access || !f.newest) return null;
  const kind = accessChange(f.before?.value ?? null, f.newest.value);
  if (!kind) return null;
  return {
    id: `${f.seriesId}.inferred.${kind.replace('_', '-')}.${f.newest.period}`, kind, date: formatDay(f.now), periodFrom: f.newest.period,
    title: kind === 'access_cut' ? `Access check failed: ${f.newest.valueText}` : 'Access check succeeded again',
    description: `Inferred by lacuna from fetch run ${f.runId} of ${f.url}.`,
    citation: citation(f),
  };
}

const citation = (f: ReadFacts) => ({ url: `/raw/${f.rawHash}`, title: `Archived answer of fetch run ${f.runId} (${f.url})` });
