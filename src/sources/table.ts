// A table a publisher posts at a URL (CSV, JSON or Excel), read through a mapping declared in the
// catalogue, so that a new table needs a YAML entry, not code. Two layouts:
//
// | layout         | the series is                         | its periods are            |
// |----------------|---------------------------------------|----------------------------|
// | long (default) | value_column (rows picked by filter)  | the period_column of rows  |
// | wide           | the one row whose row.column = equals | the header cells (periods) |
//
// A posted table is the publisher's whole current table, so it covers 'all'; `covers: listed` says
// it holds only the periods it lists (a day's answer), so nothing outside them is withdrawn. Excel is
// unzipped asynchronously: `prepare` turns an xlsx answer into CSV text first and `parse`
// (synchronous) only ever sees rows; the runner calls `prepare` when a plug-in has one.
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { comparePeriods, normalisePeriod, parseDay, periodOf, type Covers, type Frequency, type Period } from '../core/index.js';
import { SourceError, unexpectedShape } from './errors.js';
import { bodyProblem, requestBodyOptions, withOptions } from './request-options.js';
import { clean, columnIndex, readTable, xlsxToRows, type Table } from './table-read.js';
import type { ParsedObservation, ParsedPage, SourceAnswer, SourcePlugin } from './types.js';

export { xlsxToRows } from './table-read.js';

const PERIOD_FORMATS = ['YYYYMM', 'YYYY-MM', 'YYYY年MM月', 'YYYY', 'YYYYQn', 'YYYYMMDD', 'YYYY-MM-DD', 'as_is'] as const;
type PeriodFormat = (typeof PERIOD_FORMATS)[number];
const ONLY_FOR = { delimiter: ['csv'], rows_path: ['json'], sheet: ['xlsx'], header_row: ['csv', 'xlsx'] } as const;
// YAML reads `equals: 2023` as a number; the cell it is compared with is text.
const match = z.strictObject({ column: z.string().min(1), equals: z.union([z.string(), z.number()]).transform(String) });

