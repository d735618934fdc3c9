// Reads what the core needs about a series from the store: the SeriesFacts of src/core.
import { asc, eq, inArray } from 'drizzle-orm';
import { dueAt } from '../src/core/release.js';
import type { EventFact, Frequency, ObservationFact, ReleaseRule, SeriesFacts } from '../src/core/types.js';
import type { Db } from './client.js';
import { events, observations, series } from './schema.js';

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
export function knownAt(o: typeof observations.$inferSelect, f: Frequency, rule: ReleaseRule): number {
  if (o.releasedAt !== null) return o.releasedAt;
  if (o.origin === 'bundle' || o.origin === 'import') return dueAt(o.period, f, rule);
  return o.firstSeenAt;
}

export function observationFacts(db: Db, row: SeriesRow): ObservationFact[] {
  const f = row.frequency as Frequency;
  const rule = releaseOf(row);
  const rows = db.select().from(observations).where(eq(observations.seriesId, row.id)).orderBy(asc(observations.id)).all();
  const revisedPeriods = new Set(rows.filter((o) => o.supersededAt !== null).map((o) => o.period));
  return rows
    .filter((o) => o.supersededAt === null)
    .map((o) => ({
      period: o.period,
      value: o.value,
      valueText: o.valueText,
      firstSeenAt: o.firstSeenAt,
      knownAt: knownAt(o, f, rule),
      revised: revisedPeriods.has(o.period),
      withdrawn: o.withdrawnAt !== null,
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
