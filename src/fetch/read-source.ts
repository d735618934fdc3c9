// Reads one source block of a series: every page through the one HTTP client, each parsed by its
// plug-in, then judged by the core's answer rules (the series asked for must be there; an empty
// answer fails), cut to the block's period window, and, for a secondary or mirror source, judged
// for freshness. A firewall or captcha page that the plug-in cannot parse fails as 'blocked', with
// the page kept as evidence. Writes nothing, so `lacuna fetch --dry-run` and `lacuna sources
// check` use it too.
import type { Db } from '../../db/client.js';
import type { SeriesRow } from '../read/facts.js';
import { releaseOf } from '../read/facts.js';
import {
  blockedPage, comparePeriods, judgeAnswer, judgeFreshness, shiftPeriod, windowAnswer,
  type AnswerVerdict, type Freshness, type FreshnessJudgement, type Frequency, type Period,
} from '../core/index.js';
import { SourceError } from '../sources/errors.js';
import type { HttpGet } from '../sources/http.js';
import type { ParsedObservation, ParsedPage, SourceAnswer, SourceContext, SourcePlugin, SourceRequest } from '../sources/types.js';
import { lastGoodRun, newestValue } from './history.js';
import { redactUrl } from '../sources/redact.js';
import { checkedBlock, sourceBlocks, sourceLabel, type SourceBlock } from './source-blocks.js';

export interface SourceSettings {
  /** Base URL overrides by upper-case publisher id or source kind (LACUNA_SOURCE_URL_NBS, ..._SDMX). */
  urls: Readonly<Record<string, string>>;
  /** API keys by the name a plug-in gives (its apiKeyEnv, e.g. FRED_API_KEY). */
  apiKeys: Readonly<Record<string, string | undefined>>;
}

export interface ReadDeps {
  db: Db;
  http: HttpGet;
  now: () => number;
  sources: SourceSettings;
}

export type JudgedAnswer = Extract<AnswerVerdict<ParsedObservation>, { ok: true }>;

export interface SourceRead {
  kind: string;
  /** Which block was read, its role and how it is named. */
  source: SourceBlock;
  label: string;
  /** The plug-in records an access series (an availability probe). */
  access: boolean;
  request: SourceRequest;
  pages: { answer: SourceAnswer; parsed: ParsedPage }[];
  /** The publisher answered 304 Not Modified: nothing was parsed. */
  notModified: boolean;
  /** The series asked for, as the answer holds it inside the block's window (null when not modified). */
  answer: JudgedAnswer | null;
  /** false when the publisher's catalogue no longer lists the indicator; null when not checked. */
  listed: boolean | null;
  /** What the source says of its own freshness (secondary and mirror sources), where it says anything. */
  own: Freshness | null;
  /** How far this read vouches for the record, and whether the source is stale (null when not modified). */
  freshness: FreshnessJudgement | null;
}

const MAX_PAGES = 500;
/** How far back an incremental fetch reaches, so recent revisions are seen. */
const REVISION_WINDOW: Record<Frequency, number> = { daily: 90, weekly: 26, monthly: 24, quarterly: 8, annual: 5 };

/** Reads the series' most preferred source; throws SourceError. */
export async function readSource(deps: ReadDeps, row: SeriesRow, full: boolean): Promise<SourceRead> {
  const first = sourceBlocks(row.source)[0];
  if (!first) throw new SourceError('config', `series ${row.id} has no source block`, true);
  return readBlock(deps, row, first, full);
}

