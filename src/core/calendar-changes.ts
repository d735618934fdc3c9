// What a read of a release calendar changes in the record of a series' promises. Pure: the
// promises on record (their current versions) and the announcements the answer holds in, the new
// versions, the events lacuna infers (each citing the archived answer) and the changes that alert.
//
// An announcement is matched to the record by the publisher's id of it; failing that, by period,
// to a promise of that period the answer no longer lists under its own id (a calendar that
// re-dates a release as a new entry). Then:
//
// | the announcement                               | new version | event                      | alert   |
// |------------------------------------------------|-------------|----------------------------|---------|
// | new (with no earlier date stated)              | its date    | -                          | no      |
// | new, stating the date it replaced (later now)  | both dates  | delayed, with both dates   | moved   |
// | same date and state                            | -           | -                          | no      |
// | a later date                                   | the date    | delayed, with both dates   | moved   |
// | an earlier date                                | the date    | -                          | moved   |
// | cancelled (now, or when first seen)            | cancelled   | cancelled, with its reason | yes     |
// | no longer listed by a complete calendar,       | removed     | - (lacuna does not know    | yes     |
// |   its date still to come                       |             |   whether moved or dropped)|         |
// | no longer listed, its date passed              | -           | -                          | no      |
// | with no period lacuna can tell                 | -           | -                          | no (counted as unmapped) |
import { formatDay, periodLabel } from './period.js';
import { localDateTime, localDay } from './zoned-time.js';
import type { Frequency, Period, PromiseState } from './types.js';

export interface RecordedPromise {
  entry: string;
  period: Period;
  dueAt: number | null;
  /** The promise as written ('2025-10-15 08:30', 'January 2016'). */
  dueLocal: string | null;
  state: PromiseState;
}

export interface AnsweredPromise {
  entry: string;
  title: string;
  /** The period it is for; null when lacuna cannot tell (it is then left out). */
  period: Period | null;
  dueAt: number | null;
  dueLocal: string;
  state: 'scheduled' | 'cancelled';
  /** The publisher's reason (a cancellation's) or change note. */
  reason: string | null;
  /** The date the publisher says it had promised before, when it says so. */
  previous: { dueAt: number; dueLocal: string } | null;
  /** The day the publisher says it cancelled, when it says so. */
  cancelledOn: string | null;
}

export interface CalendarReadFacts {
  seriesId: string;
  frequency: Frequency;
  timeZone: string;
  /** The calendar as a reader names it ("BLS release calendar"). */
  calendarName: string;
  /** Whether the answer lists every announcement of the release (an entry gone from it was removed). */
  complete: boolean;
  now: number;
  readId: number;
  url: string;
  rawHash: string;
  recorded: readonly RecordedPromise[];
  answered: readonly AnsweredPromise[];
}

export interface PromiseVersion {
  entry: string;
  period: Period;
  dueAt: number | null;
  dueLocal: string | null;
  state: PromiseState;
  reason: string | null;
  /** The calendar and announcement, as a reader names them. */
  source: string;
  /** The current version it replaces (its entry id), when there is one. */
  replaces: string | null;
}

export interface CalendarEvent {
  id: string;
  kind: 'delayed' | 'cancelled';
  date: string;
  period: Period;
  title: string;
  description: string;
  evidenceKind: 'inferred' | 'official_notice';
  confidence: 'verified' | 'partly_verified';
  citations: { url: string; title: string; publisher: string }[];
}

export interface PromiseChange {
  kind: 'moved_later' | 'moved_earlier' | 'cancelled' | 'removed';
  period: Period;
  /** The date it had, and the one it has now, as written. */
  from: string | null;
  to: string | null;
  /** The first instant promised, for the alert's due date. */
  dueAt: number | null;
  sentence: string;
  eventId: string | null;
}

export interface CalendarChanges {
  versions: PromiseVersion[];
  events: CalendarEvent[];
  changes: PromiseChange[];
  /** Announcements of the release whose period lacuna cannot tell. */
  unmapped: number;
}

export function calendarChanges(f: CalendarReadFacts): CalendarChanges {
  const out: CalendarChanges = { versions: [], events: [], changes: [], unmapped: 0 };
  const byEntry = new Map(f.recorded.map((r) => [r.entry, r]));
  const listed = new Set(f.answered.map((a) => a.entry));
  const matched = new Set<string>();
  for (const a of f.answered) {
    const own = byEntry.get(a.entry);
    const period = own?.period ?? a.period;
    if (!period) { out.unmapped++; continue; }
    const before = own ?? f.recorded.find((r) => r.period === period && !listed.has(r.entry) && !matched.has(r.entry) && r.state === 'scheduled');
    if (before) matched.add(before.entry);
    compare(f, { ...a, period }, before ?? null, out);
  }
  if (f.complete) {
    for (const r of f.recorded) {
      if (listed.has(r.entry) || matched.has(r.entry) || r.state !== 'scheduled' || r.dueAt === null || r.dueAt <= f.now) continue;
      out.versions.push({ entry: r.entry, period: r.period, dueAt: null, dueLocal: null, state: 'removed', reason: null, source: `${f.calendarName}`, replaces: r.entry });
      out.changes.push({
        kind: 'removed', period: r.period, from: r.dueLocal, to: null, dueAt: r.dueAt, eventId: null,
        sentence: `${periodLabel(r.period, f.frequency)}, promised for ${r.dueLocal}, is no longer on the ${f.calendarName}; lacuna does not know whether it was moved or dropped`,
      });
    }
  }
  return out;
}

