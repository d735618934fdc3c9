// Recomputes series status with the core, stores the evaluation for the pages (series_grids) with
// the API's observations answer, and records every change as a flip.
// `due` asks only for series whose next_check_at has come (indexed), never scans everything.
import { gzipSync } from 'node:zlib';
import { and, inArray, isNull, lte, or } from 'drizzle-orm';
import { perConnection, type Db } from '../../db/client.js';
import { eventFacts, seriesFacts, type SeriesRow } from '../read/facts.js';
import { flips, series } from '../../db/schema.js';
import {
  alertsOn, DEFAULT_ALERT_OPTIONS, detectFlip, encodeEvaluation, evaluateSeries, gridColumns, type AlertOptions, type Flip, type Frequency, type SeriesEvaluation,
} from '../core/index.js';
import { columnsCsv, observationsJson } from '../formats/grid-format.js';
import { enqueue } from '../alerts/outbox.js';

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
  const rows = db.select().from(series).where(and(isNull(series.retractedAt), where)).all();
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
    // Compared in SQL: the stored evaluation (tens of KB) is not read back to be compared.
    stored: client.prepare(
      'SELECT g.evaluation = ? AS same, g.changed_at AS changedAt, a.series_id IS NOT NULL AS answered FROM series_grids g '
      + 'LEFT JOIN series_answers a ON a.series_id = g.series_id WHERE g.series_id = ?',
    ),
    // The same evaluation again: it holds longer, and changed_at stays (re-reading is not news).
    extend: client.prepare('UPDATE series_grids SET evaluated_at = ?, valid_until = ? WHERE series_id = ?'),
    grid: client.prepare(
      'INSERT OR REPLACE INTO series_grids (series_id, evaluated_at, valid_until, changed_at, evaluation) VALUES (?, ?, ?, ?, ?)',
    ),
    answer: client.prepare('INSERT OR REPLACE INTO series_answers (series_id, observations_gz, csv_gz) VALUES (?, ?, ?)'),
}));

// Level 1: a tenth the size of the text at a third of the default level's time.
const gz = (text: string) => gzipSync(text, { level: 1 });

/** What the API and the export answer for an evaluation, compressed once here rather than on every request. */
function answers(row: SeriesRow, ev: SeriesEvaluation): [observations: Buffer, csv: Buffer] {
  const frequency = row.frequency as Frequency;
  return [
    gz(observationsJson({ seriesId: row.id, unit: row.unit, frequency, asOf: null }, ev.grid)),
    gz(columnsCsv(row.id, gridColumns(ev.grid, frequency))),
  ];
}

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
  const text = encodeEvaluation(ev, row.frequency as Frequency);
  const prior = st.stored.get(text, row.id) as { same: number; changedAt: number; answered: number } | undefined;
  const same = prior?.same === 1;
  if (same && prior.answered) st.extend.run(now, ev.stableUntil, row.id);
  else {
    st.grid.run(row.id, now, ev.stableUntil, same ? prior!.changedAt : now, text);
    st.answer.run(row.id, ...answers(row, ev));
  }
  if (!flip) return null;
  const latest = ev.grid.findLast((c) => c.state !== 'not_due' && c.state !== 'not_expected' && c.state !== 'unknown');
  const eventIds = [...new Set(ev.grid.flatMap((c) => (c.eventId ? [c.eventId] : [])))];
  // A snoozed series still records its flips; it just does not alert until the snooze ends.
  const snoozed = row.snoozedUntil !== null && row.snoozedUntil > now;
  const alert = alertsOn(flip.from, flip.to, opts) && !snoozed;
  const inserted = db.insert(flips).values({
    kind: 'status', seriesId: row.id, publisherId: row.publisherId, alert, at: now, fromStatus: flip.from, toStatus: flip.to,
    reason: flip.reason, resumed: flip.resumed, breakAt: flip.breakAt,
    period: ev.darkSince?.period ?? latest?.period ?? null, dueAt: ev.darkSince?.dueAt ?? latest?.dueAt ?? null,
    eventIds: JSON.stringify(eventIds), snoozed,
  }).returning({ id: flips.id }).get();
  if (alert) enqueue(db, inserted.id, { seriesId: row.id, publisherId: row.publisherId, topics: JSON.parse(row.topics) as string[] }, now);
  return { ...flip, id: inserted.id, seriesId: row.id, at: now };
}
