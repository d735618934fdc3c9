// Alert commands: backtesting (`alerts --replay`), recent flips, channels and per-series silence.
import { desc, eq, isNull } from 'drizzle-orm';
import { channels, deliveries, flips, publishers, series, subscriptions } from '../../db/schema.js';
import { eventFacts, seriesFacts } from '../read/facts.js';
import { alertSettings } from '../app/settings.js';
import { checkSettings, saveChannel, type ChannelSpec } from '../alerts/config.js';
import { formatDay, periodLabel, replayStatus, type Frequency } from '../core/index.js';
import type { Cli } from './context.js';

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** An instant in a publisher's time zone, as its readers would date it: '2023-08-15 00:00 Asia/Shanghai'. */
function local(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timeZone}`;
}

/** Prints the alerts lacuna would have sent between two dates, from the recorded first-seen dates. */
export function replay(cli: Cli, fromDay: string, toDay: string, opts: { all: boolean }): Promise<void> {
  return cli.withStore(({ db }) => {
    const from = Date.parse(`${fromDay}T00:00:00Z`);
    const to = Date.parse(`${toDay}T23:59:59.999Z`);
    if (!(from < to)) throw new Error(`--replay needs FROM before TO (got ${fromDay} ${toDay})`);
    const { options } = alertSettings(cli.config());
    const rows = db.select().from(series).where(isNull(series.retractedAt)).all();
    const zones = new Map(db.select().from(publishers).all().map((p) => [p.id, p.timeZone]));
    const evts = eventFacts(db, rows.map((r) => r.id));
    const lines = rows.flatMap((row) => replayStatus(seriesFacts(db, row, evts.get(row.id) ?? []), from, to, options, row.title)
      .filter((f) => opts.all || f.alert).map((f) => ({ row, f })));
    lines.sort((a, b) => a.f.at - b.f.at || a.row.id.localeCompare(b.row.id));
    cli.print(`lacuna alerts --replay ${fromDay} ${toDay}: ${lines.length} ${opts.all ? 'status changes' : 'alerts'}`);
    for (const { row, f } of lines) {
      const what = f.resumed ? `resumed${f.breakAt ? ` (method break at ${periodLabel(f.breakAt, row.frequency as Frequency)})` : ''}` : f.to;
      // In the publisher's own time zone, as the README and the publisher's notices date it.
      cli.print(`${local(f.at, zones.get(row.publisherId) ?? 'UTC')}  ${what.padEnd(12)} ${row.id}  [${f.from} -> ${f.to}${f.alert ? '' : ', quiet'}]  ${f.reason}`);
    }
  });
}

export function listFlips(cli: Cli, limit: number): Promise<void> {
  return cli.withStore(({ db }) => {
    for (const f of db.select().from(flips).orderBy(desc(flips.id)).limit(limit).all()) {
      const sent = db.select().from(deliveries).where(eq(deliveries.flipId, f.id)).all();
      cli.print(`#${f.id} ${iso(f.at)} ${f.kind} ${f.seriesId ?? f.publisherId} ${f.fromStatus} -> ${f.toStatus}${f.alert ? '' : ' (quiet)'}` +
        `${sent.length ? `  deliveries: ${sent.map((d) => `${d.channelId}=${d.state}`).join(', ')}` : ''}`);
    }
  });
}

export function addChannel(cli: Cli, spec: ChannelSpec): Promise<void> {
  const problems = checkSettings(spec.kind, spec.settings);
  if (problems.length) throw new Error(`channel ${spec.id}: ${problems.join('; ')}`);
  return cli.withStore(({ db }) => {
    saveChannel(db, spec, 'cli', cli.now());
    cli.print(`channel ${spec.id} (${spec.kind}) saved`);
  });
}

export function listChannels(cli: Cli): Promise<void> {
  return cli.withStore(({ db }) => {
    for (const c of db.select().from(channels).all()) {
      const subs = db.select().from(subscriptions).where(eq(subscriptions.channelId, c.id)).all();
      const follows = subs.map((s) => s.seriesId ?? (s.topic ? `topic:${s.topic}` : s.publisherId ? `publisher:${s.publisherId}` : 'everything')).join(', ');
      cli.print(`${c.id}\t${c.kind}\t${c.enabled ? 'enabled' : 'DISABLED'}\t${c.origin}\t${c.digest ?? 'each'}\tfollows ${follows}` +
        `${c.lastError ? `\tlast error ${formatDay(c.lastErrorAt ?? 0)}: ${c.lastError}` : ''}`);
    }
  });
}

export function setChannel(cli: Cli, id: string, change: 'enable' | 'disable' | 'remove'): Promise<void> {
  return cli.withStore(({ db }) => {
    const found = db.select().from(channels).where(eq(channels.id, id)).get();
    if (!found) throw new Error(`no channel ${id}`);
    if (change === 'remove') db.delete(channels).where(eq(channels.id, id)).run();
    else db.update(channels).set({ enabled: change === 'enable', ...(change === 'enable' ? { lastError: null } : {}) }).where(eq(channels.id, id)).run();
    cli.print(`channel ${id}: ${change}d`);
  });
}

/** Pause (no status, no alerts), unpause, or snooze alerts until a date. */
export function silence(cli: Cli, id: string, change: { paused?: boolean; snoozeUntil?: string | null }): Promise<void> {
  return cli.withStore(({ db }) => {
    const row = db.select().from(series).where(eq(series.id, id)).get();
    if (!row) throw new Error(`unknown series: ${id}`);
    const set: Partial<typeof series.$inferInsert> = {};
    if (change.paused !== undefined) set.paused = change.paused;
    if (change.snoozeUntil !== undefined) set.snoozedUntil = change.snoozeUntil === null ? null : Date.parse(`${change.snoozeUntil}T00:00:00Z`);
    db.update(series).set(set).where(eq(series.id, id)).run();
    cli.print(`${id}: ${change.paused === true ? 'paused' : change.paused === false ? 'unpaused' : change.snoozeUntil ? `alerts snoozed until ${change.snoozeUntil}` : 'snooze cleared'}`);
  });
}