export const tableRef = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  format: z.enum(['csv', 'json', 'xlsx']),
  delimiter: z.string().length(1).optional(),
  rows_path: z.string().min(1).optional(),
  sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
  header_row: z.number().int().min(1).optional(),
  layout: z.enum(['long', 'wide']).optional(),
  period_column: z.string().min(1).optional(),
  value_column: z.string().min(1).optional(),
  /** Wide layout: the row that holds the series. */
  row: match.optional(),
  period_format: z.enum(PERIOD_FORMATS).optional(),
  scale: z.number().refine((n) => n !== 0, 'scale must not be 0').optional(),
  filter: match.optional(),
  covers: z.enum(['all', 'listed']).optional(),
  ...requestBodyOptions,
}).superRefine((r, ctx) => {
  for (const [key, formats] of Object.entries(ONLY_FOR) as [keyof typeof ONLY_FOR, readonly string[]][]) {
    if (r[key] !== undefined && !formats.includes(r.format)) ctx.addIssue({ code: 'custom', path: [key], message: `${key} applies to format ${formats.join(' or ')}, not ${r.format}` });
  }
  const wide = r.layout === 'wide';
  const need = wide ? ['row'] as const : ['period_column', 'value_column'] as const;
  const refuse = wide ? ['period_column', 'value_column', 'filter'] as const : ['row'] as const;
  for (const key of need) if (r[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `layout ${r.layout ?? 'long'} needs ${key}` });
  for (const key of refuse) if (r[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} does not apply to layout ${r.layout ?? 'long'}` });
  const body = bodyProblem(r);
  if (body) ctx.addIssue({ code: 'custom', path: ['method'], message: body });
});
export type TableRef = z.infer<typeof tableRef>;

/**
 * The request URL is the ref's own, except that a non-empty ctx.baseUrl other than the URL's origin
 * replaces that origin (path and query kept): how tests and mirrors redirect a posted table.
 */
export function withBase(url: string, baseUrl: string): string {
  const u = new URL(url);
  const base = baseUrl.trim().replace(/\/+$/, '');
  if (!base || base === u.origin) return url;
  if (!URL.canParse(base)) throw new SourceError('config', `base URL ${JSON.stringify(baseUrl)} is not a URL`, true);
  return base + u.pathname + u.search;
}

// Marks publishers use for a listed period without a value: a gap, never a zero.
const GAPS = new Set(['', '-', '--', '—', '–', '－', '…', '...', '..', 'NA', 'N/A']);
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const THOUSANDS = /^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$/;

const pad = (m: RegExpExecArray) => `${m[1]}-${m[2]!.padStart(2, '0')}`;
const PERIOD_RE: Record<Exclude<PeriodFormat, 'as_is'>, [RegExp, (m: RegExpExecArray) => string]> = {
  YYYYMM: [/^(\d{4})(\d{2})$/, pad],
  'YYYY-MM': [/^(\d{4})-(\d{1,2})$/, pad],
  'YYYY年MM月': [/^(\d{4})\s*年\s*(\d{1,2})\s*月份?$/, pad],
  YYYY: [/^(\d{4})\s*年?$/, (m) => m[1]!],
  YYYYQn: [/^(\d{4})\s*-?\s*Q([1-4])$/i, (m) => `${m[1]}-Q${m[2]}`],
  YYYYMMDD: [/^(\d{4})(\d{2})(\d{2})$/, (m) => `${m[1]}-${m[2]}-${m[3]}`],
  // A day, alone or as a timestamp at midnight ("2024-08-16 00:00:00", as Eastmoney writes it); any
  // other hour is refused rather than guessed into a day.
  'YYYY-MM-DD': [/^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$/, (m) => `${m[1]}-${m[2]}-${m[3]}`],
};

/** The series' period for a cell; a full date (an Excel date cell, YYYYMMDD) is the period that holds it. */
function toPeriod(raw: string, format: PeriodFormat, f: Frequency): Period {
  try {
    let text = raw;
    if (format !== 'as_is' && !/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
      const m = PERIOD_RE[format][0].exec(raw);
      if (!m) throw unexpectedShape(`table: period "${raw}" is not written ${format}`);
      text = PERIOD_RE[format][1](m);
    }
    return /^\d{4}-\d{2}-\d{2}$/.test(text) ? periodOf(parseDay(text), f) : normalisePeriod(text, f);
  } catch (e) {
    throw e instanceof SourceError ? e : unexpectedShape(`table: period "${raw}" is not a ${f} period (${(e as Error).message})`);
  }
}

/** One cell's observation; null for a note or spacer row (no period, no value). */
function toObservation(periodCell: string, valueCell: string, ref: TableRef, f: Frequency, where: string): ParsedObservation | null {
  const raw = valueCell.trim();
  let period: Period;
  try {
    period = toPeriod(periodCell.trim(), ref.period_format ?? 'as_is', f);
  } catch (e) {
    if (raw === '') return null;
    throw e;
  }
  if (GAPS.has(raw)) return { period, value: null, valueText: '' };
  const plain = THOUSANDS.test(raw) ? raw.replace(/,/g, '') : raw;
  if (!NUMBER.test(plain)) throw unexpectedShape(`table: value "${raw}" for ${period} in ${where} is not a number`);
  if (ref.scale === undefined) return { period, value: Number(plain), valueText: raw };
  return { period, ...scaled(plain, ref.scale) };
}

/** Digits after the decimal point of a number as written ("33990.78" 2, "0.1" 1, "1e-7" 7). */
function decimals(text: string): number {
  const m = /^[-+]?\d*\.?(\d*)(?:e([-+]?\d+))?$/i.exec(text);
  return m ? Math.max(0, m[1]!.length - Number(m[2] ?? 0)) : 0;
}

/**
 * A value in the series' unit, value and text alike (downloads show the text): the publisher's
 * digits carried through the scale, without float noise ("33990.78" x 0.1 -> "3399.078").
 */
function scaled(plain: string, scale: number): { value: number; valueText: string } {
  const digits = Math.min(20, decimals(plain) + decimals(String(scale)));
  const valueText = (Number(plain) * scale).toFixed(digits);
  return { value: Number(valueText), valueText };
}

/** Observations in order; a period twice is a shape the mapping does not fit. */
function unique(observations: ParsedObservation[], where: string): ParsedObservation[] {
  const seen = new Set<Period>();
  for (const o of observations) {
    if (seen.has(o.period)) throw unexpectedShape(`table: period ${o.period} appears twice in ${where}`);
    seen.add(o.period);
  }
  return observations;
}

/** 'all' for a whole table; for `covers: listed`, only the span of the periods it lists. */
function coverage(obs: ParsedObservation[], ref: TableRef, f: Frequency): Covers {
  if (ref.covers !== 'listed') return 'all';
  if (obs.length === 0) return null;
  const sorted = obs.map((o) => o.period).sort((a, b) => comparePeriods(a, b, f));
  return { from: sorted[0]!, to: sorted.at(-1)! };
}

function parseLong(t: Table, ref: TableRef, f: Frequency): ParsedPage {
  const pi = columnIndex(t, ref.period_column!);
  // A table without the value column, or without a row for the filter, does not hold the series.
  if (!t.columns.includes(clean(ref.value_column!))) return { series: [], others: t.columns.filter((_, i) => i !== pi) };
  const vi = columnIndex(t, ref.value_column!);
  const fi = ref.filter ? columnIndex(t, ref.filter.column) : -1;
  const rows = ref.filter ? t.rows.filter((r) => (r[fi] ?? '').trim() === ref.filter!.equals) : t.rows;
  if (ref.filter && rows.length === 0) {
    const values = [...new Set(t.rows.map((r) => (r[fi] ?? '').trim()))];
    return { series: [], others: values.map((v) => tableKey({ ...ref, filter: { column: ref.filter!.column, equals: v } })) };
  }
  const where = `column "${ref.period_column}"`;
  const obs = unique(rows.flatMap((r) => toObservation(r[pi] ?? '', r[vi] ?? '', ref, f, `column "${ref.value_column}"`) ?? []), where);
  return { series: rows.length ? [{ key: tableKey(ref), observations: obs, covers: coverage(obs, ref, f) }] : [] };
}

/** Wide: the header cells that are periods (in the declared format) are the periods; others are labels. */
function parseWide(t: Table, ref: TableRef, f: Frequency): ParsedPage {
  const row = ref.row!;
  const ri = columnIndex(t, row.column);
  const found = t.rows.filter((r) => (r[ri] ?? '').trim() === row.equals);
  if (found.length === 0) return { series: [], others: [...new Set(t.rows.map((r) => (r[ri] ?? '').trim()))].map((v) => `${row.column} = ${v}`) };
  if (found.length > 1) throw unexpectedShape(`table: ${found.length} rows have ${row.column} = ${row.equals}`);
  const periodColumns = t.columns.flatMap((c, i) => {
    try {
      toPeriod(c, ref.period_format ?? 'as_is', f);
      return [i];
    } catch {
      return [];
    }
  });
  if (periodColumns.length === 0) throw unexpectedShape(`table: no column header is a ${f} period written ${ref.period_format ?? 'as_is'}; its columns: ${t.columns.slice(0, 8).map((c) => JSON.stringify(c)).join(', ')}`);
  const cells = found[0]!;
  const obs = unique(periodColumns.flatMap((i) => toObservation(t.columns[i]!, cells[i] ?? '', ref, f, `row ${row.column} = ${row.equals}`) ?? []), 'the header');
  return { series: [{ key: tableKey(ref), observations: obs, covers: coverage(obs, ref, f) }] };
}

export const table: SourcePlugin<TableRef> & { prepare(answer: SourceAnswer, ref: TableRef): Promise<SourceAnswer> } = {
  kind: 'table',
  ref: tableRef,
  defaultBaseUrl: null,
  request: (ref, ctx) => withOptions({ url: withBase(ref.url, ctx.baseUrl) }, ref),
  /** xlsx: the answer's text becomes the sheet as CSV from the header row; body stays as received. */
  async prepare(answer, ref) {
    if (ref.format !== 'xlsx') return answer;
    const rows = await xlsxToRows(answer.body, ref.sheet ?? 1, ref.header_row ?? 1);
    return { ...answer, text: stringify(rows), headers: { ...answer.headers, 'content-type': 'text/csv; charset=utf-8' } };
  },
  key: tableKey,
  parse(answer, ref, ctx) {
    const t = readTable(answer, ref);
    // No rows (a JSON list that is empty has no columns either): the answer holds nothing.
    if (t.rows.length === 0) return { series: [] };
    return ref.layout === 'wide' ? parseWide(t, ref, ctx.frequency) : parseLong(t, ref, ctx.frequency);
  },
};

/** A table's series: its value column (and the filter's row value), or a wide table's row. */
function tableKey(ref: TableRef): string {
  if (ref.layout === 'wide') return `${ref.row!.column} = ${ref.row!.equals}`;
  return ref.filter ? `${ref.value_column} (${ref.filter.column} = ${ref.filter.equals})` : ref.value_column!;
}
