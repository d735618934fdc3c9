// The outbox. A flip that alerts gets one delivery row per subscribed channel, written in the
// same transaction as the flip (so a restart loses nothing); the deliver job sends what is due,
// at least once, retrying transient failures with backoff and disabling a channel on a permanent
// one. The flip id travels with every delivery as the idempotency key.
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { channels, citations, deliveries, events, flips, publishers, series, subscriptions } from '../../db/schema.js';
import { formatDay, periodLabel, type Frequency } from '../core/index.js';
import { channelPlugin } from './registry.js';
import { ChannelError, type AlertMessage } from './types.js';

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
export function recordSourceFlip(db: Db, publisherId: string, from: 'ok' | 'failing', to: 'ok' | 'failing', reason: string, now: number): void {
  const flip = db.insert(flips).values({
    kind: 'source', seriesId: null, publisherId, alert: true, at: now, fromStatus: from, toStatus: to, reason,
  }).returning({ id: flips.id }).get();
  enqueue(db, flip.id, { seriesId: null, publisherId, topics: [] }, now);
}

export interface DeliverDeps {
  db: Db;
  now: () => number;
  env: Record<string, string | undefined>;
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
    await plugin.send(messages, cfg, { env: deps.env, now: deps.now(), publicUrl: deps.publicUrl });
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

/** What a flip says, with its evidence and links, ready for any channel or feed. */
export function buildMessage(db: Db, flipId: number, publicUrl: string): AlertMessage {
  const f = db.select().from(flips).where(eq(flips.id, flipId)).get();
  if (!f) throw new Error(`no flip ${flipId}`);
  const s = f.seriesId ? db.select().from(series).where(eq(series.id, f.seriesId)).get() ?? null : null;
  const pubId = s?.publisherId ?? f.publisherId ?? '';
  const pub = db.select().from(publishers).where(eq(publishers.id, pubId)).get();
  const ev = JSON.parse(f.evidence) as { period?: string | null; dueAt?: number | null; eventIds?: string[] };
  const evts = ev.eventIds?.length ? db.select().from(events).where(inArray(events.id, ev.eventIds)).all() : [];
  const evidence = evts.map((e) => ({
    id: e.id, kind: e.kind, title: e.title, date: e.date,
    url: db.select().from(citations).where(eq(citations.eventId, e.id)).orderBy(asc(citations.position)).get()?.url ?? null,
  }));
  const base = publicUrl.replace(/\/+$/, '');
  const page = s ? `${base}/series/${encodeURIComponent(s.id)}` : `${base}/alerts#flip-${f.id}`;
  const name = s?.title ?? pub?.name ?? pubId;
  return {
    flipId: f.id, kind: f.kind as AlertMessage['kind'], at: f.at,
    title: titleOf(f, name),
    text: textOf(f, s?.frequency as Frequency | undefined, ev, evidence, pub?.name ?? pubId),
    series: s ? { id: s.id, title: s.title, frequency: s.frequency, topics: JSON.parse(s.topics) as string[] } : null,
    publisher: { id: pubId, name: pub?.name ?? pubId },
    from: f.fromStatus, to: f.toStatus, resumed: f.resumed, breakAt: f.breakAt,
    period: ev.period ?? null, dueAt: ev.dueAt ?? null, evidence,
    links: { page, chart: `${page}#chart`, csv: s ? `${page}.csv` : `${base}/export.csv`, alerts: `${base}/alerts#flip-${f.id}` },
  };
}

function titleOf(f: typeof flips.$inferSelect, name: string): string {
  if (f.kind === 'source') return f.toStatus === 'failing' ? `Source failing: ${name}` : `Source back: ${name}`;
  if (f.kind === 'reminder') return `Still ${f.toStatus}: ${name}`;
  if (f.resumed) return `Resumed${f.breakAt ? ' with a method break' : ''}: ${name}`;
  return `${f.toStatus[0]!.toUpperCase()}${f.toStatus.slice(1)}: ${name}`;
}

function textOf(
  f: typeof flips.$inferSelect, freq: Frequency | undefined, ev: { period?: string | null; dueAt?: number | null },
  evidence: AlertMessage['evidence'], publisher: string,
): string {
  if (f.kind === 'source') {
    return f.toStatus === 'failing'
      ? `lacuna cannot read ${publisher}: ${f.reason}. Its series are not marked late or missing for this; they wait until the source answers again.`
      : `lacuna reads ${publisher} again.`;
  }
  const parts = [f.reason];
  if (f.resumed && f.breakAt && freq) parts.push(`The comeback starts a new method at ${periodLabel(f.breakAt, freq)}: do not join it to the old line.`);
  if (ev.period && ev.dueAt && freq && !f.resumed) parts.push(`${periodLabel(ev.period, freq)} was due by ${formatDay(ev.dueAt)}.`);
  for (const e of evidence) parts.push(`${e.title} (${e.date})${e.url ? `: ${e.url}` : ''}`);
  return parts.join(' ');
}
