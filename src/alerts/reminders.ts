// Reminders while a series stays dark (off by default): a reminder flip every N days after the
// last alert about the series, delivered like any other alert.
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { flips, series } from '../../db/schema.js';
import { DARK_STATUSES } from '../core/index.js';
import { enqueue } from './outbox.js';

const DAY = 86_400_000;

export function remindDark(db: Db, now: number, everyDays: number): number {
  if (everyDays <= 0) return 0;
  let n = 0;
  const dark = db.select().from(series).where(and(inArray(series.status, [...DARK_STATUSES]), isNull(series.retractedAt))).all();
  db.transaction((tx) => {
    for (const s of dark) {
      if (s.paused || (s.snoozedUntil !== null && s.snoozedUntil > now)) continue;
      const last = tx.select().from(flips).where(and(eq(flips.seriesId, s.id), eq(flips.alert, true)))
        .orderBy(desc(flips.at)).limit(1).get();
      // Only a series lacuna alerted about is reminded of; the first evaluation never alerts.
      if (!last || now - last.at < everyDays * DAY) continue;
      const f = tx.insert(flips).values({
        kind: 'reminder', seriesId: s.id, publisherId: s.publisherId, alert: true, at: now,
        fromStatus: s.status, toStatus: s.status, reason: s.statusReason ?? s.status,
        period: last.period, dueAt: last.dueAt, eventIds: last.eventIds,
      }).returning({ id: flips.id }).get();
      enqueue(tx as unknown as Db, f.id, { seriesId: s.id, publisherId: s.publisherId, topics: JSON.parse(s.topics) as string[] }, now);
      n++;
    }
  });
  return n;
}
