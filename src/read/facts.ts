// Reads what the core needs about a series from the store: the SeriesFacts of src/core.
import { asc, inArray } from 'drizzle-orm';
import { dueAt } from '../core/release.js';
import type { EventFact, Frequency, ObservationFact, ReleaseRule, SeriesFacts } from '../core/types.js';
import { perConnection, type Db } from '../../db/client.js';
import { events, observations, series } from '../../db/schema.js';

export type SeriesRow = typeof series.$inferSelect;

export interface StoredRelease extends ReleaseRule {
  citation?: { url: string; title: string; publisher: string; date?: string; quote?: string } | null;
}

export function releaseOf(row: SeriesRow): StoredRelease {
  return JSON.parse(row.releaseRule) as StoredRelease;
}

/**
 * When a stored figure became known: its documented release date if a source gives one; for
 * bundled or imported history, the scheduled release date (lacuna did not watch it happen);
 * otherwise the moment lacuna first saw it.
 */
export function knownAt(o: Pick<typeof observations.$inferSelect, 'releasedAt' | 'origin' | 'period' | 'firstSeenAt'>, f: Frequency, rule: ReleaseRule): number {
  if (o.releasedAt !== null) return o.releasedAt;
  if (o.origin === 'bundle' || o.origin === 'import') return dueAt(o.period, f, rule);
  return o.firstSeenAt;
}

// Read for every series at every status check, rows as arrays.
const statements = perConnection((_db, client) => ({
    current: client.prepare(
      'SELECT period, value, value_text, first_seen_at, released_at, origin, withdrawn_at FROM observations WHERE series_id = ? AND superseded_at IS NULL ORDER BY period',
    ).raw(),
    revised: client.prepare('SELECT DISTINCT period FROM observations WHERE series_id = ? AND superseded_at IS NOT NULL').pluck(),
}));

type CurrentRow = [string, number | null, string, number, number | null, string, number | null];

export function observationFacts(db: Db, row: SeriesRow): ObservationFact[] {
  const f = row.frequency as Frequency;
  const rule = releaseOf(row);
  const st = statements(db);
  const revised = new Set(st.revised.all(row.id) as string[]);
  return (st.current.all(row.id) as CurrentRow[]).map(([period, value, valueText, firstSeenAt, releasedAt, origin, withdrawnAt]) => ({
    period,
    value,
    valueText,
    // A bundled value was not seen by lacuna's recorder: its load time is no "first seen" date.
    firstSeenAt: origin === 'bundle' ? null : firstSeenAt,
    knownAt: knownAt({ releasedAt, origin, period, firstSeenAt }, f, rule),
    revised: revised.has(period),
    withdrawn: withdrawnAt !== null,
  }));
}

export function eventFacts(db: Db, seriesIds: string[]): Map<string, EventFact[]> {
  const out = new Map<string, EventFact[]>();
  if (!seriesIds.length) return out;
  const rows = db.select().from(events).where(inArray(events.seriesId, seriesIds)).orderBy(asc(events.date)).all();
  for (const e of rows) {
    if (!out.has(e.seriesId)) out.set(e.seriesId, []);
    out.get(e.seriesId)!.push({
      id: e.id, kind: e.kind as EventFact['kind'], date: e.date, from: e.periodFrom, to: e.periodTo, title: e.title,
    });
  }
  return out;
}

export function seriesFacts(db: Db, row: SeriesRow, evts?: EventFact[]): SeriesFacts {
  return {
    frequency: row.frequency as Frequency,
    release: releaseOf(row),
    gridFrom: row.gridFrom,
    recordFrom: row.recordFrom,
    checkedAt: row.checkedAt,
    paused: row.paused,
    observations: observationFacts(db, row),
    events: evts ?? eventFacts(db, [row.id]).get(row.id) ?? [],
  };
}
