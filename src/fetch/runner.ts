// Reads one series from its publisher and records what came back. Reading (network) happens first
// and writes nothing; the record is one transaction: observations, revisions, withdrawals, the
// fetch run, the raw answers. A failure writes only the failed run and the source's health, so an
// unreadable publisher never turns into "the publisher did not publish".
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { releaseOf, seriesFacts, type SeriesRow } from '../read/facts.js';
import { fetchRuns, observations, series } from '../../db/schema.js';
import { evaluateSeries, nextPollAt, shiftPeriod, type AlertOptions, type Frequency } from '../core/index.js';
import { evaluateSeriesInStore, type RecordedFlip } from '../status/check.js';
import { recordFailure, recordNoChange, recordRead, type RecordedCounts } from './record.js';
import { SourceError } from '../sources/errors.js';
import type { HttpGet } from '../sources/http.js';
import { checkSource } from '../sources/registry.js';
import type { ParsedPage, SourceAnswer, SourceContext, SourcePlugin, SourceRequest } from '../sources/types.js';

export interface FetchDeps {
  db: Db;
  http: HttpGet;
  now: () => number;
  /** Base URL overrides and API keys, from the configuration. */
  sources: SourceSettings;
  alertOptions?: AlertOptions;
}

export interface SourceSettings {
  /** Base URL overrides by upper-case publisher id or source kind (LACUNA_SOURCE_URL_NBS, ..._SDMX). */
  urls: Readonly<Record<string, string>>;
  /** API keys by the name a plug-in gives (its apiKeyEnv, e.g. FRED_API_KEY). */
  apiKeys: Readonly<Record<string, string | undefined>>;
}

export type Trigger = 'schedule' | 'cli' | 'backfill';

export interface FetchResult extends RecordedCounts {
  seriesId: string;
  runId: number;
  outcome: 'ok' | 'no_change' | 'failed';
  error: string | null;
  flips: RecordedFlip[];
}

export interface SourceRead {
  kind: string;
  request: SourceRequest;
  pages: { answer: SourceAnswer; parsed: ParsedPage }[];
  /** false when the publisher's catalogue no longer lists the indicator; null when not checked. */
  listed: boolean | null;
}

const MAX_PAGES = 500;
/** How far back an incremental fetch reaches, so recent revisions are seen. */
const REVISION_WINDOW: Record<Frequency, number> = { daily: 90, weekly: 26, monthly: 24, quarterly: 8, annual: 5 };

export async function fetchSeries(deps: FetchDeps, seriesId: string, trigger: Trigger = 'schedule'): Promise<FetchResult> {
  const { db } = deps;
  const row = db.select().from(series).where(eq(series.id, seriesId)).get();
  if (!row) throw new Error(`unknown series: ${seriesId}`);
  if (!row.source) throw new Error(`series ${seriesId} has no source to fetch`);
  const started = deps.now();
  const kind = (JSON.parse(row.source) as { kind: string }).kind;
  const runId = db.insert(fetchRuns).values({ seriesId, source: kind, startedAt: started, trigger }).returning({ id: fetchRuns.id }).get().id;

  let result: Omit<FetchResult, 'flips'>;
  try {
    const read = await readSource(deps, row, trigger === 'backfill');
    const hash = contentHash(read.pages.map((p) => p.answer.body));
    const previous = lastGoodRun(db, seriesId);
    const first = read.pages[0]!.answer;
    if (first.status === 304 || (previous?.contentHash === hash && read.listed !== false)) {
      recordNoChange(db, { row, runId, now: deps.now(), answer: first, hash: previous?.contentHash ?? hash });
      result = { seriesId, runId, outcome: 'no_change', error: null, ...ZERO };
    } else {
      const counts = recordRead(db, { row, runId, now: deps.now(), read, hash });
      result = { seriesId, runId, outcome: 'ok', error: null, ...counts };
    }
  } catch (e) {
    const message = `${kind} source, series ${seriesId}: ${(e as Error).message}`;
    recordFailure(db, { row, runId, now: deps.now(), message, httpStatus: e instanceof SourceError ? e.httpStatus : null });
    result = { seriesId, runId, outcome: 'failed', error: message, ...ZERO };
  }
  const now = deps.now();
  const { flips } = evaluateSeriesInStore(db, { kind: 'ids', ids: [seriesId] }, now, deps.alertOptions);
  schedule(db, seriesId, now);
  return { ...result, flips };
}

const ZERO: RecordedCounts = { added: 0, revised: 0, withdrawn: 0, unchanged: 0, gaps: 0, lineDropped: false };

