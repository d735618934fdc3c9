// CSV text the way spreadsheets and RFC 4180 want it: UTF-8, CRLF, quoted where needed, one row per
// expected period so the holes show, and text that a spreadsheet would run as a formula defused.
// Written by the status check (stored export rows), the CLI and the web server (web/csv.ts streams it).
import { stringify } from 'csv-stringify/sync';
import { sdmxObsStatus, sdmxObsStatusFrom, type PeriodCell } from '../core/index.js';
import { withoutFloatNoise } from './value-text.js';

// Newer columns (sdmx_obs_status_from, country) come last, so that the older ones keep their places.
export const GRID_COLUMNS = [
  'series_id', 'period', 'value', 'state', 'sdmx_obs_status', 'first_seen_at', 'break', 'revised', 'backfilled', 'event_id',
  'sdmx_obs_status_from', 'country',
] as const;

export const EVENT_COLUMNS = [
  'event_id', 'series_id', 'kind', 'date', 'date_approximate', 'period_from', 'period_to', 'title', 'evidence_kind',
  'confidence', 'citation_index', 'citation_url', 'citation_title', 'citation_publisher', 'citation_date', 'citation_quote',
  'country',
] as const;

export const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell starting with = + - @ or a control character is prefixed with ' unless it is a plain number. */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r\n]/.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
}

export function csvText(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return stringify(rows.map((r) => r.map((c) => neutralise(c === null || c === undefined ? '' : String(c)))), {
    record_delimiter: '\r\n',
    // A bare LF inside a cell would split the row in most readers; quote it like CRLF.
    quoted_match: /[\r\n]/,
  });
}

// Plain numbers and identifiers need neither quotes nor the formula guard.
const PLAIN = /^[A-Za-z0-9_.:/][A-Za-z0-9_.:/ -]*$/;

/** One cell as csvText writes it: plain text as it is, the rest through csvText itself. */
export function csvField(s: string): string {
  if (s === '' || PLAIN.test(s) || NUMBER.test(s)) return s;
  return csvText([[s]]).slice(0, -2); // without the record delimiter
}

/** The same text as csvText(rows), written directly: most cells need no quoting, and a stream writes millions. */
export function csvLines(rows: readonly (readonly string[])[]): string {
  let out = '';
  for (const r of rows) {
    for (let i = 0; i < r.length; i++) out += (i ? ',' : '') + csvField(r[i]!);
    out += '\r\n';
  }
  return out;
}

const MEMO_CAP = 200_000;
const isoMemo = new Map<number, string>();

/** An instant as ISO 8601; instants repeat (every value of a fetch, every due date), so remembered. */
export function iso(ms: number): string {
  let s = isoMemo.get(ms);
  if (s === undefined) {
    s = new Date(ms).toISOString();
    if (isoMemo.size >= MEMO_CAP) isoMemo.clear();
    isoMemo.set(ms, s);
  }
  return s;
}

const flag = (b: boolean) => (b ? '1' : '');

/** The period grid's rows of a series; `country` its ISO 3166-1 code (null: none given). */
export function gridRows(seriesId: string, grid: readonly PeriodCell[], country: string | null): string[][] {
  return grid.map((c) => [
    seriesId, c.period, c.valueText === null ? '' : withoutFloatNoise(c.valueText), c.state, sdmxObsStatus(c), c.firstSeenAt === null ? '' : iso(c.firstSeenAt),
    flag(c.marks.break), flag(c.marks.revised), flag(c.marks.backfilled), c.eventId ?? '', sdmxObsStatusFrom(c), country ?? '',
  ]);
}
