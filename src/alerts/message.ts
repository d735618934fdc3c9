// What an alert says: a flip read back with its series, publisher, the events behind it and links,
// ready for any channel or feed.
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { citations, events, flips, publishers, series } from '../../db/schema.js';
import { formatDay, periodLabel, type Frequency } from '../core/index.js';
import type { AlertMessage } from './types.js';

/** What a flip says, with the events that explain it and links, ready for any channel or feed. */
export function buildMessage(db: Db, flipId: number, publicUrl: string): AlertMessage {
  const f = db.select().from(flips).where(eq(flips.id, flipId)).get();
  if (!f) throw new Error(`no flip ${flipId}`);
  const s = f.seriesId ? db.select().from(series).where(eq(series.id, f.seriesId)).get() ?? null : null;
  const pubId = s?.publisherId ?? f.publisherId ?? '';
  const pub = db.select().from(publishers).where(eq(publishers.id, pubId)).get();
  const eventIds = JSON.parse(f.eventIds) as string[];
  const evts = eventIds.length ? db.select().from(events).where(inArray(events.id, eventIds)).orderBy(asc(events.date)).all() : [];
  const account = evts.map((e) => ({
    id: e.id, kind: e.kind, title: e.title, date: e.date,
    url: db.select().from(citations).where(eq(citations.eventId, e.id)).orderBy(asc(citations.position)).get()?.url ?? null,
  }));
  const base = publicUrl.replace(/\/+$/, '');
  const page = s ? `${base}/series/${encodeURIComponent(s.id)}` : `${base}/alerts#flip-${f.id}`;
  const name = s?.title ?? pub?.name ?? pubId;
  return {
    flipId: f.id, kind: f.kind as AlertMessage['kind'], at: f.at,
    title: titleOf(f, name),
    text: textOf(f, s?.frequency as Frequency | undefined, account, pub?.name ?? pubId),
    series: s ? { id: s.id, title: s.title, frequency: s.frequency, topics: JSON.parse(s.topics) as string[] } : null,
    publisher: { id: pubId, name: pub?.name ?? pubId },
    from: f.fromStatus, to: f.toStatus, resumed: f.resumed, breakAt: f.breakAt,
    period: f.period, dueAt: f.dueAt, events: account,
    // A source alert has no chart: its link goes to the alert itself.
    links: { page, chart: s ? `${page}#chart` : page, csv: s ? `${page}.csv` : `${base}/export.csv`, alerts: `${base}/alerts#flip-${f.id}` },
  };
}

function titleOf(f: typeof flips.$inferSelect, name: string): string {
  if (f.kind === 'source') return `${f.toStatus === 'ok' ? 'Source back' : f.toStatus === 'blocked' ? 'Source blocked' : 'Source failing'}: ${name}`;
  if (f.kind === 'reminder') return `Still ${f.toStatus}: ${name}`;
  if (f.kind === 'promise') {
    if (f.toStatus === 'cancelled') return `Release cancelled: ${name}`;
    if (f.toStatus === 'removed') return `Promise removed from the calendar: ${name}`;
    return `Promise moved ${f.toStatus > f.fromStatus ? 'later' : 'earlier'}: ${name}`;
  }
  if (f.resumed) return `Resumed${f.breakAt ? ' with a method break' : ''}: ${name}`;
  return `${f.toStatus[0]!.toUpperCase()}${f.toStatus.slice(1)}: ${name}`;
}

function textOf(
  f: typeof flips.$inferSelect, freq: Frequency | undefined, account: AlertMessage['events'], publisher: string,
): string {
  if (f.kind === 'source') {
    if (f.toStatus === 'ok') return `lacuna reads ${publisher} again.`;
    const why = f.toStatus === 'blocked' ? `${publisher} refuses lacuna (a firewall or captcha answer)` : `lacuna cannot read ${publisher}`;
    return `${why}: ${f.reason}. Its series are not marked late or missing for this; they wait until the source answers again.`;
  }
  const parts = [f.reason];
  if (f.kind === 'promise') {
    const lead = /[.!?]$/.test(f.reason) ? f.reason : `${f.reason}.`;
    return [lead, ...account.map((e) => `${e.title} (${e.date})${e.url ? `: ${e.url}` : ''}`)].join(' ');
  }
  if (f.resumed && f.breakAt && freq) parts.push(`The comeback starts a new method at ${periodLabel(f.breakAt, freq)}: do not join it to the old line.`);
  if (f.period && f.dueAt && freq && !f.resumed) parts.push(`${periodLabel(f.period, freq)} was due by ${formatDay(f.dueAt)}.`);
  for (const e of account) parts.push(`${e.title} (${e.date})${e.url ? `: ${e.url}` : ''}`);
  return parts.join(' ');
}
