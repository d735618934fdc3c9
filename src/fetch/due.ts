// Which series are due for a read, and which cannot be read for want of an API key.
import { and, asc, isNotNull, lte, or, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { series } from '../../db/schema.js';
import type { SourceSettings } from './runner.js';
import { sourceKinds, sourcePlugin } from '../sources/registry.js';
import { sourceBlocks } from './source-blocks.js';

/**
 * Series with a source whose next read has come (an indexed query), oldest first, leaving out
 * those whose API key is not set. A snoozed series is still read: a snooze silences alerts only.
 */
export function dueForFetch(db: Db, now: number, keys: SourceSettings['apiKeys']): string[] {
  return db.select({ id: series.id, source: series.source }).from(series)
    .where(and(isNotNull(series.source), isNull(series.retractedAt), or(isNull(series.nextFetchAt), lte(series.nextFetchAt, now))))
    .orderBy(asc(series.nextFetchAt)).all()
    .filter((r) => missingKey(r.source!, keys) === null).map((r) => r.id);
}

/** The API key a source block needs and lacks (FRED_API_KEY), or null. */
export function blockMissingKey(kind: string, keys: SourceSettings['apiKeys']): string | null {
  const plugin = sourceKinds().includes(kind) ? sourcePlugin(kind) : undefined;
  const need = plugin?.apiKeyOptional ? undefined : plugin?.apiKeyEnv;
  return need && !keys[need] ? need : null;
}

/** The API key a series' sources need and lack, when every one of them lacks one (FRED_API_KEY), or null. */
export function missingKey(source: string, keys: SourceSettings['apiKeys']): string | null {
  let blocks;
  try {
    blocks = sourceBlocks(source);
  } catch {
    return null; // an unreadable block is still due: its read fails and says why, on that series alone
  }
  const missing = blocks.map((b) => blockMissingKey(b.kind, keys));
  return missing.length && missing.every((k) => k !== null) ? missing[0]! : null;
}

/** One line per missing credential, for the start-up log: those series are not fetched. */
export function credentialWarnings(db: Db, keys: SourceSettings['apiKeys']): string[] {
  const byKey = new Map<string, string[]>();
  for (const r of db.select({ id: series.id, source: series.source }).from(series).where(and(isNotNull(series.source), isNull(series.retractedAt))).all()) {
    const key = missingKey(r.source!, keys);
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), r.id]);
  }
  return [...byKey].map(([key, ids]) => `${key} is not set: ${ids.length} series will not be fetched (${ids.join(', ')})`);
}

