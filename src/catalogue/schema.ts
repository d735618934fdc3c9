// The catalogue file format (YAML), validated with zod. Field names are snake_case as users write them.
import { z } from 'zod';
import { CONFIDENCES, EVENT_KINDS, EVIDENCE_KINDS, FREQUENCIES } from '../core/types.js';
import { SOURCE_ROLES } from '../core/source-freshness.js';
import { isValidTimeZone } from '../core/zoned-time.js';
import { parseDay } from '../core/period.js';
import { countryProblem } from '../core/country.js';

/** Why a string is not a calendar date written YYYY-MM-DD ('2023-13-45': no such date), or null. */
export function dateProblem(s: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return 'dates are written YYYY-MM-DD';
  try {
    parseDay(s);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Why a release calendar's YYYY-MM-DD or YYYY-MM-DDTHH:MM is not a real date and time of day, or null. */
export function releaseDateProblem(s: string): string | null {
  const [day, time] = s.split('T');
  const problem = dateProblem(day!);
  if (problem) return problem;
  const hm = time === undefined ? null : /^(\d{2}):(\d{2})$/.exec(time);
  if (time !== undefined && (!hm || +hm[1]! > 23 || +hm[2]! > 59)) return `no such time of day: ${time}`;
  return null;
}

const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'ids use lower-case letters, digits, ".", "_" and "-"');
const date = z.string().refine((s) => dateProblem(s) === null, { error: (issue) => dateProblem(String(issue.input)) ?? '' });
const timeZone = z.string().refine(isValidTimeZone, 'not a time zone (use an IANA name such as Asia/Shanghai)');
/** YAML reads 2018 as a number; periods are strings. */
const period = z.union([z.string(), z.number().int()]).transform(String);
const url = z.url({ protocol: /^https?$/, error: 'not an http(s) URL' });
/** An ISO 3166-1 alpha-2 code (CN, US, GB; EU for the European Union). */
const country = z.string().refine((s) => countryProblem(s) === null, { error: (issue) => countryProblem(String(issue.input)) ?? '' });

export const publisherSchema = z.strictObject({
  id,
  name: z.string().min(1),
  name_local: z.string().optional(),
  url: url.optional(),
  time_zone: timeZone,
  /** The country whose statistics it publishes; left out for an international body (IMF, World Bank). */
  country: country.optional(),
});

export const citationSchema = z.strictObject({
  url,
  title: z.string().min(1),
  publisher: z.string().min(1),
  date: date.optional(),
  quote: z.string().optional(),
});

export const eventSchema = z.strictObject({
  id,
  kind: z.enum(EVENT_KINDS),
  date,
  date_approximate: z.boolean().default(false),
  periods: z.strictObject({ from: period, to: period.optional() }).optional(),
  title: z.string().min(1),
  description: z.string().optional(),
  evidence_kind: z.enum(EVIDENCE_KINDS),
  confidence: z.enum(CONFIDENCES),
  citations: z.array(citationSchema).min(1, 'an event needs at least one citation'),
});

export const releaseSchema = z.strictObject({
  lag_days: z.number().int().min(0).max(800),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time is HH:MM (24 h)').default('00:00'),
  time_zone: timeZone.optional(),
  grace_days: z.number().int().min(0).max(365).default(7),
  /** true: January is folded into February's figure; both: into a figure of neither month. */
  jan_feb_combined: z.union([z.boolean(), z.literal('both')], { error: 'jan_feb_combined is true, false or both' }).default(false),
  calendar: z.record(z.string(), z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/, 'calendar dates are YYYY-MM-DD or YYYY-MM-DDTHH:MM')).default({}),
  /** Where the rule comes from (the publisher's statement), when one is known. */
  citation: citationSchema.optional(),
  /** A daily series published on business days: the holiday file (catalogue/holidays/<id>.yaml) of its publisher. */
  business_days: id.optional(),
});

/**
 * A `source:` block: the kind and its own fields (checked by the plug-in), and what every kind
 * takes: the role of the source (official, the default; secondary: another publisher's table of
 * the same figures; mirror: a redistributor) and a period window (since, until; inclusive).
 */
