// Argentina's time-series API (datos.gob.ar, `apis.datos.gob.ar/series/api/series/`), which republishes
// the series of INDEC and other agencies: `?ids=<id>&metadata=full&format=json`. The answer holds
// `data`, a list of `[date, value]` rows (`null` is a listed period without a value), and `meta`:
// first the frequency and the dates asked, then the series' catalogue entry, whose `field` names
// the series (`id`) and, with `metadata=full`, says how far the portal's copy runs
// (`time_index_end`) and whether the portal counts it as updated (`is_updated`). The portal is a
// republisher: a block for it is a secondary source, and its own end date is its freshness.
import { z } from 'zod';
import { comparePeriods, periodOf, parseDay, type Covers, type Freshness, type Frequency, type Period } from '../core/index.js';
import { parseJson, SourceError, unexpectedShape } from './errors.js';
import type { ParsedObservation, ParsedPage, SourceAnswer, SourceContext, SourcePlugin, SourceRequest } from './types.js';

export const argentinaRef = z.strictObject({
  /** The series id in the portal's catalogue ('148.3_INIVELNAL_DICI_M_26'). */
  id: z.string().trim().regex(/^[A-Za-z0-9_.]+$/, 'a series id of the portal (148.3_INIVELNAL_DICI_M_26)'),
});
export type ArgentinaRef = z.infer<typeof argentinaRef>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const PATH = '/series/api/series/';
/** The portal's frequency words, as lacuna's. */
const FREQUENCY: Record<string, Frequency> = { day: 'daily', week: 'weekly', month: 'monthly', quarter: 'quarterly', year: 'annual' };

function request(ref: ArgentinaRef, ctx: SourceContext): SourceRequest {
  const q = new URLSearchParams({ ids: ref.id, metadata: 'full', format: 'json', limit: '5000' });
  if (ctx.from !== null) q.set('start_date', parseableStart(ctx.from));
  return { url: `${ctx.baseUrl.replace(/\/+$/, '')}${PATH}?${q}` };
}

/** The first day of a period, as the portal's start_date takes it. */
function parseableStart(p: Period): string {
  if (/^\d{4}$/.test(p)) return `${p}-01-01`;
  const q = /^(\d{4})-Q([1-4])$/.exec(p);
  if (q) return `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  return /^\d{4}-\d{2}$/.test(p) ? `${p}-01` : p;
}

/** The catalogue entry of the series: the second item of `meta`. */
function fieldOf(doc: Record<string, unknown>, what: string): Record<string, unknown> {
  const meta = doc.meta;
  if (!Array.isArray(meta) || meta.length < 2 || !isObject(meta[1]) || !isObject(meta[1].field)) throw unexpectedShape(`${what}: the answer's meta names no series (meta[1].field)`);
  return meta[1].field;
}

function toPeriod(date: unknown, f: Frequency, what: string): Period {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw unexpectedShape(`${what}: a row's date ${JSON.stringify(date)} is not YYYY-MM-DD`);
  try {
    return periodOf(parseDay(date), f);
  } catch {
    throw unexpectedShape(`${what}: ${date} is not a date`);
  }
}

function parse(answer: SourceAnswer, ref: ArgentinaRef, ctx: SourceContext): ParsedPage {
  const what = `datos.gob.ar ${ref.id}`;
  const doc = parseJson(answer.text, what);
  if (!isObject(doc)) throw unexpectedShape(`${what}: the answer is not a JSON object`);
  if (!Array.isArray(doc.data) || !Array.isArray(doc.meta) || !isObject(doc.meta[0])) throw unexpectedShape(`${what}: no data and meta lists`);
  const given = doc.meta[0].frequency;
  if (typeof given === 'string' && FREQUENCY[given] && FREQUENCY[given] !== ctx.frequency) {
    throw new SourceError('config', `${what}: the portal says the series is ${given}ly, the catalogue says ${ctx.frequency}`, true);
  }
  const field = fieldOf(doc, what);
  if (typeof field.id !== 'string') throw unexpectedShape(`${what}: the series entry has no id`);
  const seen = new Set<Period>();
  const observations = doc.data.map((row): ParsedObservation => {
    if (!Array.isArray(row) || row.length < 2) throw unexpectedShape(`${what}: a data row is not [date, value]`);
    const period = toPeriod(row[0], ctx.frequency, what);
    if (seen.has(period)) throw unexpectedShape(`${what}: period ${period} appears twice`);
    seen.add(period);
    const v = row[1];
    if (v === null) return { period, value: null, valueText: '' };
    if (typeof v !== 'number' || !Number.isFinite(v)) throw unexpectedShape(`${what}: the value for ${period} is not a number`);
    return { period, value: v, valueText: String(v) };
  });
  // The rows run from the date asked (or the series' start) to its newest: the answer covers them.
  const sorted = [...seen].sort((a, b) => comparePeriods(a, b, ctx.frequency));
  const covers: Covers = sorted.length ? { from: sorted[0]!, to: sorted.at(-1)! } : null;
  return { series: [{ key: field.id, observations, covers }] };
}

/** How far the portal's copy runs, on its own word (`time_index_end`), where it says so. */
export function argentinaFreshness(answer: SourceAnswer, ref: ArgentinaRef, ctx: SourceContext): Freshness {
  const doc = parseJson(answer.text, `datos.gob.ar ${ref.id}`);
  const field = isObject(doc) && Array.isArray(doc.meta) && isObject(doc.meta[1]) && isObject(doc.meta[1].field) ? doc.meta[1].field : null;
  const end = field && typeof field.time_index_end === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(field.time_index_end) ? field.time_index_end : null;
  return { updatedAt: null, through: end ? periodOf(parseDay(end), ctx.frequency) : null };
}

export const argentina: SourcePlugin<ArgentinaRef> = {
  kind: 'datos_gob_ar',
  ref: argentinaRef,
  defaultBaseUrl: 'https://apis.datos.gob.ar',
  request,
  key: (ref) => ref.id,
  parse,
  freshness: { read: argentinaFreshness },
};
