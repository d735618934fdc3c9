// Reads one series from its sources and records what came back, with the same rules for every
// source kind: the plug-in parses, the core judges (answer-rules: the series must be in the answer,
// cut to the block's window; inferred-events: line dropped, access changes; source-freshness: how far
// a secondary or mirror vouches for the record; source-health: the publisher's health from its
// runs), and record.ts writes. Reading (network) comes first and writes nothing; each record is one
// transaction. A failure writes only the failed run (with a refusal's page as evidence), the
// series' own source state when the error was the series', and the publisher's health as its runs
// now judge it, so an unreadable publisher never turns into "the publisher did not publish". One
// series' error never stops a batch.
//
// Several sources, in order of preference (`sources:`):
// | the source read            | then                                                             |
// |----------------------------|------------------------------------------------------------------|
// | answers, fresh             | recorded (the values attributed to it); the others are not read  |
// | answers, stale             | recorded, vouching only as far as it is fresh; the next is tried |
// | fails (any failure)        | the failed run recorded; the next is tried                       |
// | none answered fresh        | the series' source is stale (one answered) or as its failures say |
// A secondary or mirror source never moves the publisher's health and never infers its events.
import { createHash } from 'node:crypto';
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { releaseOf, seriesFacts, type SeriesRow } from '../read/facts.js';
import { fetchRuns, series } from '../../db/schema.js';
import {
  classifyRun, evaluateSeries, healthChange, inferEvents, judgeHealth, nextPollAt, retryAt, type AlertOptions, type Frequency,
} from '../core/index.js';
import { evaluateSeriesInStore, type RecordedFlip } from '../status/check.js';
import { recordFailure, recordHealth, recordInferredEvents, recordLateFailure, recordNoChange, recordRead, type ReadVouch } from './record.js';
import { SourceError } from '../sources/errors.js';
import type { HttpGet } from '../sources/http.js';
import { lastGoodRun, newestValue, publisherName, publisherRecord, standingLineDropped } from './history.js';
import { readBlock, type SourceRead, type SourceSettings } from './read-source.js';
import { sourceBlocks, sourceLabel, type SourceBlock } from './source-blocks.js';
import { redactUrl } from '../sources/redact.js';
import { blockMissingKey } from './due.js';

export { readSource, readBlock, baseUrlFor, type SourceRead, type SourceSettings } from './read-source.js';

export interface FetchDeps {
  db: Db;
  http: HttpGet;
  now: () => number;
  /** Base URL overrides and API keys, from the configuration. */
  sources: SourceSettings;
  alertOptions?: AlertOptions;
}

export type Trigger = 'schedule' | 'cli' | 'backfill';

export interface FetchCounts {
  added: number;
  revised: number;
  withdrawn: number;
  unchanged: number;
  /** Periods listed without a value. */
  gaps: number;
  lineDropped: boolean;
}

export interface FetchResult extends FetchCounts {
  seriesId: string;
  /** The fetch run recorded last (the one whose answer was kept); null when the fetch failed before one could be. */
  runId: number | null;
  outcome: 'ok' | 'no_change' | 'failed';
  error: string | null;
  /** The SourceError code of a failure ('internal' for lacuna's own). */
  errorCode: string | null;
  /** The source the result is from ("fred TRESEGCNM052N (mirror)"); null when none was read. */
  source: string | null;
  /** Why that source is stale (it answered, but is behind the publisher's schedule); null when fresh. */
  stale: string | null;
  /** Every source tried, in order, with what came of it. */
  attempts: { source: string; runId: number; outcome: 'ok' | 'no_change' | 'failed'; stale: string | null; error: string | null }[];
  flips: RecordedFlip[];
}

const ZERO: FetchCounts = { added: 0, revised: 0, withdrawn: 0, unchanged: 0, gaps: 0, lineDropped: false };

