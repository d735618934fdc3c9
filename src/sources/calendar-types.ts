// The release-calendar plug-in contract: a kind that reads a publisher's advance release calendar
// (the BLS schedule in iCalendar, GOV.UK statistics announcements) through the same HTTP client as
// the sources, and parses what it promises. Like a source plug-in it is pure: it builds requests
// and parses answers; src/fetch/calendar-read.ts reads, src/core/calendar-changes.ts compares and
// src/fetch/calendar-record.ts writes.
import type { z } from 'zod';
import type { Frequency, Period } from '../core/index.js';
import type { SourceAnswer, SourceRequest } from './types.js';

/** One announcement as the calendar gives it. */
export interface CalendarEntry {
  /** The publisher's id of the announcement (an iCalendar UID, a GOV.UK content id): its versions share it. */
  entry: string;
  /** What the publisher calls it ("Consumer Price Index", "Diagnostic imaging dataset for September 2015"). */
  title: string;
  /** The period, when the calendar states it; null: derived from the date by the block's `period` rule. */
  period: Period | null;
  /** The promised local date ('YYYY-MM-DD') and time ('HH:MM', null when none is given); null when no day is set. */
  date: string | null;
  time: string | null;
  /** The promise as the publisher wrote it ("20 January 2016 9:30am", "January 2016"). */
  written: string;
  /** cancelled: the publisher says the release will not happen. */
  state: 'scheduled' | 'cancelled';
  /** The publisher's stated reason (a cancellation's) or its latest change note. */
  reason: string | null;
  /** The date the publisher says it had promised before, when it says so (GOV.UK previous_display_date). */
  previous: { date: string; time: string | null; written: string } | null;
  /** The day the publisher says it cancelled ('YYYY-MM-DD'), when it says so. */
  cancelledOn: string | null;
}

export interface CalendarContext {
  /** The base URL to use: the environment's override, else the plug-in's default. */
  baseUrl: string;
  frequency: Frequency;
  /** The zone the calendar's times are read in when it names none lacuna knows (the block's or the publisher's). */
  timeZone: string;
}

export interface CalendarPlugin<Ref = unknown> {
  /** The `kind` of a series' `calendar:` block. */
  kind: string;
  /** The calendar as a reader names it ("BLS release calendar"). */
  name: string;
  /** The rest of the `calendar:` block, validated at catalogue load. */
  ref: z.ZodType<Ref>;
  defaultBaseUrl: string | null;
  /**
   * Whether an answer lists every announcement of the release it covers: an entry that vanishes
   * from it before its date was removed from the calendar. A calendar read one announcement at a
   * time (GOV.UK) is not complete.
   */
  complete: boolean;
  /** The requests of one read, in order (one per announcement for a calendar read item by item). */
  requests(ref: Ref, ctx: CalendarContext): SourceRequest[];
  /** What one answer holds of the release the block asks for; throws SourceError for an answer it cannot read. */
  parse(answer: Pick<SourceAnswer, 'text' | 'url'>, ref: Ref, ctx: CalendarContext): { entries: CalendarEntry[]; others: number };
  /** The period of an entry the calendar does not date by period, under the block's rule; null when it cannot say. */
  periodOf(entry: CalendarEntry, ref: Ref, ctx: CalendarContext): Period | null;
}
