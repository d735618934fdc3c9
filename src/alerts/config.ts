// Channels and subscriptions from alerts.yaml (secrets stay in the environment) and from the CLI.
// At each start the file's channels replace the previous file's; CLI-made channels are kept.
import { existsSync, readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { channels, subscriptions } from '../../db/schema.js';
import { channelKinds, channelPlugin } from './registry.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'ids use lower-case letters, digits, ".", "_" and "-"');

export const followsSchema = z.strictObject({
  series: z.array(z.string().min(1)).default([]),
  topics: z.array(z.string().min(1)).default([]),
  publishers: z.array(z.string().min(1)).default([]),
}).default({ series: [], topics: [], publishers: [] });

const channelEntry = z.looseObject({
  id,
  kind: z.string(),
  /** Omitted or empty: the channel follows every series and source. */
  follows: followsSchema,
  digest: z.enum(['daily']).optional(),
  enabled: z.boolean().default(true),
});

export type Follows = z.infer<typeof followsSchema>;

export interface ChannelSpec {
  id: string;
  kind: string;
  settings: Record<string, unknown>;
  follows: Follows;
  digest: 'daily' | null;
  enabled: boolean;
}

export class AlertsConfigError extends Error {}

/** Reads and validates alerts.yaml; a missing file means no configured channels. */
export function loadAlertsFile(path: string): ChannelSpec[] {
  if (!existsSync(path)) return [];
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new AlertsConfigError(`${path}: not valid YAML: ${(e as Error).message}`);
  }
  const file = z.strictObject({ channels: z.array(channelEntry).default([]) }).safeParse(doc ?? {});
  if (!file.success) throw new AlertsConfigError(file.error.issues.map((i) => `${path}: ${i.path.join('.')}: ${i.message}`).join('\n'));
  const seen = new Set<string>();
  const problems: string[] = [];
  const specs = file.data.channels.map((c, i) => {
    if (seen.has(c.id)) problems.push(`${path}: channels.${i}.id: duplicate channel id ${c.id}`);
    seen.add(c.id);
    const { id: cid, kind, follows, digest, enabled, ...settings } = c;
    problems.push(...checkSettings(kind, settings).map((m) => `${path}: channels.${i}.${m}`));
    return { id: cid, kind, settings, follows, digest: digest ?? null, enabled };
  });
  if (problems.length) throw new AlertsConfigError(problems.join('\n'));
  return specs;
}

/** Problems with a channel's settings, as "path: message" lines. */
export function checkSettings(kind: string, settings: Record<string, unknown>): string[] {
  if (!channelKinds().includes(kind)) return [`kind: unknown channel kind "${kind}" (known: ${channelKinds().join(', ')})`];
  const r = channelPlugin(kind).config.safeParse(settings);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`);
}

/** Writes one channel and its subscriptions (replacing earlier ones of the same id). */
export function saveChannel(db: Db, spec: ChannelSpec, origin: 'config' | 'cli', now: number): void {
  db.transaction((tx) => {
    const values = { kind: spec.kind, config: JSON.stringify(spec.settings), digest: spec.digest, origin };
    tx.insert(channels).values({ id: spec.id, ...values, enabled: spec.enabled, createdAt: now })
      .onConflictDoUpdate({ target: channels.id, set: values }).run();
    tx.delete(subscriptions).where(eq(subscriptions.channelId, spec.id)).run();
    const f = spec.follows;
    const rows = [
      ...f.series.map((s) => ({ seriesId: s })), ...f.topics.map((t) => ({ topic: t })), ...f.publishers.map((p) => ({ publisherId: p })),
    ];
    for (const r of rows.length ? rows : [{}]) tx.insert(subscriptions).values({ channelId: spec.id, ...r }).run();
  });
}

/** Brings the channels from alerts.yaml into the store; channels the file no longer has are removed. */
export function syncAlertsFile(db: Db, specs: readonly ChannelSpec[], now: number): void {
  const keep = new Set(specs.map((s) => s.id));
  for (const c of db.select().from(channels).where(eq(channels.origin, 'config')).all()) {
    if (!keep.has(c.id)) db.delete(channels).where(and(eq(channels.id, c.id), eq(channels.origin, 'config'))).run();
  }
  for (const spec of specs) saveChannel(db, spec, 'config', now);
}