export async function fetchSeries(deps: FetchDeps, seriesId: string, trigger: Trigger = 'schedule'): Promise<FetchResult> {
  const { db } = deps;
  const row = db.select().from(series).where(eq(series.id, seriesId)).get();
  if (!row) throw new Error(`unknown series: ${seriesId}`);
  if (!row.source) throw new Error(`series ${seriesId} has no source to fetch`);
  const result = await readInOrder(deps, row, trigger);
  // What follows the read is lacuna's own work; its failure is recorded on this series alone.
  try {
    const now = deps.now();
    const { flips } = evaluateSeriesInStore(db, { kind: 'ids', ids: [seriesId] }, now, deps.alertOptions);
    schedule(db, seriesId, now, result.retryAfterMs);
    const { retryAfterMs: _wait, ...rest } = result;
    return { ...rest, flips };
  } catch (e) {
    const message = `series ${seriesId}: after reading its source: ${(e as Error).message}`;
    const now = deps.now();
    // A read that failed already keeps its own error (and its count): only the next read is set.
    const failed = result.outcome === 'failed';
    const { retryAfterMs: _wait, ...rest } = result;
    recordLateFailure(db, { seriesId, runId: failed ? null : result.runId, now, message, retryAt: (n) => retryAt(now, n), counted: failed });
    return failed
      ? { ...rest, error: `${result.error}; then ${message}`, flips: [] }
      : { ...rest, outcome: 'failed', error: message, errorCode: 'internal', flips: [] };
  }
}

type Recorded = Omit<FetchResult, 'flips' | 'attempts'> & { retryAfterMs: number | null; seriesLevel: boolean };
type InOrder = Omit<FetchResult, 'flips'> & { retryAfterMs: number | null };

/** Reads the series' sources in order of preference until one answers fresh (see the table above). */
async function readInOrder(deps: FetchDeps, row: SeriesRow, trigger: Trigger): Promise<InOrder> {
  let blocks: SourceBlock[];
  try {
    blocks = sourceBlocks(row.source);
  } catch {
    blocks = [{ index: 0, kind: 'unknown', role: 'official', window: { since: null, until: null }, block: { kind: 'unknown' } }];
  }
  // A block whose API key is not set is not read (lacuna's own missing setting), unless it is the only one.
  const keyed = blocks.filter((b) => blockMissingKey(b.kind, deps.sources.apiKeys) === null);
  if (keyed.length) blocks = keyed;
  const attempts: InOrder['attempts'] = [];
  let kept: Recorded | null = null;
  let last: Recorded | null = null;
  for (const block of blocks) {
    const runId = deps.db.insert(fetchRuns).values({
      seriesId: row.id, source: block.kind, startedAt: deps.now(), trigger, sourceIndex: block.index, sourceRole: block.role, sourceLabel: sourceLabel(block),
    }).returning({ id: fetchRuns.id }).get().id;
    const r = await readAndRecord(deps, row, block, runId, trigger, { sources: blocks.length, first: attempts.length === 0 });
    attempts.push({ source: r.source ?? block.kind, runId, outcome: r.outcome, stale: r.stale, error: r.error });
    last = r;
    if (r.outcome !== 'failed' && (kept === null || kept.stale !== null)) kept = r;
    if (r.outcome !== 'failed' && r.stale === null) break;
  }
  const { seriesLevel: _level, ...chosen } = kept ?? last!;
  return { ...chosen, attempts };
}

