// FRED (St. Louis Fed): `GET /fred/series/observations?series_id=..&api_key=..&file_type=json`.
// FRED dates every observation by the first day of its period; lacuna's periods are derived from it.
// FRED is often a mirror (its IMF and OECD copies): its own freshness comes from `GET /fred/series`,
// whose `last_updated` and `observation_end` say when FRED last updated the series and how far it runs.
import { z } from 'zod';
import {
  comparePeriods, formatDay, parseDay, periodOf, periodStart, type Covers, type Freshness, type Frequency, type Period,
} from '../core/index.js';
import { SourceError, parseJson, publisherError, unexpectedShape } from './errors.js';
import type { ParsedObservation, ParsedPage, SourceAnswer, SourceContext, SourcePlugin, SourceRequest } from './types.js';

export const fredRef = z.strictObject({ series_id: z.string().trim().regex(/^[A-Za-z0-9_.-]+$/, 'a FRED series id') });
export type FredRef = z.infer<typeof fredRef>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function request(ref: FredRef, ctx: SourceContext): SourceRequest {
  if (!ctx.apiKey) throw new SourceError('config', 'FRED needs an API key: set FRED_API_KEY in the environment', true);
  const q = new URLSearchParams({ series_id: ref.series_id, api_key: ctx.apiKey, file_type: 'json' });
  if (ctx.from !== null) q.set('observation_start', formatDay(periodStart(ctx.from, ctx.frequency)));
  return { url: `${ctx.baseUrl.replace(/\/+$/, '')}/fred/series/observations?${q}` };
}

/** FRED's date for a period: its first day (monthly, quarterly, annual), any day of an ISO week, or the day. */
function toPeriod(date: unknown, f: Frequency, what: string): Period {
  let day: number;
  try {
    day = parseDay(String(date));
  } catch {
    throw unexpectedShape(`${what}: date ${JSON.stringify(date)} is not a YYYY-MM-DD date`);
  }
  const period = periodOf(day, f);
  if ((f === 'monthly' || f === 'quarterly' || f === 'annual') && periodStart(period, f) !== day) {
    throw unexpectedShape(`${what}: date ${String(date)} is not the first day of a ${f} period`);
  }
  return period;
}

/** "." is FRED's mark for a listed date without a value. */
function toObservation(o: unknown, f: Frequency, what: string): ParsedObservation {
  if (!isObject(o) || typeof o.value !== 'string') throw unexpectedShape(`${what}: an observation has no string value`);
  const period = toPeriod(o.date, f, what);
  if (o.value === '.') return { period, value: null, valueText: '' };
  if (!NUMBER.test(o.value)) throw unexpectedShape(`${what}: value ${JSON.stringify(o.value)} for ${period} is not a number`);
  return { period, value: Number(o.value), valueText: o.value };
}

function observations(list: unknown[], f: Frequency, what: string): ParsedObservation[] {
  const seen = new Set<Period>();
  return list.map((o) => {
    const obs = toObservation(o, f, what);
    // Two dates in one period mean the series is more frequent than the catalogue says.
    if (seen.has(obs.period)) throw unexpectedShape(`${what}: two observations fall in ${f} period ${obs.period}`);
    seen.add(obs.period);
    return obs;
  });
}

/** A single full-history answer covers everything; otherwise only the span it lists (from ctx.from on the first page). */
function coverage(obs: ParsedObservation[], ctx: SourceContext, first: boolean, last: boolean): Covers {
  if (first && last && ctx.from === null) return 'all';
  if (obs.length === 0) return null;
  const sorted = obs.map((o) => o.period).sort((a, b) => comparePeriods(a, b, ctx.frequency));
  const from = first && ctx.from !== null ? ctx.from : sorted[0]!;
  const to = sorted[sorted.length - 1]!;
  return comparePeriods(from, to, ctx.frequency) <= 0 ? { from, to } : null;
}

function parse(answer: SourceAnswer, ref: FredRef, ctx: SourceContext): ParsedPage {
  const what = `FRED ${ref.series_id}`;
  const body = parseJson(answer.text, what);
  if (!isObject(body)) throw unexpectedShape(`${what}: the answer is not a JSON object`);
  if (body.error_code !== undefined || body.error_message !== undefined) {
    throw publisherError(`${what}: ${String(body.error_message ?? `error ${String(body.error_code)}`)}`);
  }
  const { observations: list, count, offset } = body;
  if (!Array.isArray(list) || typeof count !== 'number' || typeof offset !== 'number') {
    throw unexpectedShape(`${what}: no observations list with numeric count and offset`);
  }
  const end = offset + list.length;
  if (end < count && list.length === 0) throw unexpectedShape(`${what}: page at offset ${offset} of ${count} is empty`);
  const obs = observations(list, ctx.frequency, what);
  const next = end < count ? { url: `${request(ref, ctx).url}&offset=${end}` } : null;
  // FRED answers for the one series asked for: its id is the key.
  return { series: [{ key: ref.series_id, observations: obs, covers: coverage(obs, ctx, offset === 0, next === null) }], next };
}

/** FRED's `last_updated` ("2024-06-26 12:04:19-05", offset in hours) as epoch ms. */
export function parseFredLastUpdated(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})([+-])(\d{2})(?::?(\d{2}))?$/.exec(s.trim());
  if (!m) throw unexpectedShape(`FRED last_updated ${JSON.stringify(s)} is not "YYYY-MM-DD hh:mm:ss±hh"`);
  const [, y, mo, d, h, mi, sec, sign, oh, om] = m;
  const local = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +sec!);
  const offsetMs = (+oh! * 60 + +(om ?? 0)) * 60_000 * (sign === '-' ? -1 : 1);
  if (new Date(local).toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) throw unexpectedShape(`FRED last_updated ${s}: no such date`);
  return local - offsetMs;
}

/** What `GET /fred/series` says of the series' freshness: last_updated and observation_end. */
export function parseFredSeries(answer: SourceAnswer, ref: FredRef, ctx: SourceContext): Freshness {
  const what = `FRED ${ref.series_id} (series)`;
  const body = parseJson(answer.text, what);
  const doc = isObject(body) && Array.isArray(body.seriess) ? body.seriess.find((s) => isObject(s) && s.id === ref.series_id) : undefined;
  if (!isObject(doc)) throw unexpectedShape(`${what}: no seriess entry for ${ref.series_id}`);
  const updatedAt = typeof doc.last_updated === 'string' ? parseFredLastUpdated(doc.last_updated) : null;
  const through = typeof doc.observation_end === 'string' ? toPeriod(doc.observation_end, ctx.frequency, what) : null;
  return { updatedAt, through };
}

export const fred: SourcePlugin<FredRef> = {
  kind: 'fred',
  ref: fredRef,
  defaultBaseUrl: 'https://api.stlouisfed.org',
  apiKeyEnv: 'FRED_API_KEY',
  request,
  key: (ref) => ref.series_id,
  parse,
  freshness: {
    request: (ref, ctx) => ({ url: `${ctx.baseUrl.replace(/\/+$/, '')}/fred/series?${new URLSearchParams({ series_id: ref.series_id, api_key: ctx.apiKey ?? '', file_type: 'json' })}` }),
    read: parseFredSeries,
  },
};
