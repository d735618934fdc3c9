// Reads one series' source: every page through the one HTTP client, each parsed by its plug-in,
// then judged by the core's answer rules (the series asked for must be there; an empty answer
// fails). A firewall or captcha page that the plug-in cannot parse fails as 'blocked'. Writes
// nothing, so `lacuna fetch --dry-run` uses it too.
import type { Db } from '../../db/client.js';
import type { SeriesRow } from '../read/facts.js';
import { blockedPage, judgeAnswer, shiftPeriod, type AnswerVerdict, type Frequency } from '../core/index.js';
import { SourceError } from '../sources/errors.js';
import type { HttpGet } from '../sources/http.js';
import { checkSource } from '../sources/registry.js';
import type { ParsedObservation, ParsedPage, SourceAnswer, SourceContext, SourcePlugin, SourceRequest } from '../sources/types.js';
import { lastGoodRun, newestValue } from './history.js';
import { redactUrl } from '../sources/redact.js';

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
  /** The plug-in records an access series (an availability probe). */
  access: boolean;
  request: SourceRequest;
  pages: { answer: SourceAnswer; parsed: ParsedPage }[];
  /** The publisher answered 304 Not Modified: nothing was parsed. */
  notModified: boolean;
  /** The series asked for, as the answer holds it (null when not modified). */
  answer: JudgedAnswer | null;
  /** false when the publisher's catalogue no longer lists the indicator; null when not checked. */
  listed: boolean | null;
}

const MAX_PAGES = 500;
/** How far back an incremental fetch reaches, so recent revisions are seen. */
const REVISION_WINDOW: Record<Frequency, number> = { daily: 90, weekly: 26, monthly: 24, quarterly: 8, annual: 5 };

/** Reads and parses every page of a series' source and judges the answer; throws SourceError. */
export async function readSource(deps: ReadDeps, row: SeriesRow, full: boolean): Promise<SourceRead> {
  let block: { kind: string } & Record<string, unknown>;
  try {
    block = JSON.parse(row.source ?? 'null') ?? { kind: '' };
  } catch {
    throw new SourceError('config', `the source block is not JSON: ${JSON.stringify((row.source ?? '').slice(0, 60))}`, true);
  }
  const checked = checkSource(block);
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
  const conditional = request.method === 'POST' || request.form || request.json !== undefined || full ? undefined : lastGoodRun(deps.db, row.id, redactUrl(request.url)) ?? undefined;
  const base = { kind: plugin.kind, access: plugin.access === true, request };
  const pages: SourceRead['pages'] = [];
  let next: SourceRequest | null = request;
  while (next) {
    if (pages.length >= MAX_PAGES) throw new SourceError('shape', `more than ${MAX_PAGES} pages`, true);
    const answer = await deps.http(next, pages.length === 0 ? conditional : undefined);
    if (answer.status === 304) return { ...base, pages: [{ answer, parsed: { series: [] } }], notModified: true, answer: null, listed: null };
    const parsed = await parsePage(plugin, answer, ref, ctx);
    pages.push({ answer, parsed });
    next = parsed.next ?? null;
  }
  const verdict = judgeAnswer(plugin.key(ref), pages.map((p) => p.parsed));
  if (!verdict.ok) throw new SourceError(verdict.code, verdict.message, true);
  let listed: boolean | null = null;
  const listing = plugin.listing?.request(ref, ctx);
  if (listing && plugin.listing) listed = plugin.listing.contains(await deps.http(listing), ref);
  return { ...base, pages, notModified: false, answer: verdict, listed };
}

/** The plug-in's parse; an answer it cannot read that is a firewall or captcha page fails as blocked. */
async function parsePage(plugin: SourcePlugin<unknown>, answer: SourceAnswer, ref: unknown, ctx: SourceContext): Promise<ParsedPage> {
  try {
    return plugin.parse(plugin.prepare ? await plugin.prepare(answer, ref) : answer, ref, ctx);
  } catch (e) {
    const why = e instanceof SourceError && (e.code === 'malformed' || e.code === 'shape') ? blockedPage(answer.headers, answer.text) : null;
    if (why) throw new SourceError('blocked', `${answer.url}: ${why} instead of data (HTTP ${answer.status})`, true, answer.status);
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
