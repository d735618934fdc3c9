// A grid written as CSV rows and as the API's JSON periods, fast: these run for every period of
// every series in /export.csv and /api/series/:id/observations. The output is byte for byte what
// csvText(gridRows(...)) and JSON.stringify(periodJson(...)) write (test/grid-format.test.ts); a
// cell that needs quoting or defusing goes through csvText itself.
import { sdmxObsStatus, type GridColumns, type PeriodCell, type PeriodState } from '../src/core/index.js';
import { csvText } from './csv.js';

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

// Plain numbers and identifiers need neither quotes nor the formula guard.
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const PLAIN = /^[A-Za-z0-9_.:/][A-Za-z0-9_.:/ -]*$/;

function csvField(s: string): string {
  if (s === '' || PLAIN.test(s) || NUMBER.test(s)) return s;
  const quoted = csvText([[s]]);
  return quoted.slice(0, -2); // without the record delimiter
}

/** The CSV rows of gridRows(seriesId, grid), as text. */
export function gridCsv(seriesId: string, grid: readonly PeriodCell[]): string {
  const id = csvField(seriesId);
  let out = '';
  for (const c of grid) {
    // Periods are canonical (the core validates them): plain text.
    out += id + ',' + c.period + ',' + (c.valueText === null ? '' : csvField(c.valueText)) + ',' + c.state + ',' + sdmxObsStatus(c)
      + ',' + (c.firstSeenAt === null ? '' : iso(c.firstSeenAt))
      + ',' + (c.marks.break ? '1' : '') + ',' + (c.marks.revised ? '1' : '') + ',' + (c.marks.backfilled ? '1' : '')
      + ',' + (c.eventId === null ? '' : csvField(c.eventId)) + '\r\n';
  }
  return out;
}

const SDMX_CODE: Record<PeriodState, string> = {
  disclosed: 'A', late: 'O', missing: 'O', withdrawn: 'O', suspended: 'L', discontinued: 'L', access_cut: 'L',
  not_expected: 'K', not_due: '', unknown: '',
};

/** gridCsv of a stored grid read column by column (decodeColumns): the same text, no cell objects. */
export function columnsCsv(seriesId: string, g: GridColumns): string {
  const id = csvField(seriesId);
  let out = '';
  for (let i = 0; i < g.periods.length; i++) {
    const state = g.states[i]!;
    const m = g.marks[i]!;
    const text = g.valueText[i]!;
    const seen = g.firstSeenAt[i]!;
    const ev = g.eventIds[i];
    out += id + ',' + g.periods[i] + ',' + (text === null ? '' : csvField(text)) + ',' + state + ','
      + (state === 'disclosed' && m & 1 ? 'B' : SDMX_CODE[state]) + ',' + (seen === null ? '' : iso(seen))
      + ',' + (m & 1 ? '1' : '') + ',' + (m & 2 ? '1' : '') + ',' + (m & 4 ? '1' : '') + ',' + (ev === undefined ? '' : csvField(ev)) + '\r\n';
  }
  return out;
}

/** One period of /api/series/:id/observations. */
export function periodJson(g: PeriodCell) {
  return {
    period: g.period, value: g.value, value_text: g.valueText, state: g.state, sdmx_obs_status: sdmxObsStatus(g),
    due_at: new Date(g.dueAt).toISOString(), first_seen_at: g.firstSeenAt === null ? null : new Date(g.firstSeenAt).toISOString(),
    marks: g.marks, event_id: g.eventId,
  };
}

// Text with nothing to escape is quoted as it is; the rest goes through JSON.stringify.
const JSON_PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const str = (s: string | null) => (s === null ? 'null' : JSON_PLAIN.test(s) ? '"' + s + '"' : JSON.stringify(s));
const num = (n: number | null) => (n === null || !Number.isFinite(n) ? 'null' : String(n));

/** JSON.stringify(grid.map(periodJson)), written directly. */
export function periodsJson(grid: readonly PeriodCell[]): string {
  let out = '[';
  for (let i = 0; i < grid.length; i++) {
    const g = grid[i]!;
    // Periods are canonical (the core validates them): plain text.
    out += (i ? ',{"period":"' : '{"period":"') + g.period + '","value":' + num(g.value) + ',"value_text":' + str(g.valueText)
      + ',"state":"' + g.state + '","sdmx_obs_status":"' + sdmxObsStatus(g) + '","due_at":"' + iso(g.dueAt)
      + '","first_seen_at":' + (g.firstSeenAt === null ? 'null' : '"' + iso(g.firstSeenAt) + '"')
      + ',"marks":{"break":' + g.marks.break + ',"revised":' + g.marks.revised + ',"backfilled":' + g.marks.backfilled
      + '},"event_id":' + str(g.eventId) + '}';
  }
  return out + ']';
}