/** Reads and parses every page of a series' source; writes nothing (used by --dry-run too). */
export async function readSource(deps: Pick<FetchDeps, 'db' | 'http' | 'now' | 'sources'>, row: SeriesRow, full: boolean): Promise<SourceRead> {
  const checked = checkSource(JSON.parse(row.source ?? 'null') ?? { kind: '' });
  if (!checked.ok) throw new SourceError('config', `bad source block: ${checked.problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`, true);
  const { plugin, ref } = checked.source;
  const ctx: SourceContext = {
    baseUrl: baseUrlFor(plugin, ref, row.publisherId, deps.sources.urls),
    frequency: row.frequency as Frequency,
    from: full ? null : incrementalFrom(deps.db, row),
    apiKey: plugin.apiKeyEnv ? deps.sources.apiKeys[plugin.apiKeyEnv] ?? null : null,
    now: deps.now(),
  };
  const request = plugin.request(ref, ctx);
  const conditional = request.method === 'POST' || request.form || full ? undefined : lastGoodRun(deps.db, row.id, request.url) ?? undefined;
  const pages: SourceRead['pages'] = [];
  let next: SourceRequest | null = request;
  while (next) {
    if (pages.length >= MAX_PAGES) throw new SourceError('shape', `more than ${MAX_PAGES} pages`, true);
    let answer = await deps.http(next, pages.length === 0 ? conditional : undefined);
    if (answer.status === 304) return { kind: plugin.kind, request, pages: [{ answer, parsed: { observations: [], covers: null } }], listed: null };
    if (plugin.prepare) answer = await plugin.prepare(answer, ref);
    const parsed = plugin.parse(answer, ref, ctx);
    pages.push({ answer, parsed });
    next = parsed.next ?? null;
  }
  let listed: boolean | null = null;
  const listing = plugin.listing?.request(ref, ctx);
  if (listing && plugin.listing) listed = plugin.listing.contains(await deps.http(listing), ref);
  return { kind: plugin.kind, request, pages, listed };
}

/** The override for the publisher beats the one for the kind beats the plug-in's or the ref's own. */
export function baseUrlFor(plugin: SourcePlugin<any>, ref: unknown, publisherId: string, urls: SourceSettings['urls']): string {
  const name = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const r = ref as { base_url?: string; url?: string };
  const own = plugin.defaultBaseUrl ?? r.base_url ?? (r.url ? new URL(r.url).origin : '');
  return (urls[name(publisherId)] || urls[name(plugin.kind)] || own).replace(/\/+$/, '');
}

function incrementalFrom(db: Db, row: SeriesRow): string | null {
  const last = db.select({ period: observations.period }).from(observations)
    .where(and(eq(observations.seriesId, row.id), isNull(observations.supersededAt), isNull(observations.withdrawnAt)))
    .orderBy(desc(observations.period)).limit(1).get();
  if (!last) return null;
  const f = row.frequency as Frequency;
  return shiftPeriod(last.period, f, -REVISION_WINDOW[f]);
}

function lastGoodRun(db: Db, seriesId: string, url?: string) {
  const run = db.select().from(fetchRuns)
    .where(and(eq(fetchRuns.seriesId, seriesId), inArray(fetchRuns.outcome, ['ok', 'no_change'])))
    .orderBy(desc(fetchRuns.id)).limit(1).get();
  if (!run || (url !== undefined && run.url !== url)) return null;
  return run;
}

export function contentHash(bodies: readonly Buffer[]): string {
  const h = createHash('sha256');
  for (const b of bodies) h.update(String(b.length)).update(':').update(b);
  return h.digest('hex');
}

/** Sets when the fetch job should read the series again, from its fresh evaluation. */
function schedule(db: Db, seriesId: string, now: number): void {
  const row = db.select().from(series).where(eq(series.id, seriesId)).get()!;
  const ev = evaluateSeries(seriesFacts(db, row), now);
  const at = nextPollAt(ev, row.frequency as Frequency, releaseOf(row), now, row.fetchFailures);
  db.update(series).set({ nextFetchAt: at }).where(eq(series.id, seriesId)).run();
}

/** Fetch runs a killed process left unfinished are closed as failed; their work is redone by the next run. */
export function closeInterruptedRuns(db: Db, now: number, olderThanMs = 15 * 60_000): number {
  return db.update(fetchRuns)
    .set({ outcome: 'failed', finishedAt: now, error: 'interrupted: lacuna stopped before this fetch finished; nothing was recorded' })
    .where(and(isNull(fetchRuns.finishedAt), lt(fetchRuns.startedAt, now - olderThanMs))).run().changes;
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
