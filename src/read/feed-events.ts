// The catalogue's dated events for the Atom feeds: a feed tells the story (the suspension
// announced on 15 August 2023), not only the status changes lacuna itself saw happen.
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { publishers, series } from '../../db/schema.js';
import { filterWhere, listEvents, type EventView } from './read-model.js';

export interface FeedEvent extends EventView {
  seriesTitle: string;
  topics: string[];
  publisher: { id: string; name: string };
}

/** The events of the series a feed follows (all, one series, a topic or a publisher), newest first. */
export function feedEvents(db: Db, filter: { series?: string; topic?: string; publisher?: string }, limit = 100): FeedEvent[] {
  const rows = db.select({ id: series.id, title: series.title, topics: series.topics, pubId: publishers.id, pubName: publishers.name })
    .from(series).innerJoin(publishers, eq(series.publisherId, publishers.id))
    .where(filter.series ? inArray(series.id, [filter.series]) : filterWhere({ topic: filter.topic, publisher: filter.publisher })).all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  if (!byId.size) return [];
  return listEvents(db, { seriesIds: [...byId.keys()] }).reverse().slice(0, limit).map((e) => {
    const s = byId.get(e.seriesId)!;
    return { ...e, seriesTitle: s.title, topics: JSON.parse(s.topics) as string[], publisher: { id: s.pubId, name: s.pubName } };
  });
}