/** Reads one block and records what came of it: the answer, no change, or the failure. */
async function readAndRecord(
  deps: FetchDeps, row: SeriesRow, block: SourceBlock, runId: number, trigger: Trigger, { sources, first }: { sources: number; first: boolean },
): Promise<Recorded> {
  const { db } = deps;
  const label = sourceLabel(block);
  const base = { seriesId: row.id, runId, error: null, errorCode: null, source: label, stale: null, retryAfterMs: null, seriesLevel: false };
  try {
    const read = await readBlock(deps, row, block, trigger === 'backfill');
    const hash = contentHash(read.pages.map((p) => p.answer.body));
    const previous = lastGoodRun(db, row.id);
    const now = deps.now();
    const vouch: ReadVouch = {
      until: read.freshness?.vouchesUntil ?? null, stale: read.freshness?.stale ? read.freshness.why : null, label,
      updatedAt: read.own?.updatedAt ?? null, role: block.role,
    };
    const sameAnswer = previous?.contentHash === hash && previous.sourceIndex === block.index;
    if (read.notModified || (sameAnswer && read.listed !== false)) {
      db.transaction(() => {
        recordNoChange(db, { row, runId, now, answer: read.pages[0]!.answer, hash: previous?.contentHash ?? hash, vouch: read.notModified ? { ...vouch, until: now, stale: null } : vouch });
        judgePublisher(db, row.publisherId, now);
      });
      return { ...base, outcome: 'no_change', stale: read.notModified ? null : vouch.stale, ...ZERO };
    }
    const counts = db.transaction(() => recordAnswer(db, row, runId, read, hash, now, vouch));
    return { ...base, outcome: 'ok', stale: vouch.stale, ...counts };
  } catch (e) {
    const err = e instanceof SourceError ? e : new SourceError('internal', (e as Error).message, true);
    const message = `${block.kind} source${sources > 1 ? ` ${block.index + 1} of ${sources}` : ''}, series ${row.id}: ${err.message}`;
    const now = deps.now();
    const seriesLevel = classifyRun({ seriesId: row.id, outcome: 'failed', errorCode: err.code, httpStatus: err.httpStatus }) === 'series_error';
    db.transaction(() => {
      // A fetch counts one failure towards the backoff, however many of its sources failed.
      recordFailure(db, { row, runId, now, message, code: err.code, httpStatus: err.httpStatus, seriesLevel, evidence: err.evidence, counted: first });
      judgePublisher(db, row.publisherId, now);
    });
    return { ...base, outcome: 'failed', error: message, errorCode: err.code, retryAfterMs: err.retryAfterMs, seriesLevel, ...ZERO };
  }
}

/**
 * Records a judged answer, then the events the core infers from it and the record around it. The
 * values are attributed to the source that gave them; only the publisher's own source infers its events.
 */
function recordAnswer(db: Db, row: SeriesRow, runId: number, read: SourceRead, hash: string, now: number, vouch: ReadVouch): FetchCounts {
  const answer = read.answer!;
  const f = row.frequency as Frequency;
  const from = vouch.role === 'official' && read.source.index === 0 ? `fetch run ${runId}` : `fetch run ${runId}, ${vouch.label}`;
  const values = answer.observations.filter((o) => o.value !== null).map((o) => ({
    period: o.period, value: o.value, valueText: o.valueText, obsStatus: o.obsStatus ?? null, provenance: from,
  }));
  const gaps = answer.gaps;
  const before = newestValue(db, row.id);
  // Stored, shown and cited without the credentials it may carry (FRED's api_key).
  const url = redactUrl(read.request.url);
  const { counts, rawHashes } = recordRead(db, {
    row, runId, now, answers: read.pages.map((p) => p.answer), url, hash, values, covers: answer.covers, gaps, vouch,
  });
  // Canonical periods sort as text; plug-ins list them in the publisher's order (World Bank: newest first).
  const newest = values.reduce<(typeof values)[number] | undefined>((n, v) => (!n || v.period > n.period ? v : n), undefined);
  const inferred = vouch.role !== 'official' ? [] : inferEvents({
    seriesId: row.id, frequency: f, gridFrom: row.gridFrom, publisherName: publisherName(db, row.publisherId), now,
    runId, url, rawHash: rawHashes[0]!, valueless: answer.valueless, listed: read.listed, access: read.access,
    newest: newest ? { period: newest.period, value: newest.value!, valueText: newest.valueText } : null,
    before, after: newestValue(db, row.id), standingLineDropped: standingLineDropped(db, row.id),
  });
  const recorded = recordInferredEvents(db, row.id, inferred, now);
  judgePublisher(db, row.publisherId, now);
  return { ...counts, gaps, lineDropped: recorded.some((e) => e.kind === 'line_dropped') };
}

