// Wires fetching for a composition root: the HTTP client from the configuration, and the
// "fetch what is due" pass the scheduler and the CLI share.
import { and, asc, isNotNull, lte, or, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { series } from '../../db/schema.js';
import type { Config } from '../app/config.js';
import { closeInterruptedRuns, fetchSeries, type FetchDeps, type FetchResult, type Trigger } from './runner.js';
import { createHttp, type HttpGet } from '../sources/http.js';
import { sourceKinds, sourcePlugin } from '../sources/registry.js';

export function httpFromConfig(config: Pick<Config, 'LACUNA_HTTP_TIMEOUT_MS' | 'LACUNA_HTTP_RETRIES' | 'LACUNA_HTTP_MAX_BYTES' | 'LACUNA_USER_AGENT'>, env = process.env): HttpGet {
  return createHttp({
    userAgent: config.LACUNA_USER_AGENT, timeoutMs: config.LACUNA_HTTP_TIMEOUT_MS,
    retries: config.LACUNA_HTTP_RETRIES, backoffMs: 1_000, maxBytes: config.LACUNA_HTTP_MAX_BYTES,
  }, env);
}

/**
 * Series with a source whose next read has come (an indexed query), oldest first, leaving out
 * those whose API key is not set. A snoozed series is still read: a snooze silences alerts only.
 */
export function dueForFetch(db: Db, now: number, env: Record<string, string | undefined>): string[] {
  return db.select({ id: series.id, source: series.source }).from(series)
    .where(and(isNotNull(series.source), or(isNull(series.nextFetchAt), lte(series.nextFetchAt, now))))
    .orderBy(asc(series.nextFetchAt)).all()
    .filter((r) => missingKey(r.source!, env) === null).map((r) => r.id);
}

/** The environment variable a series' source needs and lacks (FRED_API_KEY), or null. */
export function missingKey(source: string, env: Record<string, string | undefined>): string | null {
  const kind = (JSON.parse(source) as { kind: string }).kind;
  const need = sourceKinds().includes(kind) ? sourcePlugin(kind).apiKeyEnv : undefined;
  return need && !env[need] ? need : null;
}

/** One line per missing credential, for the start-up log: those series are not fetched. */
export function credentialWarnings(db: Db, env: Record<string, string | undefined>): string[] {
  const byKey = new Map<string, string[]>();
  for (const r of db.select({ id: series.id, source: series.source }).from(series).where(isNotNull(series.source)).all()) {
    const key = missingKey(r.source!, env);
    if (key) byKey.set(key, [...(byKey.get(key) ?? []), r.id]);
  }
  return [...byKey].map(([key, ids]) => `${key} is not set: ${ids.length} series will not be fetched (${ids.join(', ')})`);
}

/** Fetches the given series one after another; one failing never stops the others. */
export async function fetchMany(deps: FetchDeps, ids: readonly string[], trigger: Trigger, onDone?: (r: FetchResult) => void): Promise<FetchResult[]> {
  closeInterruptedRuns(deps.db, deps.now());
  const results: FetchResult[] = [];
  for (const id of ids) {
    const r = await fetchSeries(deps, id, trigger);
    results.push(r);
    onDone?.(r);
  }
  return results;
}

export function summarise(results: readonly FetchResult[]): string {
  const n = (o: FetchResult['outcome']) => results.filter((r) => r.outcome === o).length;
  const sum = (k: 'added' | 'revised' | 'withdrawn') => results.reduce((t, r) => t + r[k], 0);
  return `${results.length} fetched: ${n('ok')} ok, ${n('no_change')} unchanged, ${n('failed')} failed; ` +
    `${sum('added')} values added, ${sum('revised')} revised, ${sum('withdrawn')} withdrawn`;
}