export const sourceBlockSchema = z.looseObject({
  kind: z.string().min(1),
  role: z.enum(SOURCE_ROLES).optional(),
  since: period.optional(),
  until: period.optional(),
});
export type SourceBlock = z.infer<typeof sourceBlockSchema>;

/**
 * A `calendar:` block: the publisher's release calendar that promises the series' periods, its
 * kind and the kind's own fields (checked by the calendar plug-in), and the zone its times are
 * read in when the calendar names none lacuna knows (by default the publisher's).
 */
export const calendarBlockSchema = z.looseObject({
  kind: z.string().min(1),
  time_zone: timeZone.optional(),
});
export type CalendarBlock = z.infer<typeof calendarBlockSchema>;

export const seriesSchema = z.strictObject({
  id,
  publisher: id,
  /** The country the series is about, when it is not its publisher's (an IMF series about China). */
  country: country.optional(),
  title: z.string().min(1),
  title_local: z.string().optional(),
  description: z.string().optional(),
  unit: z.string().min(1),
  frequency: z.enum(FREQUENCIES),
  topics: z.array(z.string().min(1)).default([]),
  grid_from: period,
  /** From this period on, lacuna's record is complete: an absent value is a real gap. Default grid_from. */
  /** A period, or `first_read`: complete from the first period a live read brought (a latest-only source). */
  record_from: period.optional(),
  /** The bundled record is known complete up to this period (a snapshot's last period). */
  checked_through: period.optional(),
  release: releaseSchema,
  successor: id.optional(),
  proxies: z.array(id).default([]),
  /** A CSV file of values, relative to the catalogue folder. */
  values: z.string().optional(),
  source: sourceBlockSchema.optional(),
  /** Several sources in order of preference: the first that answers, fresh, is recorded. */
  sources: z.array(sourceBlockSchema).min(1, 'sources needs at least one source block').optional(),
  /** The publisher's release calendar: its promises become the periods' due dates. */
  calendar: calendarBlockSchema.optional(),
  notes: z.string().optional(),
  events: z.array(eventSchema).default([]),
}).refine((s) => !(s.source && s.sources), { path: ['sources'], message: 'give either source or sources, not both' });

/** Political and holiday events drawn on charts (calendar.yaml), each with a citation. */
export const CALENDAR_KINDS = ['party_congress', 'plenum', 'two_sessions', 'holiday', 'other'] as const;
export const calendarEntrySchema = z.strictObject({
  id,
  kind: z.enum(CALENDAR_KINDS),
  title: z.string().min(1),
  /** Local dates in Asia/Shanghai, inclusive. */
  from: date,
  to: date,
  citations: z.array(citationSchema).min(1, 'a calendar entry needs at least one citation'),
});
export const calendarFileSchema = z.strictObject({ calendar: z.array(calendarEntrySchema).default([]) });
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;

/** A publisher's holidays (catalogue/holidays/<id>.yaml): each date cites the notice that gives it. */
export const holidayFileSchema = z.strictObject({
  id,
  title: z.string().min(1),
  citations: z.record(z.string().min(1), citationSchema),
  dates: z.array(z.strictObject({ date, name: z.string().min(1), citation: z.string().min(1) })).min(1, 'a holiday file needs at least one date'),
});
export type HolidayFile = z.infer<typeof holidayFileSchema>;

export const publishersFileSchema = z.strictObject({ publishers: z.array(publisherSchema).min(1) });
export const seriesFileSchema = z.strictObject({ series: z.array(seriesSchema).min(1) });

export type PublisherEntry = z.infer<typeof publisherSchema>;
export type SeriesEntry = z.infer<typeof seriesSchema>;
export type EventEntry = z.infer<typeof eventSchema>;
export type CitationEntry = z.infer<typeof citationSchema>;

/** The columns of a values CSV (the same as the bundled data files). */
export const VALUE_COLUMNS = ['series_id', 'period', 'value', 'unit', 'source_repo', 'source_path'] as const;