/** The publisher's health from its recent runs (this one included); a change becomes a source flip. */
function judgePublisher(db: Db, publisherId: string, now: number): void {
  const pub = publisherRecord(db, publisherId);
  const judged = judgeHealth(pub.runs, pub.fetchedSeries, pub.health);
  recordHealth(db, publisherId, judged, healthChange(pub.health, judged.health), now);
}

export function contentHash(bodies: readonly Buffer[]): string {
  const h = createHash('sha256');
  for (const b of bodies) h.update(String(b.length)).update(':').update(b);
  return h.digest('hex');
}

/** Sets when the fetch job should read the series again, from its fresh evaluation; never before a publisher's Retry-After. */
function schedule(db: Db, seriesId: string, now: number, retryAfterMs: number | null = null): void {
  const row = db.select().from(series).where(eq(series.id, seriesId)).get()!;
  const ev = evaluateSeries(seriesFacts(db, row), now);
  const at = nextPollAt(ev, row.frequency as Frequency, releaseOf(row), now, row.fetchFailures);
  db.update(series).set({ nextFetchAt: Math.max(at, now + (retryAfterMs ?? 0)) }).where(eq(series.id, seriesId)).run();
}

/**
 * Fetch runs a killed process left unfinished are closed as abandoned (a failure that says nothing
 * about the publisher); their work is redone by the next run. Only runs older than any live fetch
 * can be (another process may be fetching right now), at start and before each batch.
 */
export function closeInterruptedRuns(db: Db, now: number, olderThanMs = 15 * 60_000): number {
  return db.update(fetchRuns)
    .set({ outcome: 'failed', errorCode: 'abandoned', finishedAt: now, error: 'abandoned: lacuna stopped before this fetch finished; nothing was recorded' })
    .where(and(isNull(fetchRuns.finishedAt), lt(fetchRuns.startedAt, now - olderThanMs))).run().changes;
}

/** Fetches the given series one after another; one failing, however, never stops the others. */
export async function fetchMany(deps: FetchDeps, ids: readonly string[], trigger: Trigger, onDone?: (r: FetchResult) => void): Promise<FetchResult[]> {
  closeInterruptedRuns(deps.db, deps.now());
  const results: FetchResult[] = [];
  for (const id of ids) {
    let r: FetchResult;
    try {
      r = await fetchSeries(deps, id, trigger);
    } catch (e) {
      r = failedOutside(deps, id, e as Error);
    }
    results.push(r);
    onDone?.(r);
  }
  return results;
}

/** A fetch that failed before or outside its run: the series is read again after a backoff, if the store can say so. */
function failedOutside(deps: FetchDeps, seriesId: string, e: Error): FetchResult {
  const message = `series ${seriesId}: ${e.message}`;
  const now = deps.now();
  try {
    recordLateFailure(deps.db, { seriesId, runId: null, now, message, retryAt: (n) => retryAt(now, n), counted: false });
  } catch { /* the store itself failed: the result below is all there is to report */ }
  return { seriesId, runId: null, outcome: 'failed', error: message, errorCode: 'internal', source: null, stale: null, attempts: [], flips: [], ...ZERO };
}

export function summarise(results: readonly FetchResult[]): string {
  const n = (o: FetchResult['outcome']) => results.filter((r) => r.outcome === o).length;
  const sum = (k: 'added' | 'revised' | 'withdrawn') => results.reduce((t, r) => t + r[k], 0);
  return `${results.length} fetched: ${n('ok')} ok, ${n('no_change')} unchanged, ${n('failed')} failed; ` +
    `${sum('added')} values added, ${sum('revised')} revised, ${sum('withdrawn')} withdrawn`;
}
