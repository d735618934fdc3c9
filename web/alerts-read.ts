// Reads for the alerts page and the Atom feeds: flips as alert messages, channels with their state.
import { and, count, desc, eq, inArray, isNotNull, like, or } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { channels, deliveries, flips, series, subscriptions } from '../db/schema.js';
import { buildMessage } from '../src/alerts/outbox.js';
import type { AlertMessage } from '../src/alerts/types.js';
import type { ChannelView } from './pages/alerts.js';

export interface FlipFilter {
  series?: string | undefined;
  topic?: string | undefined;
  publisher?: string | undefined;
  /** Include the quiet changes (first evaluations, late within grace...). */
  quiet?: boolean;
}

export function alertMessages(db: Db, filter: FlipFilter, publicUrl: string, until: number, limit = 200): AlertMessage[] {
  const topicSeries = filter.topic
    ? db.select({ id: series.id }).from(series).where(like(series.topics, `%${JSON.stringify(filter.topic)}%`)).all().map((r) => r.id)
    : null;
  const rows = db.select({ id: flips.id, at: flips.at }).from(flips).where(and(
    filter.quiet ? undefined : eq(flips.alert, true),
    filter.series ? eq(flips.seriesId, filter.series) : undefined,
    topicSeries ? inArray(flips.seriesId, topicSeries) : undefined,
    filter.publisher ? or(eq(flips.publisherId, filter.publisher)) : undefined,
  )).orderBy(desc(flips.at), desc(flips.id)).limit(limit).all();
  return rows.filter((r) => r.at <= until).map((r) => buildMessage(db, r.id, publicUrl));
}

export function channelViews(db: Db): ChannelView[] {
  return db.select().from(channels).all().map((c) => {
    const subs = db.select().from(subscriptions).where(eq(subscriptions.channelId, c.id)).all();
    const n = (state: string) => db.select({ n: count() }).from(deliveries)
      .where(and(eq(deliveries.channelId, c.id), eq(deliveries.state, state))).get()!.n;
    return {
      id: c.id, kind: c.kind, enabled: c.enabled, origin: c.origin, digest: c.digest,
      follows: subs.map((s) => s.seriesId ?? (s.topic ? `topic ${s.topic}` : s.publisherId ? `publisher ${s.publisherId}` : 'everything')).join(', '),
      lastError: c.lastError, lastErrorAt: c.lastErrorAt, lastSentAt: c.lastSentAt,
      pending: n('pending'), sent: n('sent'), failed: n('failed'),
    };
  });
}

export const hasFlips = (db: Db) => !!db.select({ id: flips.id }).from(flips).where(isNotNull(flips.id)).limit(1).get();
