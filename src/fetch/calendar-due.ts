// Which series' release calendars are due for a read (src/core/poll.ts nextCalendarReadAt): a
// calendar is read every six hours, and after failures with the same backoff as a source.
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { calendarReads, series } from '../../db/schema.js';
import { nextCalendarReadAt } from '../core/index.js';

/** How many of a calendar's latest reads are looked at to count its failures in a row. */
const WINDOW = 12;

export function dueForCalendar(db: Db, now: number): string[] {
  const ids = db.select({ id: series.id }).from(series)
    .where(and(isNotNull(series.calendar), isNull(series.retractedAt))).orderBy(series.id).all().map((r) => r.id);
  return ids.filter((id) => {
    const reads = db.select({ outcome: calendarReads.outcome, finishedAt: calendarReads.finishedAt }).from(calendarReads)
      .where(and(eq(calendarReads.seriesId, id), isNotNull(calendarReads.finishedAt))).orderBy(desc(calendarReads.id)).limit(WINDOW).all();
    let failures = 0;
    while (failures < reads.length && reads[failures]!.outcome === 'failed') failures++;
    return nextCalendarReadAt(reads[0]?.finishedAt ?? null, failures) <= now;
  });
}
