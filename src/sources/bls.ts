// US Bureau of Labor Statistics, Public Data API v2: `POST /publicAPI/v2/timeseries/data/` with a
// JSON body `{ seriesid: [id], startyear, endyear, registrationkey? }`. The API answers at most 10
// years per request without a registration key and 20 with one (BLS_API_KEY, optional), so a long
// history is read a window of years at a time. Each data row is `{ year, period, value, footnotes }`:
// M01-M12 months, Q01-Q04 quarters, A01 a year; M13, Q05 and S03 are averages of the year, not
// periods. A value of "-" is a listed period without a figure (October 2025, "Data unavailable due
// to the 2025 lapse in appropriations"): a gap, never zero.
import { z } from 'zod';
import { comparePeriods, type Covers, type Frequency, type Period } from '../core/index.js';
import { parseJson, publisherError, unexpectedShape } from './errors.js';
import type { ParsedObservation, ParsedPage, SourceAnswer, SourceContext, SourcePlugin, SourceRequest } from './types.js';

export const blsRef = z.strictObject({
  series: z.string().trim().regex(/^[A-Z][A-Z0-9]{5,29}$/, 'a BLS series id in capitals (CUSR0000SA0, LNS14000000)'),
});
export type BlsRef = z.infer<typeof blsRef>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NUMBER = /^-?(\d+\.?\d*|\.\d+)$/;
/** Averages of a year that BLS lists beside the periods. */
const AVERAGES = new Set(['M13', 'Q05', 'S03']);
const PATH = '/publicAPI/v2/timeseries/data/';

/** Years one request may span: 20 with a registration key, 10 without. */
const spanOf = (ctx: SourceContext) => (ctx.apiKey ? 20 : 10);
const yearOf = (ms: number) => new Date(ms).getUTCFullYear();

function body(ref: BlsRef, start: number, end: number, apiKey: string | null) {
  return { seriesid: [ref.series], startyear: String(start), endyear: String(end), ...(apiKey ? { registrationkey: apiKey } : {}) };
}

/** The first window of years: from the first period wanted (or, for the full history, as far back as one request reaches). */
function request(ref: BlsRef, ctx: SourceContext): SourceRequest {
  const last = yearOf(ctx.now);
  const first = ctx.from === null ? last - spanOf(ctx) + 1 : Number(ctx.from.slice(0, 4));
  return page(ref, ctx, first, last);
}

function page(ref: BlsRef, ctx: SourceContext, first: number, last: number): SourceRequest {
  const end = Math.min(last, first + spanOf(ctx) - 1);
  return { url: `${ctx.baseUrl.replace(/\/+$/, '')}${PATH}`, method: 'POST', json: body(ref, first, end, ctx.apiKey) };
}

/** BLS's period code in lacuna's period for the series' frequency; null for a yearly average. */
function toPeriod(year: unknown, code: unknown, f: Frequency, what: string): Period | null {
  if (typeof year !== 'string' || !/^\d{4}$/.test(year) || typeof code !== 'string') {
    throw unexpectedShape(`${what}: a data row has no year and period (${JSON.stringify(year)}, ${JSON.stringify(code)})`);
  }
  if (AVERAGES.has(code)) return null;
  const m = /^([MQA])(\d{2})$/.exec(code);
  const n = m ? Number(m[2]) : 0;
  if (m?.[1] === 'M' && f === 'monthly' && n >= 1 && n <= 12) return `${year}-${m[2]}`;
  if (m?.[1] === 'Q' && f === 'quarterly' && n >= 1 && n <= 4) return `${year}-Q${n}`;
  if (m?.[1] === 'A' && f === 'annual' && n === 1) return year;
  throw unexpectedShape(`${what}: period ${code} of ${year} is not a ${f} period`);
}

/** The footnote codes of a row ('P' preliminary, 'X' unavailable...), as given; null when none. */
function footnoteCodes(notes: unknown): string | null {
  const codes = (Array.isArray(notes) ? notes : []).flatMap((n) => (isObject(n) && typeof n.code === 'string' && n.code ? [n.code] : []));
  return codes.length ? codes.join(',') : null;
}

