// The BLS economic news release schedule in iCalendar (RFC 5545):
// `GET https://www.bls.gov/schedule/news_release/bls.ics`. One VEVENT per release: `UID`,
// `DTSTART;TZID=US-Eastern:20251024T083000`, `SUMMARY` (the release's name). It names no period,
// carries no STATUS, and a re-dated release simply appears at its new date (research, section 3):
// the block's `period` rule says which period a release date is for (`previous`: a monthly release
// in October is September's), and lacuna tells a move from a new entry by its UID or its period.
// `TZID=US-Eastern` is BLS's own name for a VTIMEZONE block, not an IANA zone: such a time is read
// in the block's time_zone, by default the publisher's (America/New_York for BLS).
import { z } from 'zod';
import { isValidTimeZone, localDateTime, localToUtc, parseDay, periodOf, shiftPeriod, type Period } from '../core/index.js';
import { malformed, unexpectedShape } from './errors.js';
import type { CalendarContext, CalendarEntry, CalendarPlugin } from './calendar-types.js';

export const blsIcsRef = z.strictObject({
  /** The SUMMARY of the release, exactly as the calendar writes it ("Consumer Price Index"). */
  release: z.string().trim().min(1),
  /** A release date is for the period before the one it falls in (previous), or for that one (same). */
  period: z.enum(['previous', 'same']).default('previous'),
  /** The path of the calendar on the base URL. */
  path: z.string().regex(/^\/[^\s]*$/, 'a path starting with /').default('/schedule/news_release/bls.ics'),
});
export type BlsIcsRef = z.infer<typeof blsIcsRef>;

interface Property { name: string; params: Record<string, string>; value: string }

/** Content lines with folded continuations joined (a line starting with a space or tab continues the one before). */
function contentLines(text: string): string[] {
  return text.replace(/\r\n|\r/g, '\n').replace(/\n[ \t]/g, '').split('\n').filter((l) => l.length > 0);
}

function property(line: string): Property | null {
  const colon = line.search(/:(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  if (colon <= 0) return null;
  const [name, ...params] = line.slice(0, colon).split(';');
  return {
    name: name!.toUpperCase(),
    params: Object.fromEntries(params.map((p) => { const [k, v = ''] = p.split('='); return [k!.toUpperCase(), v.replace(/^"|"$/g, '')]; })),
    value: line.slice(colon + 1),
  };
}

const unescapeText = (s: string) => s.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c)).trim();

/** The VEVENTs of a calendar, each as its properties by name; throws for what is not a whole iCalendar. */
function events(text: string, what: string): Map<string, Property>[] {
  const lines = contentLines(text);
  if (!lines.length || lines[0]!.trim().toUpperCase() !== 'BEGIN:VCALENDAR') {
    const start = text.trimStart().slice(0, 60).replace(/\s+/g, ' ');
    throw malformed(`${what}: not an iCalendar (no BEGIN:VCALENDAR)${/^<(!doctype|html)/i.test(text.trimStart()) ? ', an HTML page' : ''}; starts ${JSON.stringify(start)}`);
  }
  if (!lines.some((l) => l.trim().toUpperCase() === 'END:VCALENDAR')) throw malformed(`${what}: truncated iCalendar (no END:VCALENDAR)`);
  const out: Map<string, Property>[] = [];
  let open: Map<string, Property> | null = null;
  for (const line of lines) {
    const upper = line.trim().toUpperCase();
    if (upper === 'BEGIN:VEVENT') { open = new Map(); continue; }
    if (upper === 'END:VEVENT') { if (open) out.push(open); open = null; continue; }
    if (!open) continue;
    const p = property(line);
    if (p && !open.has(p.name)) open.set(p.name, p);
  }
  return out;
}

/** DTSTART as a local date and time in the calendar's zone: TZID-qualified, UTC (Z) or a whole day. */
function start(p: Property, ctx: CalendarContext, what: string): { date: string; time: string | null } {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(p.value.trim());
  if (!m) throw unexpectedShape(`${what}: DTSTART ${JSON.stringify(p.value)} is not an iCalendar date or date-time`);
  const [, y, mo, d, h, mi, , utc] = m;
  const date = `${y}-${mo}-${d}`;
  try {
    parseDay(date);
  } catch {
    throw unexpectedShape(`${what}: DTSTART ${p.value}: no such date`);
  }
  if (h === undefined || p.params.VALUE === 'DATE') return { date, time: null };
  const time = `${h}:${mi}`;
  const zone = p.params.TZID && isValidTimeZone(p.params.TZID) ? p.params.TZID : null;
  // A time in another zone (UTC, or an IANA TZID) is carried over to the calendar's wall clock.
  const instant = utc ? Date.parse(`${date}T${time}:00Z`) : zone && zone !== ctx.timeZone ? localToUtc(parseDay(date), time, zone) : null;
  if (instant === null) return { date, time };
  const local = localDateTime(instant, ctx.timeZone);
  return { date: local.slice(0, 10), time: local.slice(11) };
}

function parse(answer: { text: string; url: string }, ref: BlsIcsRef, ctx: CalendarContext): { entries: CalendarEntry[]; others: number } {
  const what = `BLS release calendar (${ref.release})`;
  const entries: CalendarEntry[] = [];
  let others = 0;
  for (const e of events(answer.text, what)) {
    const summary = e.get('SUMMARY');
    if (!summary) throw unexpectedShape(`${what}: an event without SUMMARY`);
    if (unescapeText(summary.value) !== ref.release) { others++; continue; }
    const uid = e.get('UID')?.value.trim();
    const dtstart = e.get('DTSTART');
    if (!uid || !dtstart) throw unexpectedShape(`${what}: an event of ${ref.release} without ${uid ? 'DTSTART' : 'UID'}`);
    const { date, time } = start(dtstart, ctx, what);
    entries.push({
      entry: uid, title: ref.release, period: null, date, time, written: dtstart.value.trim(),
      state: e.get('STATUS')?.value.trim().toUpperCase() === 'CANCELLED' ? 'cancelled' : 'scheduled',
      reason: null, previous: null, cancelledOn: null,
    });
  }
  return { entries, others };
}

/** The period a release date is for, under the block's rule. */
function periodFor(entry: CalendarEntry, ref: BlsIcsRef, ctx: CalendarContext): Period | null {
  if (!entry.date) return null;
  const own = periodOf(parseDay(entry.date), ctx.frequency);
  return ref.period === 'same' ? own : shiftPeriod(own, ctx.frequency, -1);
}

export const blsIcs: CalendarPlugin<BlsIcsRef> = {
  kind: 'bls_ics',
  name: 'BLS release calendar',
  ref: blsIcsRef,
  defaultBaseUrl: 'https://www.bls.gov',
  complete: true,
  requests: (ref, ctx) => [{ url: `${ctx.baseUrl.replace(/\/+$/, '')}${ref.path}`, headers: { accept: 'text/calendar' } }],
  parse,
  periodOf: periodFor,
};
