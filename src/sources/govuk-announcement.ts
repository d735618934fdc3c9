// GOV.UK statistics announcements, read one content item at a time from the content API:
// `GET https://www.gov.uk/api/content/government/statistics/announcements/<slug>`. Schema
// `statistics_announcement`: `title` (which names the period: "... for September 2015"),
// `details.display_date` ("20 January 2016 9:30am", or a window such as "January 2016" while
// provisional), `details.state` (provisional, confirmed or cancelled), and, when they apply,
// `previous_display_date` and `latest_change_note` (a date change) or `cancelled_at` and
// `cancellation_reason` (a cancellation must state one, under the UK Code of Practice). A window
// is no dated promise: lacuna records it as written and infers no lateness from it.
import { z } from 'zod';
import { localDay, formatDay, type Period } from '../core/index.js';
import { parseJson, unexpectedShape } from './errors.js';
import type { CalendarContext, CalendarEntry, CalendarPlugin } from './calendar-types.js';

export const govukAnnouncementRef = z.strictObject({
  /** The announcements' paths on GOV.UK, each /government/statistics/announcements/<slug>. */
  paths: z.array(z.string().regex(/^\/government\/statistics\/announcements\/[a-z0-9-]+$/, 'a path /government/statistics/announcements/<slug>'))
    .min(1, 'paths needs at least one announcement'),
  /** The period is the one the announcement's title names (the only rule: GOV.UK titles name it). */
  period: z.literal('title').default('title'),
});
export type GovukAnnouncementRef = z.infer<typeof govukAnnouncementRef>;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATES = new Set(['provisional', 'confirmed', 'cancelled']);

/** "20 January 2016 9:30am" as a local date and time; null for anything else (a window, "January 2016"). */
export function displayDate(s: string): { date: string; time: string | null } | null {
  const m = /^(\d{1,2}) ([A-Za-z]+) (\d{4})(?: (\d{1,2})(?::(\d{2}))?(am|pm))?$/.exec(s.trim());
  const month = m ? MONTHS.indexOf(m[2]!.toLowerCase()) : -1;
  if (!m || month < 0) return null;
  const date = `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  if (new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) return null;
  if (m[4] === undefined) return { date, time: null };
  const hour = (+m[4] % 12) + (m[6] === 'pm' ? 12 : 0);
  return { date, time: `${String(hour).padStart(2, '0')}:${m[5] ?? '00'}` };
}

/** The period a title names: its last "<Month> <year>" for a monthly series, its last year for an annual one. */
export function titlePeriod(title: string, f: CalendarContext['frequency']): Period | null {
  if (f === 'monthly') {
    const all = [...title.matchAll(/\b([A-Za-z]+) (\d{4})\b/g)].filter((m) => MONTHS.includes(m[1]!.toLowerCase()));
    const last = all.at(-1);
    return last ? `${last[2]}-${String(MONTHS.indexOf(last[1]!.toLowerCase()) + 1).padStart(2, '0')}` : null;
  }
  if (f === 'annual') return [...title.matchAll(/\b(\d{4})\b/g)].at(-1)?.[1] ?? null;
  return null;
}

function parse(answer: { text: string; url: string }, _ref: GovukAnnouncementRef, ctx: CalendarContext): { entries: CalendarEntry[]; others: number } {
  const what = `GOV.UK statistics announcement ${answer.url}`;
  const doc = parseJson(answer.text, what);
  if (!isObject(doc)) throw unexpectedShape(`${what}: the answer is not a JSON object`);
  // Another schema is no announcement (once the statistics are out, GOV.UK sends the announcement's
  // path to the publication): it holds none, and a read that finds no announcement fails as absent.
  if (typeof doc.schema_name === 'string' && doc.schema_name !== 'statistics_announcement') return { entries: [], others: 1 };
  if (doc.schema_name !== 'statistics_announcement') throw unexpectedShape(`${what}: no schema_name`);
  const d = doc.details;
  if (!isObject(d) || typeof d.display_date !== 'string' || typeof d.state !== 'string' || !STATES.has(d.state)) {
    throw unexpectedShape(`${what}: no details with a display_date and a state (provisional, confirmed or cancelled)`);
  }
  if (typeof doc.content_id !== 'string' || typeof doc.title !== 'string') throw unexpectedShape(`${what}: no content_id and title`);
  const when = displayDate(d.display_date);
  if (!when && !/\b\d{4}\b/.test(d.display_date)) throw unexpectedShape(`${what}: display_date ${JSON.stringify(d.display_date)} is neither a date nor a window`);
  const previous = typeof d.previous_display_date === 'string' ? displayDate(d.previous_display_date) : null;
  const cancelledAt = typeof d.cancelled_at === 'string' ? Date.parse(d.cancelled_at) : NaN;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  return {
    entries: [{
      entry: doc.content_id, title: doc.title, period: titlePeriod(doc.title, ctx.frequency),
      date: when?.date ?? null, time: when?.time ?? null, written: d.display_date,
      state: d.state === 'cancelled' ? 'cancelled' : 'scheduled',
      reason: d.state === 'cancelled' ? text(d.cancellation_reason) : text(d.latest_change_note),
      previous: previous && typeof d.previous_display_date === 'string' ? { ...previous, written: d.previous_display_date } : null,
      cancelledOn: Number.isNaN(cancelledAt) ? null : formatDay(localDay(cancelledAt, ctx.timeZone)),
    }],
    others: 0,
  };
}

export const govukAnnouncement: CalendarPlugin<GovukAnnouncementRef> = {
  kind: 'govuk_announcement',
  name: 'GOV.UK statistics announcement',
  ref: govukAnnouncementRef,
  defaultBaseUrl: 'https://www.gov.uk',
  complete: false,
  requests: (ref, ctx) => ref.paths.map((p) => ({ url: `${ctx.baseUrl.replace(/\/+$/, '')}/api/content${p}`, headers: { accept: 'application/json' } })),
  parse,
  periodOf: (entry) => entry.period,
};