function compare(f: CalendarReadFacts, a: AnsweredPromise & { period: Period }, before: RecordedPromise | null, out: CalendarChanges): void {
  const source = `${f.calendarName}: ${a.title}`;
  const version = (over: Partial<PromiseVersion> = {}): PromiseVersion => ({
    entry: a.entry, period: a.period, dueAt: a.dueAt, dueLocal: a.dueLocal, state: 'scheduled', reason: a.reason, source, replaces: before?.entry ?? null, ...over,
  });
  if (a.state === 'cancelled') {
    if (before?.state === 'cancelled') return;
    if (!before && a.dueAt !== null) out.versions.push(version());
    out.versions.push(version({ dueAt: null, state: 'cancelled', replaces: before?.entry ?? (a.dueAt !== null ? a.entry : null) }));
    cancelled(f, a, before, out);
    return;
  }
  const earlier = before ?? (a.previous ? { entry: a.entry, period: a.period, dueAt: a.previous.dueAt, dueLocal: a.previous.dueLocal, state: 'scheduled' as const } : null);
  if (!before && a.previous) out.versions.push(version({ dueAt: a.previous.dueAt, dueLocal: a.previous.dueLocal, reason: null, replaces: null }));
  if (before && before.state === a.state && before.dueAt === a.dueAt && before.dueLocal === a.dueLocal && before.entry === a.entry) return;
  out.versions.push(version({ replaces: before?.entry ?? (a.previous ? a.entry : null) }));
  if (!earlier || earlier.dueAt === null || a.dueAt === null || earlier.dueAt === a.dueAt) return;
  const later = a.dueAt > earlier.dueAt;
  const event = later ? delayed(f, a, earlier) : null;
  if (event) out.events.push(event);
  out.changes.push({
    kind: later ? 'moved_later' : 'moved_earlier', period: a.period, from: earlier.dueLocal, to: a.dueLocal, dueAt: earlier.dueAt, eventId: event?.id ?? null,
    sentence: `${periodLabel(a.period, f.frequency)} moved ${later ? 'later' : 'earlier'} on the ${f.calendarName}: from ${earlier.dueLocal} to ${a.dueLocal}`,
  });
}

const readDay = (f: CalendarReadFacts) => formatDay(localDay(f.now, f.timeZone));

function citations(f: CalendarReadFacts) {
  return [
    { url: `/raw/${f.rawHash}`, title: `Archived answer of calendar read ${f.readId} (${f.url})`, publisher: 'lacuna' },
    { url: f.url, title: f.calendarName, publisher: f.calendarName },
  ];
}

function delayed(f: CalendarReadFacts, a: AnsweredPromise & { period: Period }, earlier: { dueAt: number | null; dueLocal: string | null }): CalendarEvent {
  const p = periodLabel(a.period, f.frequency);
  const note = a.reason ? ` The publisher's note: "${a.reason}".` : '';
  return {
    id: `${f.seriesId}.calendar.delayed.${a.period}.${a.dueAt === null ? 'undated' : localDateTime(a.dueAt, f.timeZone).replace(' ', 'T')}`,
    kind: 'delayed', date: readDay(f), period: a.period,
    title: `${p} release moved from ${earlier.dueLocal} to ${a.dueLocal} (${f.calendarName})`,
    description: `Inferred by lacuna from calendar read ${f.readId} of ${f.url}: the ${f.calendarName} had promised ${p} for ${earlier.dueLocal} and now promises it for ${a.dueLocal}.${note} The archived answer is the evidence.`,
    evidenceKind: 'inferred', confidence: 'partly_verified', citations: citations(f),
  };
}

function cancelled(f: CalendarReadFacts, a: AnsweredPromise & { period: Period }, before: RecordedPromise | null, out: CalendarChanges): void {
  const p = periodLabel(a.period, f.frequency);
  const reason = a.reason ? `The publisher's stated reason: "${a.reason}".` : 'The announcement states no reason.';
  const event: CalendarEvent = {
    id: `${f.seriesId}.calendar.cancelled.${a.period}`, kind: 'cancelled', date: a.cancelledOn ?? readDay(f), period: a.period,
    title: `${a.title}: release cancelled (${f.calendarName})`,
    description: `The ${f.calendarName} says the ${p} release will not be published. ${reason} Recorded by lacuna from calendar read ${f.readId} of ${f.url}; the archived answer is the evidence.`,
    evidenceKind: 'official_notice', confidence: 'verified', citations: citations(f),
  };
  out.events.push(event);
  out.changes.push({
    kind: 'cancelled', period: a.period, from: before?.dueLocal ?? a.dueLocal, to: null, dueAt: before?.dueAt ?? a.dueAt, eventId: event.id,
    sentence: `${p} release cancelled by the publisher (${f.calendarName}). ${reason}`,
  });
}
