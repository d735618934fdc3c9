// Reading a posted table (CSV, JSON rows or an Excel sheet) into a header and rows of text, before
// any mapping: the table plug-in (table.ts) then finds the series in it, long or wide.
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { formatDay } from '../core/index.js';
import { SourceError, malformed, parseJson, unexpectedShape } from './errors.js';
import type { SourceAnswer } from './types.js';

export interface Table { columns: string[]; rows: string[][] }

export interface ReadOptions {
  format: 'csv' | 'json' | 'xlsx';
  delimiter?: string | undefined;
  rows_path?: string | undefined;
  header_row?: number | undefined;
}

/** Header names are compared with runs of white space (Excel line breaks, full-width spaces) as one space. */
export const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
const XLS_OLE = Buffer.from('d0cf11e0a1b11ae1', 'hex');

type CellValue = ExcelJS.CellValue;
/** Dates become their UTC day; the mapping then reads a full date as the series' period that holds it. */
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

/** The answer as a header and rows; an xlsx answer must have been prepared (turned into CSV text) first. */
export function readTable(answer: SourceAnswer, o: ReadOptions): Table {
  const text = answer.text;
  if (!text.trim()) throw malformed(`table: the answer is empty`);
  if (o.format === 'json') return jsonTable(parseJson(text, 'table'), o.rows_path);
  if (o.format === 'xlsx' && text.startsWith('PK\x03\x04')) throw new SourceError('config', 'table: an xlsx answer must go through table.prepare before parse', true);
  if (text.trimStart().replace(/^\uFEFF/, '').startsWith('<')) throw malformed(`table: an HTML page, not a ${o.format} table; starts ${JSON.stringify(text.trimStart().slice(0, 40))}`);
  let rows: string[][];
  try {
    // Prepared xlsx text starts at the header row already, with ',' between cells.
    const csv = o.format === 'csv';
    rows = parseCsv(text, { delimiter: (csv && o.delimiter) || ',', from_line: (csv && o.header_row) || 1, bom: true, skip_empty_lines: true, skip_records_with_empty_values: true });
  } catch (e) {
    throw malformed(`table: not a readable CSV table (truncated?): ${(e as Error).message}`);
  }
  const [header, ...body] = rows;
  if (!header) throw malformed('table: no header row');
  return { columns: header.map(clean), rows: body };
}

/** The column's index; a name missing or found twice is a shape the mapping does not fit. */
export function columnIndex(t: Table, name: string): number {
  const hits = t.columns.flatMap((c, i) => (c === clean(name) ? [i] : []));
  if (hits.length === 0) throw unexpectedShape(`table: no column "${name}"; its columns: ${t.columns.map((c) => JSON.stringify(c)).join(', ')}`);
  if (hits.length > 1) throw unexpectedShape(`table: column "${name}" appears ${hits.length} times in the header`);
  return hits[0]!;
}
