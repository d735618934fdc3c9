// Reads for the alerts page and the Atom feeds: flips as alert messages, channels with their state.
import { and, count, desc, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { channels, deliveries, flips, series, subscriptions } from '../../db/schema.js';
import { buildMessage } from '../alerts/message.js';
import type { AlertMessage } from '../alerts/types.js';
import { filterWhere } from './read-model.js';

export interface FlipFilter {
  series?: string | undefined;
  topic?: string | undefined;
  publisher?: string | undefined;
  /** Only this kind of change. */
  kind?: 'status' | 'source' | 'reminder' | 'promise' | undefined;
  /** Include the quiet changes (first evaluations, late within grace...). */
  quiet?: boolean;
}

export function alertMessages(db: Db, filter: FlipFilter, publicUrl: string, until: number, limit = 200): AlertMessage[] {
  const topicSeries = filter.topic
    ? db.select({ id: series.id }).from(series).where(filterWhere({ topic: filter.topic })).all().map((r) => r.id)
    : null;
  // Every filter in the query, before the limit: a filter applied after it could empty the page.
  const rows = db.select({ id: flips.id }).from(flips).where(and(
    lte(flips.at, until),
    filter.quiet ? undefined : eq(flips.alert, true),
    filter.kind ? eq(flips.kind, filter.kind) : undefined,
    filter.series ? eq(flips.seriesId, filter.series) : undefined,
    topicSeries ? inArray(flips.seriesId, topicSeries) : undefined,
    filter.publisher ? eq(flips.publisherId, filter.publisher) : undefined,
  )).orderBy(desc(flips.at), desc(flips.id)).limit(limit).all();
  return rows.map((r) => buildMessage(db, r.id, publicUrl));
}

export interface ChannelView {
  id: string;
  kind: string;
  enabled: boolean;
  /** Where the channel was defined ('file' for alerts.yaml, 'cli'...). */
  origin: string;
  /** What it follows, in words ("everything", "series: a, b; topics: labour"). */
  follows: string;
  digest: string | null;
  lastError: string | null;
  lastErrorAt: number | null;
  lastSentAt: number | null;
  pending: number;
  sent: number;
  failed: number;
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
