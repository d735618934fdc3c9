// The UK Office for National Statistics' time-series JSON: `GET https://www.ons.gov.uk/<path>/data`,
// where <path> is the series page's own path (`.../timeseries/mgsx/lms`: the CDID, then the
// dataset). One answer holds the whole series three ways, `years`, `quarters` and `months`, each
// item `{ date, value, label, year, month, quarter, sourceDataset, updateDate }` with the value as
// text, and a `description` naming the CDID, the dataset, the unit and the release dates. The
// series' frequency picks the list. A three-month rolling average (the Labour Force Survey's) is
// dated by its middle month ("2023 SEP", label "2023 AUG-OCT"); `period: label_end` files it under
// the label's last month instead, as lacuna's catalogue does.
import { z } from 'zod';
import { comparePeriods, type Covers, type Frequency, type Period } from '../core/index.js';
import { parseJson, unexpectedShape } from './errors.js';
import type { ParsedObservation, ParsedPage, SourceAnswer, SourceContext, SourcePlugin, SourceRequest } from './types.js';

export const onsRef = z.strictObject({
  /** The series page's path on www.ons.gov.uk, ending in timeseries/<cdid>/<dataset>. */
  path: z.string().trim().regex(/^([a-z0-9]+\/)+timeseries\/[a-z0-9]{4}\/[a-z0-9]+$/, 'the series page\'s path, ending in timeseries/<cdid>/<dataset> (lower case, no leading slash)'),
  /** Which month an item is filed under: its `date` (the default) or the last month of its `label`. */
  period: z.enum(['date', 'label_end']).optional(),
});
export type OnsRef = z.infer<typeof onsRef>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NUMBER = /^-?(\d+\.?\d*|\.\d+)$/;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const LIST: Record<Exclude<Frequency, 'daily' | 'weekly'>, 'years' | 'quarters' | 'months'> = { annual: 'years', quarterly: 'quarters', monthly: 'months' };

/** The CDID and dataset a ref asks for, as the answer's description names them: "MGSX/LMS". */
const keyOf = (ref: OnsRef) => {
  const [cdid, dataset] = ref.path.split('/').slice(-2);
  return `${cdid!.toUpperCase()}/${dataset!.toUpperCase()}`;
};

function request(ref: OnsRef, ctx: SourceContext): SourceRequest {
  return { url: `${ctx.baseUrl.replace(/\/+$/, '')}/${ref.path}/data` };
}

const month = (name: string, what: string) => {
  const i = MONTHS.indexOf(name.toUpperCase());
  if (i < 0) throw unexpectedShape(`${what}: "${name}" is not a month`);
  return i + 1;
};
const pad = (n: number) => String(n).padStart(2, '0');

/** An item's period: its date ("2023 SEP", "2023 Q3", "2023"), or the last month of its label ("2023 NOV-JAN" is 2024-01). */
function periodOf(item: Record<string, unknown>, ref: OnsRef, f: Frequency, what: string): Period {
  const date = typeof item.date === 'string' ? item.date.trim() : '';
  if (ref.period === 'label_end') {
    const label = typeof item.label === 'string' ? item.label.trim() : '';
    const m = /^(\d{4}) ([A-Z]{3})-([A-Z]{3})$/i.exec(label);
    if (f !== 'monthly' || !m) throw unexpectedShape(`${what}: label "${label}" of ${date || 'an item'} is not a span of months (YYYY MMM-MMM)`);
    const first = month(m[2]!, what);
    const last = month(m[3]!, what);
    return `${Number(m[1]) + (last < first ? 1 : 0)}-${pad(last)}`;
  }
  let m: RegExpExecArray | null;
  if (f === 'monthly' && (m = /^(\d{4}) ([A-Z]{3})$/i.exec(date))) return `${m[1]}-${pad(month(m[2]!, what))}`;
  if (f === 'quarterly' && (m = /^(\d{4}) Q([1-4])$/.exec(date))) return `${m[1]}-Q${m[2]}`;
  if (f === 'annual' && /^\d{4}$/.test(date)) return date;
  throw unexpectedShape(`${what}: date "${date}" is not a ${f} period`);
}

function parse(answer: SourceAnswer, ref: OnsRef, ctx: SourceContext): ParsedPage {
  const what = `ONS ${keyOf(ref)}`;
  const f = ctx.frequency;
  if (f === 'daily' || f === 'weekly') throw unexpectedShape(`${what}: ONS time series are annual, quarterly or monthly, not ${f}`);
  const doc = parseJson(answer.text, what);
  if (!isObject(doc) || !isObject(doc.description)) throw unexpectedShape(`${what}: the answer has no description`);
  const d = doc.description;
  if (typeof d.cdid !== 'string' || typeof d.datasetId !== 'string') throw unexpectedShape(`${what}: the description names no cdid and datasetId`);
  const items = doc[LIST[f]];
  if (!Array.isArray(items)) throw unexpectedShape(`${what}: the answer has no "${LIST[f]}" list`);
  const seen = new Set<Period>();
  const observations = items.map((item): ParsedObservation => {
    if (!isObject(item)) throw unexpectedShape(`${what}: an item of "${LIST[f]}" is not an object`);
    const period = periodOf(item, ref, f, what);
    if (seen.has(period)) throw unexpectedShape(`${what}: period ${period} appears twice`);
    seen.add(period);
    const text = typeof item.value === 'string' ? item.value.trim() : '';
    if (text === '') return { period, value: null, valueText: '' };
    if (!NUMBER.test(text)) throw unexpectedShape(`${what}: value ${JSON.stringify(item.value)} for ${period} is not a number`);
    return { period, value: Number(text), valueText: text };
  });
  // The answer is the whole series: it covers everything from its first period to its last.
  const sorted = [...seen].sort((a, b) => comparePeriods(a, b, f));
  const covers: Covers = sorted.length ? { from: sorted[0]!, to: sorted.at(-1)! } : null;
  return { series: [{ key: `${d.cdid.toUpperCase()}/${d.datasetId.toUpperCase()}`, observations, covers }] };
}

export const ons: SourcePlugin<OnsRef> = {
  kind: 'ons',
  ref: onsRef,
  defaultBaseUrl: 'https://www.ons.gov.uk',
  request,
  key: keyOf,
  parse,
};
