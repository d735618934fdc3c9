// Recomputes series status with the core, stores the evaluation for the pages (series_grids) and
// records every change as a flip.
// `due` asks only for series whose next_check_at has come (indexed), never scans everything.
import { inArray, isNull, lte, or } from 'drizzle-orm';
import { perConnection, type Db } from '../db/client.js';
import { eventFacts, seriesFacts, type SeriesRow } from '../db/facts.js';
import { flips, series } from '../db/schema.js';
import {
  alertsOn, DEFAULT_ALERT_OPTIONS, detectFlip, encodeEvaluation, evaluateSeries, type AlertOptions, type Flip, type Frequency,
} from './core/index.js';
import { enqueue } from './alerts/outbox.js';

export interface RecordedFlip extends Flip {
  id: number;
  seriesId: string;
  at: number;
}

export type Selection = { kind: 'all' } | { kind: 'due' } | { kind: 'ids'; ids: string[] };

export function evaluateSeriesInStore(
  db: Db, selection: Selection, now: number, opts: AlertOptions = DEFAULT_ALERT_OPTIONS,
): { evaluated: number; flips: RecordedFlip[] } {
  const where =
    selection.kind === 'due' ? or(isNull(series.nextCheckAt), lte(series.nextCheckAt, now))
    : selection.kind === 'ids' ? inArray(series.id, selection.ids)
    : undefined;
  const rows = db.select().from(series).where(where).all();
  const evts = eventFacts(db, rows.map((r) => r.id));
  const recorded: RecordedFlip[] = [];
  db.transaction((tx) => {
    for (const row of rows) {
      const flip = evaluateOne(tx as unknown as Db, row, evts.get(row.id) ?? [], now, opts);
      if (flip) recorded.push(flip);
    }
  });
  return { evaluated: rows.length, flips: recorded };
}

// Run for every series of a full recompute.
const statements = perConnection((_db, client) => ({
    status: client.prepare(
      'UPDATE series SET status = ?, status_reason = ?, status_changed_at = ?, last_disclosed = ?, dark_since = ?, dark_since_due_at = ?, next_check_at = ?, evaluated_at = ? WHERE id = ?',
    ),
    grid: client.prepare(
      // changed_at moves only when the evaluation differs: re-reading an unchanged series is not news.
      'INSERT INTO series_grids (series_id, evaluated_at, valid_until, changed_at, evaluation) VALUES (?, ?, ?, ?, ?) '
      + 'ON CONFLICT (series_id) DO UPDATE SET evaluated_at = excluded.evaluated_at, valid_until = excluded.valid_until, '
      + 'changed_at = CASE WHEN series_grids.evaluation = excluded.evaluation THEN series_grids.changed_at ELSE excluded.changed_at END, '
      + 'evaluation = excluded.evaluation',
    ),
}));

function evaluateOne(db: Db, row: SeriesRow, evts: Parameters<typeof seriesFacts>[2], now: number, opts: AlertOptions): RecordedFlip | null {
  const ev = evaluateSeries(seriesFacts(db, row, evts), now, row.title);
  const flip = detectFlip(row.status as Flip['from'], ev);
  const st = statements(db);
  // The next check comes when anything in the evaluation could change (stableUntil is at or
  // before nextCheckAt), so the stored copy is refreshed before it stops being exact.
  st.status.run(
    ev.status, ev.reason, flip ? now : row.statusChangedAt, ev.lastDisclosed, ev.darkSince?.period ?? null,
    ev.darkSince?.dueAt ?? null, ev.stableUntil, now, row.id,
  );
  st.grid.run(row.id, now, ev.stableUntil, now, encodeEvaluation(ev, row.frequency as Frequency));
  if (!flip) return null;
  const latest = ev.grid.findLast((c) => c.state !== 'not_due' && c.state !== 'not_expected' && c.state !== 'unknown');
  const evidence = {
    period: ev.darkSince?.period ?? latest?.period ?? null,
    dueAt: ev.darkSince?.dueAt ?? latest?.dueAt ?? null,
    eventIds: [...new Set(ev.grid.flatMap((c) => (c.eventId ? [c.eventId] : [])))],
  };
  // A snoozed series still records its flips; it just does not alert until the snooze ends.
  const snoozed = row.snoozedUntil !== null && row.snoozedUntil > now;
  const alert = alertsOn(flip.from, flip.to, opts) && !snoozed;
  const inserted = db.insert(flips).values({
    kind: 'status', seriesId: row.id, publisherId: row.publisherId, alert, at: now, fromStatus: flip.from, toStatus: flip.to,
    reason: flip.reason, resumed: flip.resumed, breakAt: flip.breakAt, evidence: JSON.stringify({ ...evidence, ...(snoozed ? { snoozed: true } : {}) }),
  }).returning({ id: flips.id }).get();
  if (alert) enqueue(db, inserted.id, { seriesId: row.id, publisherId: row.publisherId, topics: JSON.parse(row.topics) as string[] }, now);
  return { ...flip, id: inserted.id, seriesId: row.id, at: now };
}
