// Grids written as CSV text and as the API's JSON periods, fast: these run for every period of
// every series in /export.csv and /api/series/:id/observations. The output is byte for byte what
// csvText(gridRows(...)) and JSON.stringify of the API's period objects write
// (test/grid-format.test.ts); a cell that needs quoting or defusing goes through csvText itself.
import {
  forEachPeriod, marksAt, obsStatusCode, obsStatusFrom, sdmxObsStatus, sdmxObsStatusFrom, stateAt, type GridColumns, type PeriodCell,
} from '../core/index.js';
import { csvField, iso } from './csv.js';
import { withoutFloatNoise as clean } from './value-text.js';

/** The CSV text of gridRows(seriesId, grid, country), from the grid's columns (core gridColumns, or stored). */
export function columnsCsv(seriesId: string, g: GridColumns, country: string | null): string {
  const id = csvField(seriesId);
  // A country code is two letters (src/core/country.ts): plain text.
  const end = ',' + (country ?? '') + '\r\n';
  let out = '';
  // Periods are canonical (the core validates them): plain text.
  forEachPeriod(g, (period, i) => {
    const state = stateAt(g, i);
    const m = marksAt(g, i);
    const written = g.valueText[i]!;
    const text = written === null ? null : clean(written);
    const seen = g.firstSeenAt[i]!;
    const ev = g.eventIds[i];
    const given = g.obsStatus[i];
    // lacuna's own codes are plain letters; a publisher's goes through csvField.
    const code = obsStatusCode(state, (m & 1) !== 0, given);
    out += id + ',' + period + ',' + (text === null ? '' : csvField(text)) + ',' + state + ',' + (given ? csvField(code) : code)
      + ',' + (seen === null ? '' : iso(seen)) + ',' + (m & 1 ? '1' : '') + ',' + (m & 2 ? '1' : '') + ',' + (m & 4 ? '1' : '')
      + ',' + (ev === undefined ? '' : csvField(ev)) + ',' + obsStatusFrom(state, (m & 1) !== 0, given) + end;
  });
  return out;
}

// Text with nothing to escape is quoted as it is; the rest goes through JSON.stringify.
const JSON_PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const str = (s: string | null) => (s === null ? 'null' : JSON_PLAIN.test(s) ? '"' + s + '"' : JSON.stringify(s));
const num = (n: number | null) => (n === null || !Number.isFinite(n) ? 'null' : String(n));

/** The `periods` of /api/series/:id/observations, as JSON text. */
export function periodsJson(grid: readonly PeriodCell[]): string {
  let out = '[';
  for (let i = 0; i < grid.length; i++) {
    const g = grid[i]!;
    // Periods are canonical (the core validates them): plain text.
    out += (i ? ',{"period":"' : '{"period":"') + g.period + '","value":' + num(g.value) + ',"value_text":' + str(g.valueText === null ? null : clean(g.valueText))
      + ',"state":"' + g.state + '","sdmx_obs_status":' + str(sdmxObsStatus(g)) + ',"sdmx_obs_status_from":"' + sdmxObsStatusFrom(g)
      + '","due_at":"' + iso(g.dueAt)
      + '","first_seen_at":' + (g.firstSeenAt === null ? 'null' : '"' + iso(g.firstSeenAt) + '"')
      + ',"marks":{"break":' + g.marks.break + ',"revised":' + g.marks.revised + ',"backfilled":' + g.marks.backfilled
      + '},"event_id":' + str(g.eventId) + '}';
  }
  return out + ']';
}

/** The whole answer of /api/series/:id/observations, as JSON text. */
export function observationsJson(
  head: { seriesId: string; unit: string; frequency: string; asOf: string | null }, grid: readonly PeriodCell[],
): string {
  const h = JSON.stringify({ series_id: head.seriesId, unit: head.unit, frequency: head.frequency, as_of: head.asOf });
  return `${h.slice(0, -1)},"periods":${periodsJson(grid)}}`;
}