function toObservations(rows: unknown[], f: Frequency, what: string): ParsedObservation[] {
  const seen = new Set<Period>();
  return rows.flatMap((r): ParsedObservation[] => {
    if (!isObject(r)) throw unexpectedShape(`${what}: a data row is not an object`);
    const period = toPeriod(r.year, r.period, f, what);
    if (period === null) return [];
    if (seen.has(period)) throw unexpectedShape(`${what}: period ${period} appears twice`);
    seen.add(period);
    if (typeof r.value !== 'string') throw unexpectedShape(`${what}: the value for ${period} is not a string`);
    const text = r.value.trim();
    if (text === '-') return [{ period, value: null, valueText: '' }];
    if (!NUMBER.test(text)) throw unexpectedShape(`${what}: value ${JSON.stringify(r.value)} for ${period} is not a number`);
    return [{ period, value: Number(text), valueText: text, obsStatus: footnoteCodes(r.footnotes) }];
  });
}

/** What a page covers: every period of the years it asked for, up to the newest it lists. */
function coverage(obs: ParsedObservation[], asked: { startyear: string }, ctx: SourceContext): Covers {
  if (!obs.length) return null;
  const f = ctx.frequency;
  const sorted = obs.map((o) => o.period).sort((a, b) => comparePeriods(a, b, f));
  const firstOfYear: Period = f === 'monthly' ? `${asked.startyear}-01` : f === 'quarterly' ? `${asked.startyear}-Q1` : asked.startyear;
  const from = ctx.from !== null && comparePeriods(ctx.from, firstOfYear, f) > 0 ? ctx.from : firstOfYear;
  const to = sorted.at(-1)!;
  return comparePeriods(from, to, f) <= 0 ? { from, to } : null;
}

/** The publisher's messages, without the registration key should one echo it. */
const said = (messages: unknown, ctx: SourceContext) => (Array.isArray(messages) ? messages : [])
  .filter((m): m is string => typeof m === 'string')
  .map((m) => (ctx.apiKey ? m.split(ctx.apiKey).join('***') : m));

function parse(answer: SourceAnswer, ref: BlsRef, ctx: SourceContext): ParsedPage {
  const what = `BLS ${ref.series}`;
  const doc = parseJson(answer.text, what);
  if (!isObject(doc) || typeof doc.status !== 'string') throw unexpectedShape(`${what}: the answer has no status`);
  const messages = said(doc.message, ctx);
  if (doc.status !== 'REQUEST_SUCCEEDED') throw publisherError(`${what}: ${doc.status}: ${messages.join(' ') || 'no message'}`);
  const results = doc.Results;
  const list = isObject(results) ? results.series : undefined;
  if (!Array.isArray(list)) throw unexpectedShape(`${what}: no Results.series list${messages.length ? ` (${messages.join(' ')})` : ''}`);
  const asked = (answer.request?.json ?? body(ref, yearOf(ctx.now), yearOf(ctx.now), null)) as { startyear: string; endyear: string };
  const series = list.map((s) => {
    if (!isObject(s) || typeof s.seriesID !== 'string' || !Array.isArray(s.data)) throw unexpectedShape(`${what}: a series without seriesID and data`);
    // A series BLS does not know comes back with no data and a message naming it: the publisher's words, not an empty answer.
    const id = s.seriesID;
    const unknown = s.data.length === 0 && messages.find((m) => m.includes(id) && /does not exist|invalid series/i.test(m));
    if (unknown) throw publisherError(`${what}: ${unknown}`);
    const observations = toObservations(s.data, ctx.frequency, `${what}`);
    return { key: s.seriesID, observations, covers: coverage(observations, asked, ctx) };
  });
  const end = Number(asked.endyear);
  const next = end < yearOf(ctx.now) ? page(ref, ctx, end + 1, yearOf(ctx.now)) : null;
  return { series, next };
}

export const bls: SourcePlugin<BlsRef> = {
  kind: 'bls',
  ref: blsRef,
  defaultBaseUrl: 'https://api.bls.gov',
  apiKeyEnv: 'BLS_API_KEY',
  apiKeyOptional: true,
  request,
  key: (ref) => ref.series,
  parse,
};
