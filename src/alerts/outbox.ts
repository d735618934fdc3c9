// The outbox. A flip that alerts gets one delivery row per subscribed channel, written in the
// same transaction as the flip (so a restart loses nothing); the deliver job sends what is due,
// at least once, retrying transient failures with backoff and disabling a channel on a permanent
// one. The flip id travels with every delivery as the idempotency key.
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { channels, deliveries, flips, subscriptions } from '../../db/schema.js';
import type { PublisherHealth } from '../core/index.js';
import { channelPlugin } from './registry.js';
import { buildMessage } from './message.js';
import { ChannelError } from './types.js';

const MINUTE = 60_000;
const MAX_BACKOFF = 6 * 60 * MINUTE;

/** When a daily digest goes out (UTC hour). */
export const DIGEST_HOUR_UTC = 8;

export function nextDigestAt(now: number): number {
  const d = new Date(now);
  const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), DIGEST_HOUR_UTC);
  return at > now ? at : at + 24 * 60 * MINUTE;
}

/** Queues a flip for every channel that follows its series, a topic of it, or its publisher. */
export function enqueue(db: Db, flipId: number, target: { seriesId: string | null; publisherId: string; topics: string[] }, now: number): number {
  const subs = db.select().from(subscriptions).innerJoin(channels, eq(subscriptions.channelId, channels.id)).all();
  const wanted = new Map<string, number>();
  for (const { subscriptions: s, channels: c } of subs) {
    const all = s.seriesId === null && s.topic === null && s.publisherId === null;
    const match = all || (s.seriesId !== null && s.seriesId === target.seriesId) || (s.publisherId === target.publisherId)
      || (s.topic !== null && target.topics.includes(s.topic));
    if (match) wanted.set(c.id, c.digest === 'daily' ? nextDigestAt(now) : now);
  }
  for (const [channelId, at] of wanted) {
    db.insert(deliveries).values({ flipId, channelId, nextAttemptAt: at }).onConflictDoNothing().run();
  }
  return wanted.size;
}

/** Records a source-health change once per publisher (never once per series), and queues it. */
export function recordSourceFlip(db: Db, publisherId: string, from: PublisherHealth, to: PublisherHealth, reason: string, now: number): void {
  const flip = db.insert(flips).values({
    kind: 'source', seriesId: null, publisherId, alert: true, at: now, fromStatus: from, toStatus: to, reason,
  }).returning({ id: flips.id }).get();
  enqueue(db, flip.id, { seriesId: null, publisherId, topics: [] }, now);
}

export interface DeliverDeps {
  db: Db;
  now: () => number;
  /** Secrets channels name in their settings, and the default mail sender (the configuration's). */
  secret(name: string): string | undefined;
  mailFrom?: string | undefined;
  publicUrl: string;
}

export interface DeliverResult { sent: number; retrying: number; disabled: string[] }

/** Sends every due delivery of enabled channels: one send per alert, or one digest per channel. */
export async function deliverDue(deps: DeliverDeps): Promise<DeliverResult> {
  const { db } = deps;
  const now = deps.now();
  const due = db.select().from(deliveries).innerJoin(channels, eq(deliveries.channelId, channels.id))
    .where(and(eq(deliveries.state, 'pending'), lte(deliveries.nextAttemptAt, now), eq(channels.enabled, true)))
    .orderBy(asc(deliveries.flipId)).all();
  const result: DeliverResult = { sent: 0, retrying: 0, disabled: [] };
  const byChannel = new Map<string, typeof due>();
  for (const row of due) {
    const rows = byChannel.get(row.channels.id);
    if (rows) rows.push(row);
    else byChannel.set(row.channels.id, [row]);
  }
  for (const rows of byChannel.values()) {
    const channel = rows[0]!.channels;
    const batches = channel.digest === 'daily' ? [rows] : rows.map((r) => [r]);
    for (const [i, batch] of batches.entries()) {
      const outcome = await sendBatch(deps, channel, batch.map((b) => b.deliveries));
      if (outcome === 'sent') { result.sent += batch.length; continue; }
      // A failure is the channel's, not one alert's: its other alerts wait for the next run
      // (disabled: until it is enabled again) instead of each waiting out the same timeout.
      if (outcome === 'retry') result.retrying += batches.slice(i).reduce((n, b) => n + b.length, 0);
      else result.disabled.push(channel.id);
      break;
    }
  }
  return result;
}

type DeliveryRow = typeof deliveries.$inferSelect;

async function sendBatch(deps: DeliverDeps, channel: typeof channels.$inferSelect, batch: DeliveryRow[]): Promise<'sent' | 'retry' | 'disabled'> {
  const { db } = deps;
  const ids = batch.map((d) => d.id);
  const attempt = Math.max(...batch.map((d) => d.attempts)) + 1;
  try {
    const plugin = channelPlugin(channel.kind);
    const cfg = plugin.config.parse(JSON.parse(channel.config));
    const messages = batch.map((d) => buildMessage(db, d.flipId, deps.publicUrl));
    await plugin.send(messages, cfg, { secret: deps.secret, mailFrom: deps.mailFrom, now: deps.now(), publicUrl: deps.publicUrl });
    const at = deps.now();
    db.transaction((tx) => {
      tx.update(deliveries).set({ state: 'sent', sentAt: at, attempts: attempt, lastError: null }).where(inArray(deliveries.id, ids)).run();
      tx.update(channels).set({ lastSentAt: at }).where(eq(channels.id, channel.id)).run();
    });
    return 'sent';
  } catch (e) {
    const permanent = !(e instanceof ChannelError) || e.permanent;
    const message = `${channel.kind} channel ${channel.id}: ${(e as Error).message}`;
    const at = deps.now();
    db.transaction((tx) => {
      // Kept pending either way: a channel re-enabled after a fix gets what it missed.
      tx.update(deliveries).set({
        attempts: attempt, lastError: message, nextAttemptAt: at + Math.min(MAX_BACKOFF, MINUTE * 2 ** (attempt - 1)),
      }).where(inArray(deliveries.id, ids)).run();
      tx.update(channels).set({ lastError: message, lastErrorAt: at, ...(permanent ? { enabled: false } : {}) })
        .where(eq(channels.id, channel.id)).run();
    });
    return permanent ? 'disabled' : 'retry';
  }
}
