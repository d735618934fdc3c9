// The outbox. A flip that alerts gets one delivery row per subscribed channel, written in the
// same transaction as the flip (so a restart loses nothing); the deliver job claims what is due
// (a lease, so that two processes on one database never send the same alert) and sends it, at
// least once and in order per channel, retrying failures with backoff and disabling a channel
// only on a failure it knows to be permanent. The flip id travels with every delivery as the
// idempotency key (the webhook-id of Standard Webhooks, the email's Message-ID).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { and, asc, eq, inArray } from 'drizzle-orm';
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
  /** This process's name in the deliveries it claims; one per process by default. */
  worker?: string;
}

export interface DeliverResult { sent: number; retrying: number; disabled: string[] }

/**
 * How long a claim holds: longer than any channel's send can take (a webhook's timeout is at most
 * 2 minutes, SMTP's socket timeout 1 minute), so that a live process never loses its claim, and a
 * crashed one's claims are taken over after it.
 */
export const LEASE_MS = 5 * MINUTE;

const THIS_PROCESS = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

type Claimed = { delivery: typeof deliveries.$inferSelect; channel: typeof channels.$inferSelect };

/**
 * Claims what this run may send, in one write transaction: for each enabled channel, its pending
 * deliveries in flip order up to the first that is not due yet (backing off after a failure, or a
 * digest waiting for its hour) or that another process holds. So a channel gets its alerts in the
 * order they happened, and two processes never hold the same delivery.
 */
export function claimDue(db: Db, now: number, worker: string): Claimed[] {
  return db.transaction((tx) => {
    const pending = tx.select().from(deliveries).innerJoin(channels, eq(deliveries.channelId, channels.id))
      .where(and(eq(deliveries.state, 'pending'), eq(channels.enabled, true)))
      .orderBy(asc(deliveries.channelId), asc(deliveries.flipId)).all();
    const claimed: Claimed[] = [];
    let blocked: string | null = null;
    for (const { deliveries: d, channels: c } of pending) {
      if (blocked === c.id) continue;
      const heldElsewhere = d.claimedBy !== null && d.claimedBy !== worker && (d.claimedUntil ?? 0) > now;
      if (d.nextAttemptAt > now || heldElsewhere) { blocked = c.id; continue; }
      claimed.push({ delivery: d, channel: c });
    }
    if (claimed.length) {
      tx.update(deliveries).set({ claimedBy: worker, claimedUntil: now + LEASE_MS })
        .where(inArray(deliveries.id, claimed.map((x) => x.delivery.id))).run();
    }
    return claimed;
  }, { behavior: 'immediate' });
}

/** Sends every delivery this process can claim: one send per alert, or one digest per channel. */
export async function deliverDue(deps: DeliverDeps): Promise<DeliverResult> {
  const worker = deps.worker ?? THIS_PROCESS;
  const claimed = claimDue(deps.db, deps.now(), worker);
  const result: DeliverResult = { sent: 0, retrying: 0, disabled: [] };
  const byChannel = new Map<string, Claimed[]>();
  for (const x of claimed) {
    const rows = byChannel.get(x.channel.id);
    if (rows) rows.push(x);
    else byChannel.set(x.channel.id, [x]);
  }
  for (const rows of byChannel.values()) {
    const channel = rows[0]!.channel;
    const batches = channel.digest === 'daily' ? [rows] : rows.map((r) => [r]);
    for (const [i, batch] of batches.entries()) {
      // A slow channel keeps its claims for as long as this run is still sending them.
      renew(deps.db, batches.slice(i).flat().map((b) => b.delivery.id), worker, deps.now());
      const outcome = await sendBatch({ ...deps, worker }, channel, batch.map((b) => b.delivery));
      if (outcome === 'sent') { result.sent += batch.length; continue; }
      // A failure is the channel's, not one alert's: its later alerts wait behind the failed one
      // (in order) instead of each waiting out the same timeout.
      const rest = batches.slice(i + 1).flat().map((b) => b.delivery.id);
      release(deps.db, rest, worker);
      if (outcome === 'retry') result.retrying += batch.length + rest.length;
      else result.disabled.push(channel.id);
      break;
    }
  }
  return result;
}

function renew(db: Db, ids: number[], worker: string, now: number): void {
  db.update(deliveries).set({ claimedUntil: now + LEASE_MS }).where(and(inArray(deliveries.id, ids), eq(deliveries.claimedBy, worker))).run();
}

function release(db: Db, ids: number[], worker: string): void {
  if (!ids.length) return;
  db.update(deliveries).set({ claimedBy: null, claimedUntil: null })
    .where(and(inArray(deliveries.id, ids), eq(deliveries.claimedBy, worker))).run();
}

type DeliveryRow = typeof deliveries.$inferSelect;

async function sendBatch(deps: DeliverDeps & { worker: string }, channel: typeof channels.$inferSelect, batch: DeliveryRow[]): Promise<'sent' | 'retry' | 'disabled'> {
  const { db } = deps;
  const ids = batch.map((d) => d.id);
  const attempt = Math.max(...batch.map((d) => d.attempts)) + 1;
  const mine = and(inArray(deliveries.id, ids), eq(deliveries.claimedBy, deps.worker));
  try {
    const plugin = channelPlugin(channel.kind);
    const cfg = plugin.config.parse(JSON.parse(channel.config));
    const messages = batch.map((d) => buildMessage(db, d.flipId, deps.publicUrl));
    await plugin.send(messages, cfg, { secret: deps.secret, mailFrom: deps.mailFrom, now: deps.now(), publicUrl: deps.publicUrl });
    const at = deps.now();
    db.transaction((tx) => {
      tx.update(deliveries).set({ state: 'sent', sentAt: at, attempts: attempt, lastError: null, claimedBy: null, claimedUntil: null }).where(mine).run();
      tx.update(channels).set({ lastSentAt: at }).where(eq(channels.id, channel.id)).run();
    });
    return 'sent';
  } catch (e) {
    // Only an error the channel knows to be permanent (a 404 webhook, a rejected address) disables
    // it; anything else (a bug, a database busy for a moment) is tried again with backoff.
    const permanent = e instanceof ChannelError && e.permanent;
    const message = `${channel.kind} channel ${channel.id}: ${(e as Error).message}`;
    const at = deps.now();
    db.transaction((tx) => {
      // Kept pending either way: a channel re-enabled after a fix gets what it missed.
      tx.update(deliveries).set({
        attempts: attempt, lastError: message, nextAttemptAt: at + Math.min(MAX_BACKOFF, MINUTE * 2 ** (attempt - 1)),
        claimedBy: null, claimedUntil: null,
      }).where(mine).run();
      tx.update(channels).set({ lastError: message, lastErrorAt: at, ...(permanent ? { enabled: false } : {}) })
        .where(eq(channels.id, channel.id)).run();
    });
    return permanent ? 'disabled' : 'retry';
  }
}
