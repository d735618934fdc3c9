// A table a publisher posts at a URL (CSV, JSON or Excel), read through a mapping declared in the
// catalogue, so that a new table (SAFE's reserves, say) needs a YAML entry, not code. A posted table
// is the publisher's whole current table, so it covers 'all'. Excel is unzipped asynchronously, so
// `prepare` turns an xlsx answer into CSV text first and `parse` (synchronous) only ever sees rows:
// the runner must call `prepare` when a plug-in has one.
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { formatDay, normalisePeriod, parseDay, periodOf, type Frequency, type Period } from '../core/index.js';
import { SourceError, malformed, parseJson, unexpectedShape } from './errors.js';
import type { ParsedObservation, SourceAnswer, SourcePlugin } from './types.js';

const PERIOD_FORMATS = ['YYYYMM', 'YYYY-MM', 'YYYY年MM月', 'YYYY', 'YYYYQn', 'as_is'] as const;
type PeriodFormat = (typeof PERIOD_FORMATS)[number];
const ONLY_FOR = { delimiter: ['csv'], rows_path: ['json'], sheet: ['xlsx'], header_row: ['csv', 'xlsx'] } as const;

export const tableRef = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  format: z.enum(['csv', 'json', 'xlsx']),
  delimiter: z.string().length(1).optional(),
  rows_path: z.string().min(1).optional(),
  sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
  header_row: z.number().int().min(1).optional(),
  period_column: z.string().min(1),
  value_column: z.string().min(1),
  period_format: z.enum(PERIOD_FORMATS).optional(),
  scale: z.number().refine((n) => n !== 0, 'scale must not be 0').optional(),
  // YAML reads `equals: 2023` as a number; the cell it is compared with is text.
  filter: z.strictObject({ column: z.string().min(1), equals: z.union([z.string(), z.number()]).transform(String) }).optional(),
}).superRefine((r, ctx) => {
  for (const [key, formats] of Object.entries(ONLY_FOR) as [keyof typeof ONLY_FOR, readonly string[]][]) {
    if (r[key] !== undefined && !formats.includes(r.format)) ctx.addIssue({ code: 'custom', path: [key], message: `${key} applies to format ${formats.join(' or ')}, not ${r.format}` });
  }
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

/** Header names are compared with runs of white space (Excel line breaks, full-width spaces) as one space. */
const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
// Marks publishers use for a listed period without a value: a gap, never a zero.
const GAPS = new Set(['', '-', '--', '—', '–', '－', '…', '...', '..', 'NA', 'N/A']);
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const THOUSANDS = /^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$/;
const XLS_OLE = Buffer.from('d0cf11e0a1b11ae1', 'hex');

interface Table { columns: string[]; rows: string[][] }

type CellValue = ExcelJS.CellValue;
/** Dates become their UTC day; `parse` then maps a full date to the series' period that holds it. */
function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return formatDay(v.getTime());
  if (typeof v !== 'object') return String(v);
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return cellText(v.result ?? null);
  if ('hyperlink' in v) return cellText(v.text as CellValue);
  return 'error' in v ? v.error : '';
}

/** The rows of one sheet from its header row down, as text, every row as wide as the sheet. */
export async function xlsxToRows(body: Buffer, sheet: string | number = 1, headerRow = 1): Promise<string[][]> {
  if (body.length === 0) throw malformed('table: the answer is empty, not an Excel workbook');
  if (body.subarray(0, 8).equals(XLS_OLE)) throw malformed('table: an old-style .xls (BIFF) workbook; only .xlsx is read');
  if (body.subarray(0, 4).toString('latin1') !== 'PK\x03\x04') {
    const start = body.subarray(0, 60).toString('utf8').trimStart();
    throw malformed(`table: not an Excel workbook${start.startsWith('<') ? ' (an HTML page)' : ''}; starts ${JSON.stringify(start.slice(0, 40))}`);
  }
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs types its own Buffer interface; Node's Buffer is what it reads at run time.
    await wb.xlsx.load(body as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch (e) {
    throw malformed(`table: not a readable Excel workbook (truncated?): ${(e as Error).message}`);
  }
  const ws = typeof sheet === 'number' ? wb.worksheets[sheet - 1] : wb.worksheets.find((w) => clean(w.name) === clean(sheet));
  if (!ws) throw unexpectedShape(`table: no sheet ${JSON.stringify(sheet)} in the workbook; its sheets: ${wb.worksheets.map((w) => JSON.stringify(w.name)).join(', ')}`);
  if (headerRow > ws.rowCount) throw unexpectedShape(`table: sheet "${ws.name}" has ${ws.rowCount} rows, fewer than header_row ${headerRow}`);
  const rows: string[][] = [];
  for (let r = headerRow; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    rows.push(Array.from({ length: ws.columnCount }, (_, c) => cellText(row.getCell(c + 1).value)));
  }
  return rows;
}

function jsonTable(doc: unknown, path: string | undefined): Table {
  let at = doc;
  for (const key of path ? path.split('.') : []) {
    if (at === null || typeof at !== 'object' || !(key in at)) {
      const there = at !== null && typeof at === 'object' ? Object.keys(at).map((k) => JSON.stringify(k)).join(', ') : JSON.stringify(at);
      throw unexpectedShape(`table: no "${key}" on the way to rows_path "${path}"; found ${there || 'nothing'}`);
    }
    at = (at as Record<string, unknown>)[key];
  }
  const isRow = (r: unknown): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r);
  if (!Array.isArray(at) || !at.every(isRow)) throw unexpectedShape(`table: ${path ? `rows_path "${path}"` : 'the answer'} is not a list of objects`);
  const columns = [...new Set(at.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return { columns: columns.map(clean), rows: at.map((r) => columns.map((c) => cell(r[c]))) };
}

function readTable(answer: SourceAnswer, ref: TableRef): Table {
  const text = answer.text;
  if (!text.trim()) throw malformed(`table: the answer is empty`);
  if (ref.format === 'json') return jsonTable(parseJson(text, 'table'), ref.rows_path);
  if (ref.format === 'xlsx' && text.startsWith('PK\x03\x04')) throw new SourceError('config', 'table: an xlsx answer must go through table.prepare before parse', true);
  if (text.trimStart().replace(/^\uFEFF/, '').startsWith('<')) throw malformed(`table: an HTML page, not a ${ref.format} table; starts ${JSON.stringify(text.trimStart().slice(0, 40))}`);
  let rows: string[][];
  try {
    // Prepared xlsx text starts at the header row already, with ',' between cells.
    const csv = ref.format === 'csv';
    rows = parseCsv(text, { delimiter: (csv && ref.delimiter) || ',', from_line: (csv && ref.header_row) || 1, bom: true, skip_empty_lines: true, skip_records_with_empty_values: true });
  } catch (e) {
    throw malformed(`table: not a readable CSV table (truncated?): ${(e as Error).message}`);
  }
  const [header, ...body] = rows;
  if (!header) throw malformed('table: no header row');
  return { columns: header.map(clean), rows: body };
}

function columnIndex(t: Table, name: string): number {
  const hits = t.columns.flatMap((c, i) => (c === clean(name) ? [i] : []));
  if (hits.length === 0) throw unexpectedShape(`table: no column "${name}"; its columns: ${t.columns.map((c) => JSON.stringify(c)).join(', ')}`);
  if (hits.length > 1) throw unexpectedShape(`table: column "${name}" appears ${hits.length} times in the header`);
  return hits[0]!;
}

const pad = (m: RegExpExecArray) => `${m[1]}-${m[2]!.padStart(2, '0')}`;
const PERIOD_RE: Record<Exclude<PeriodFormat, 'as_is'>, [RegExp, (m: RegExpExecArray) => string]> = {
  YYYYMM: [/^(\d{4})(\d{2})$/, pad],
  'YYYY-MM': [/^(\d{4})-(\d{1,2})$/, pad],
  'YYYY年MM月': [/^(\d{4})\s*年\s*(\d{1,2})\s*月份?$/, pad],
  YYYY: [/^(\d{4})\s*年?$/, (m) => m[1]!],
  YYYYQn: [/^(\d{4})\s*-?\s*Q([1-4])$/i, (m) => `${m[1]}-Q${m[2]}`],
};

/** The series' period for a cell; a full date (an Excel date cell) is the period that holds it. */
function toPeriod(raw: string, format: PeriodFormat, f: Frequency): Period {
  try {
    if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return periodOf(parseDay(raw), f);
    if (format === 'as_is') return normalisePeriod(raw, f);
    const m = PERIOD_RE[format][0].exec(raw);
    if (!m) throw unexpectedShape(`table: period "${raw}" is not written ${format}`);
    return normalisePeriod(PERIOD_RE[format][1](m), f);
  } catch (e) {
    throw e instanceof SourceError ? e : unexpectedShape(`table: period "${raw}" is not a ${f} period (${(e as Error).message})`);
  }
}

/** One row's observation; null for a note or spacer row (no value, no period). */
function toObservation(periodCell: string, valueCell: string, ref: TableRef, f: Frequency): ParsedObservation | null {
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
  if (!NUMBER.test(plain)) throw unexpectedShape(`table: value "${raw}" for ${period} in column "${ref.value_column}" is not a number`);
  return { period, value: Number(plain) * (ref.scale ?? 1), valueText: raw };
}

export const table: SourcePlugin<TableRef> & { prepare(answer: SourceAnswer, ref: TableRef): Promise<SourceAnswer> } = {
  kind: 'table',
  ref: tableRef,
  defaultBaseUrl: null,
  request: (ref, ctx) => ({ url: withBase(ref.url, ctx.baseUrl) }),
  /** xlsx: the answer's text becomes the sheet as CSV from the header row; body stays as received. */
  async prepare(answer, ref) {
    if (ref.format !== 'xlsx') return answer;
    const rows = await xlsxToRows(answer.body, ref.sheet ?? 1, ref.header_row ?? 1);
    return { ...answer, text: stringify(rows), headers: { ...answer.headers, 'content-type': 'text/csv; charset=utf-8' } };
  },
  key: tableKey,
  parse(answer, ref, ctx) {
    const t = readTable(answer, ref);
    const pi = columnIndex(t, ref.period_column);
    // A table without the value column, or without a row for the filter, does not hold the series.
    if (!t.columns.includes(clean(ref.value_column))) return { series: [], others: t.columns.filter((_, i) => i !== pi) };
    const vi = columnIndex(t, ref.value_column);
    const fi = ref.filter ? columnIndex(t, ref.filter.column) : -1;
    const rows = ref.filter ? t.rows.filter((r) => (r[fi] ?? '').trim() === ref.filter!.equals) : t.rows;
    if (ref.filter && rows.length === 0) {
      const values = [...new Set(t.rows.map((r) => (r[fi] ?? '').trim()))];
      return { series: [], others: values.map((v) => tableKey({ ...ref, filter: { column: ref.filter!.column, equals: v } })) };
    }
    const seen = new Set<Period>();
    const observations: ParsedObservation[] = [];
    for (const r of rows) {
      const o = toObservation(r[pi] ?? '', r[vi] ?? '', ref, ctx.frequency);
      if (!o) continue;
      if (seen.has(o.period)) throw unexpectedShape(`table: period ${o.period} appears twice in column "${ref.period_column}"`);
      seen.add(o.period);
      observations.push(o);
    }
    // The whole table is the answer: it covers every period.
    return { series: rows.length ? [{ key: tableKey(ref), observations, covers: 'all' }] : [] };
  },
};

/** A table's series: its value column, and the filter's row value where one selects the rows. */
function tableKey(ref: TableRef): string {
  return ref.filter ? `${ref.value_column} (${ref.filter.column} = ${ref.filter.equals})` : ref.value_column;
}
