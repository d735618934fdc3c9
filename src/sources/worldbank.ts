// World Bank Indicators API v2: `GET /v2/country/{c}/indicator/{i}?format=json&per_page=1000`.
// Answers are `[meta, rows]`, newest first. The v1 quirks (numbers as strings) are accepted too,
// because the only recorded answer is a v1 one.
import { z } from 'zod';
import { comparePeriods, normalisePeriod, periodOf, type Covers, type Frequency, type Period } from '../core/index.js';
import { SourceError, parseJson, publisherError, unexpectedShape } from './errors.js';
import type { ParsedObservation, ParsedPage, SourceAnswer, SourceContext, SourcePlugin, SourceRequest } from './types.js';

export const worldbankRef = z.strictObject({
  country: z.string().trim().regex(/^[A-Za-z0-9]{2,3}$/, 'one 2- or 3-character country or aggregate code'),
  indicator: z.string().trim().regex(/^[A-Za-z0-9_.]+$/, 'a World Bank indicator code'),
});
export type WorldbankRef = z.infer<typeof worldbankRef>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** The World Bank's spelling of a period: '2019', '2012M01', '2013Q1'. */
const wbPeriod = (p: Period) => p.replace(/^(\d{4})-(\d{2})$/, '$1M$2').replace('-Q', 'Q');

function request(ref: WorldbankRef, ctx: SourceContext): SourceRequest {
  const f = ctx.frequency;
  if (f === 'daily' || f === 'weekly') throw new SourceError('config', `the World Bank publishes no ${f} data`, true);
  const path = `country/${encodeURIComponent(ref.country)}/indicator/${encodeURIComponent(ref.indicator)}`;
  let url = `${ctx.baseUrl.replace(/\/+$/, '')}/v2/${path}?format=json&per_page=1000`;
  if (ctx.from !== null) {
    const now = periodOf(ctx.now, f);
    const to = comparePeriods(ctx.from, now, f) > 0 ? ctx.from : now;
    url += `&date=${wbPeriod(ctx.from)}:${wbPeriod(to)}`;
  }
  return { url };
}

function toPeriod(raw: unknown, f: Frequency, what: string): Period {
  if (typeof raw !== 'string') throw unexpectedShape(`${what}: date ${JSON.stringify(raw)} is not a string`);
  try {
    return normalisePeriod(raw.replace(/^(\d{4})M(\d{2})$/, '$1-$2'), f);
  } catch {
    throw unexpectedShape(`${what}: date ${JSON.stringify(raw)} is not a ${f} period`);
  }
}

function toObservation(row: Record<string, unknown>, f: Frequency, what: string): ParsedObservation {
  const period = toPeriod(row.date, f, what);
  const status = typeof row.obs_status === 'string' && row.obs_status !== '' ? { obsStatus: row.obs_status } : {};
  const v = row.value;
  if (v === null) return { period, value: null, valueText: '', ...status };
  if (typeof v === 'number' && Number.isFinite(v)) return { period, value: v, valueText: String(v), ...status };
  if (typeof v === 'string' && NUMBER.test(v)) return { period, value: Number(v), valueText: v, ...status };
  throw unexpectedShape(`${what}: value ${JSON.stringify(v)} for ${period} is not a number or null`);
}

/** The indicator a row names (upper case), or null when it names none. */
function rowIndicator(row: Record<string, unknown>): string | null {
  const id = isObject(row.indicator) ? row.indicator.id : undefined;
  return typeof id === 'string' ? id.toUpperCase() : null;
}

/** v2 sends numbers, v1 numeric strings ("1000"). */
function count(meta: Record<string, unknown>, key: string, what: string): number {
  const v = meta[key];
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw unexpectedShape(`${what}: meta.${key} is ${JSON.stringify(v)}`);
  return n;
}

/** The error shape `[{"message":[{"id","key","value"}]}]`. */
function errorText(first: Record<string, unknown>): string {
  const list = Array.isArray(first.message) ? first.message : [first.message];
  return list.map((m) => (isObject(m) ? [m.key, m.value].filter((x) => typeof x === 'string').join(': ') : JSON.stringify(m))).join('; ');
}

/** A single full-history answer covers everything; otherwise the span listed (down to ctx.from on the oldest page). */
function coverage(obs: ParsedObservation[], ctx: SourceContext, oldest: boolean, only: boolean): Covers {
  if (only && ctx.from === null) return 'all';
  if (obs.length === 0) return null;
  const sorted = obs.map((o) => o.period).sort((a, b) => comparePeriods(a, b, ctx.frequency));
  const from = oldest && ctx.from !== null ? ctx.from : sorted[0]!;
  const to = sorted[sorted.length - 1]!;
  return comparePeriods(from, to, ctx.frequency) <= 0 ? { from, to } : null;
}

function parse(answer: SourceAnswer, ref: WorldbankRef, ctx: SourceContext): ParsedPage {
  const what = `World Bank ${ref.country}/${ref.indicator}`;
  const body = parseJson(answer.text, what);
  if (!Array.isArray(body) || !isObject(body[0])) throw unexpectedShape(`${what}: the answer is not [meta, rows]`);
  if (body[0].message !== undefined) throw publisherError(`${what}: ${errorText(body[0])}`);
  const meta = body[0];
  const [page, pages, total] = [count(meta, 'page', what), count(meta, 'pages', what), count(meta, 'total', what)];
  const rows = body[1];
  // No rows at all: an empty answer, which the runner fails (the indicator or the window has none).
  if ((rows === null || (Array.isArray(rows) && rows.length === 0)) && total === 0) return { series: [], next: null };
  if (body.length !== 2 || !Array.isArray(rows) || rows.length === 0) {
    throw unexpectedShape(`${what}: page ${page} of ${pages} (total ${total}) has no rows list`);
  }
  if (!rows.every(isObject)) throw unexpectedShape(`${what}: a row is not an object`);
  // Rows of another indicator are named, not read: the runner fails an answer without this one.
  const wanted = ref.indicator.toUpperCase();
  const mine = rows.filter((r) => (rowIndicator(r) ?? wanted) === wanted);
  const others = [...new Set(rows.flatMap((r) => (rowIndicator(r) ?? wanted) === wanted ? [] : [`${ref.country.toUpperCase()}/${rowIndicator(r)}`]))];
  const seen = new Set<Period>();
  const obs = mine.map((row) => {
    const o = toObservation(row, ctx.frequency, what);
    if (seen.has(o.period)) throw unexpectedShape(`${what}: period ${o.period} appears twice`);
    seen.add(o.period);
    return o;
  });
  const next = page < pages ? { url: `${request(ref, ctx).url}&page=${page + 1}` } : null;
  const only = page === 1 && next === null;
  const unit = mine.map((r) => r.unit).find((u): u is string => typeof u === 'string' && u !== '') ?? null;
  const series = obs.length ? [{ key: keyOf(ref), observations: obs, covers: coverage(obs, ctx, next === null, only), unit }] : [];
  return { series, others, next };
}

/** The series' key: the country and the indicator asked for. */
const keyOf = (ref: WorldbankRef) => `${ref.country.toUpperCase()}/${ref.indicator.toUpperCase()}`;

export const worldbank: SourcePlugin<WorldbankRef> = {
  kind: 'worldbank',
  ref: worldbankRef,
  defaultBaseUrl: 'https://api.worldbank.org',
  request,
  key: keyOf,
  parse,
};
