// DBnomics API v22: one series per ref, `GET /v22/series/{provider}/{dataset}/{series}?observations=1`.
// DBnomics redistributes each series' full history as-is, so an answer covers every period. It is a
// mirror: each series document says when DBnomics last indexed it (`indexed_at`), its freshness.
import { z } from 'zod';
import { FREQUENCIES, normalisePeriod, type Freshness, type Frequency, type Period } from '../core/index.js';
import { SourceError, parseJson, publisherError, unexpectedShape } from './errors.js';
import type { ParsedObservation, ParsedPage, SourceAnswer, SourceContext, SourcePlugin, SourceRequest } from './types.js';

const code = z.string().trim().min(1).regex(/^[^/?#\s]+$/, 'no "/", "?", "#" or spaces');

export const dbnomicsRef = z.strictObject({ provider: code, dataset: code, series: code });
export type DbnomicsRef = z.infer<typeof dbnomicsRef>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const refName = (ref: DbnomicsRef) => `${ref.provider}/${ref.dataset}/${ref.series}`;

function request(ref: DbnomicsRef, ctx: SourceContext): SourceRequest {
  const path = [ref.provider, ref.dataset, ref.series].map(encodeURIComponent).join('/');
  return { url: `${ctx.baseUrl.replace(/\/+$/, '')}/v22/series/${path}?observations=1&format=json` };
}

/** DBnomics reports errors in `errors` (a list of objects with a message) or as a bare `message`. */
function errorText(body: Record<string, unknown>): string | null {
  if (typeof body.message === 'string') return body.message;
  if (body.message !== undefined) return JSON.stringify(body.message);
  const errors = body.errors;
  if (errors === null || errors === undefined) return null;
  const list = Array.isArray(errors) ? errors : [errors];
  const texts = list.map((e) => (isObject(e) && typeof e.message === 'string' ? e.message : JSON.stringify(e)));
  return texts.join('; ') || JSON.stringify(errors);
}

interface SeriesPage { docs: unknown[]; numFound: number; offset: number; limit: number }

function seriesPage(body: Record<string, unknown>, what: string): SeriesPage {
  const s = body.series;
  if (!isObject(s) || !Array.isArray(s.docs)) throw unexpectedShape(`${what}: no series.docs list`);
  const { num_found: numFound, offset, limit } = s;
  if (typeof numFound !== 'number' || typeof offset !== 'number' || typeof limit !== 'number') {
    throw unexpectedShape(`${what}: series.num_found/offset/limit are not numbers`);
  }
  return { docs: s.docs, numFound, offset, limit };
}

function toPeriod(raw: unknown, f: Frequency, what: string): Period {
  if (typeof raw !== 'string') throw unexpectedShape(`${what}: period ${JSON.stringify(raw)} is not a string`);
  try {
    return normalisePeriod(raw, f);
  } catch {
    throw unexpectedShape(`${what}: period ${JSON.stringify(raw)} is not a ${f} period`);
  }
}

/** A number, or the string "NA" that DBnomics writes for a listed period without a value. */
function toObservation(period: Period, raw: unknown, what: string): ParsedObservation {
  if (raw === 'NA') return { period, value: null, valueText: '' };
  if (typeof raw === 'number' && Number.isFinite(raw)) return { period, value: raw, valueText: String(raw) };
  throw unexpectedShape(`${what}: value ${JSON.stringify(raw)} for ${period} is neither a number nor "NA"`);
}

function checkFrequency(doc: Record<string, unknown>, f: Frequency, what: string): void {
  // Only lacuna's five names can be compared; others (e.g. 'bi-annual') fail on their periods.
  const given = doc['@frequency'];
  if ((FREQUENCIES as readonly unknown[]).includes(given) && given !== f) {
    throw new SourceError('config', `${what}: DBnomics says the series is ${String(given)}, the catalogue says ${f}`, true);
  }
}

function observations(doc: Record<string, unknown>, f: Frequency, what: string): ParsedObservation[] {
  const { period: periods, value: values } = doc;
  if (!Array.isArray(periods) || !Array.isArray(values)) throw unexpectedShape(`${what}: no period[]/value[] arrays`);
  if (periods.length !== values.length) {
    throw unexpectedShape(`${what}: ${periods.length} periods but ${values.length} values`);
  }
  const seen = new Set<Period>();
  return periods.map((raw, i) => {
    const period = toPeriod(raw, f, what);
    if (seen.has(period)) throw unexpectedShape(`${what}: period ${period} appears twice`);
    seen.add(period);
    return toObservation(period, values[i], what);
  });
}

function parse(answer: SourceAnswer, ref: DbnomicsRef, ctx: SourceContext): ParsedPage {
  const what = `DBnomics ${refName(ref)}`;
  const body = parseJson(answer.text, what);
  if (!isObject(body)) throw unexpectedShape(`${what}: the answer is not a JSON object`);
  const error = errorText(body);
  if (error !== null) throw publisherError(`${what}: ${error}`);
  const page = seriesPage(body, what);
  const doc = page.docs.find((d) => isObject(d) && d.series_code === ref.series);
  const others = page.docs.flatMap((d) => (isObject(d) && typeof d.series_code === 'string' && d.series_code !== ref.series ? [d.series_code] : []));
  if (!isObject(doc)) {
    if (page.numFound === 0) throw publisherError(`${what}: DBnomics has no such series (num_found 0)`);
    // Not on this page: ask for the next one rather than call the series absent.
    const next = page.numFound > page.offset + page.limit ? { url: `${request(ref, ctx).url}&offset=${page.offset + page.limit}` } : null;
    return { series: [], others, next };
  }
  checkFrequency(doc, ctx.frequency, what);
  return { series: [{ key: ref.series, observations: observations(doc, ctx.frequency, what), covers: 'all' }], others, next: null };
}

/** The series document's `indexed_at`: when DBnomics last updated its copy. */
export function dbnomicsIndexedAt(answer: SourceAnswer, ref: DbnomicsRef): Freshness {
  const body = parseJson(answer.text, `DBnomics ${refName(ref)}`);
  const docs = isObject(body) && isObject(body.series) && Array.isArray(body.series.docs) ? body.series.docs : [];
  const doc = docs.find((d) => isObject(d) && d.series_code === ref.series);
  const at = isObject(doc) && typeof doc.indexed_at === 'string' ? Date.parse(doc.indexed_at) : NaN;
  return { updatedAt: Number.isNaN(at) ? null : at, through: null };
}

export const dbnomics: SourcePlugin<DbnomicsRef> = {
  kind: 'dbnomics',
  ref: dbnomicsRef,
  defaultBaseUrl: 'https://api.db.nomics.world',
  request,
  key: (ref) => ref.series,
  parse,
  freshness: { read: dbnomicsIndexedAt },
};