/** Reads and parses every page of one source block of a series and judges the answer; throws SourceError. */
export async function readBlock(deps: ReadDeps, row: SeriesRow, source: SourceBlock, full: boolean): Promise<SourceRead> {
  const { plugin, ref } = checkedBlock(source);
  const f = row.frequency as Frequency;
  const ctx: SourceContext = {
    baseUrl: baseUrlFor(plugin, ref, row.publisherId, deps.sources.urls),
    frequency: f,
    // Never before the window: its `since` is where a full backfill starts, too.
    from: later(full ? null : incrementalFrom(deps.db, row), source.window.since, f),
    apiKey: plugin.apiKeyEnv ? deps.sources.apiKeys[plugin.apiKeyEnv] ?? null : null,
    now: deps.now(),
  };
  const request = plugin.request(ref, ctx);
  const conditional = request.method === 'POST' || request.form || request.json !== undefined || full
    ? undefined : lastGoodRun(deps.db, row.id, redactUrl(request.url)) ?? undefined;
  const base = { kind: plugin.kind, source, label: sourceLabel(source), access: plugin.access === true, request };
  const pages: SourceRead['pages'] = [];
  let next: SourceRequest | null = request;
  while (next) {
    if (pages.length >= MAX_PAGES) throw new SourceError('shape', `more than ${MAX_PAGES} pages`, true);
    const answer = await deps.http(next, pages.length === 0 ? conditional : undefined);
    if (answer.status === 304) {
      return { ...base, pages: [{ answer, parsed: { series: [] } }], notModified: true, answer: null, listed: null, own: null, freshness: null };
    }
    const parsed = await parsePage(plugin, { ...answer, request: next }, ref, ctx);
    pages.push({ answer, parsed });
    next = parsed.next ?? null;
  }
  const verdict = judgeAnswer(plugin.key(ref), pages.map((p) => p.parsed));
  if (!verdict.ok) throw new SourceError(verdict.code, verdict.message, true);
  const answer = windowAnswer(verdict, source.window, (a, b) => comparePeriods(a, b, f));
  let listed: boolean | null = null;
  const listing = plugin.listing?.request(ref, ctx);
  if (listing && plugin.listing) listed = plugin.listing.contains(await deps.http(listing), ref);
  const own = source.role === 'official' ? null : await ownFreshness(deps, plugin, ref, ctx, pages[0]!.answer);
  const newest = answer.observations.filter((o) => o.value !== null).reduce<Period | null>((n, o) => (n === null || comparePeriods(o.period, n, f) > 0 ? o.period : n), null);
  const freshness = judgeFreshness({ role: source.role, frequency: f, release: releaseOf(row), now: ctx.now, newest, own });
  return { ...base, pages, notModified: false, answer, listed, own, freshness };
}

/** The source's own freshness; a source that cannot say (or whose answer to it fails) says nothing. */
async function ownFreshness(deps: ReadDeps, plugin: SourcePlugin<unknown>, ref: unknown, ctx: SourceContext, first: SourceAnswer): Promise<Freshness | null> {
  if (!plugin.freshness) return null;
  try {
    const req = plugin.freshness.request?.(ref, ctx) ?? null;
    return plugin.freshness.read(req ? await deps.http(req) : first, ref, ctx);
  } catch {
    return null;
  }
}

/** The plug-in's parse; an answer it cannot read that is a firewall or captcha page fails as blocked, keeping the page. */
async function parsePage(plugin: SourcePlugin<unknown>, answer: SourceAnswer, ref: unknown, ctx: SourceContext): Promise<ParsedPage> {
  try {
    return plugin.parse(plugin.prepare ? await plugin.prepare(answer, ref) : answer, ref, ctx);
  } catch (e) {
    const why = e instanceof SourceError && (e.code === 'malformed' || e.code === 'shape') ? blockedPage(answer.headers, answer.text) : null;
    if (why) throw new SourceError('blocked', `${answer.url}: ${why} instead of data (HTTP ${answer.status})`, true, answer.status, { evidence: answer });
    throw e;
  }
}

/** The override for the publisher beats the one for the kind beats the plug-in's or the ref's own. */
export function baseUrlFor(plugin: SourcePlugin<any>, ref: unknown, publisherId: string, urls: SourceSettings['urls']): string {
  const name = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const r = ref as { base_url?: string; url?: string };
  const own = plugin.defaultBaseUrl ?? r.base_url ?? (r.url ? new URL(r.url).origin : '');
  return (urls[name(publisherId)] || urls[name(plugin.kind)] || own).replace(/\/+$/, '');
}

function incrementalFrom(db: Db, row: SeriesRow): string | null {
  const last = newestValue(db, row.id);
  if (!last) return null;
  const f = row.frequency as Frequency;
  return shiftPeriod(last.period, f, -REVISION_WINDOW[f]);
}

function later(a: Period | null, b: Period | null, f: Frequency): Period | null {
  if (a === null) return b;
  if (b === null) return a;
  return comparePeriods(a, b, f) >= 0 ? a : b;
}
