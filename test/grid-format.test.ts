// The fast grid writers say exactly what the general ones say: csv-stringify through csvText,
// and JSON.stringify of the API's period objects.
import { describe, expect, it } from 'vitest';
import { withoutFloatNoise } from '../src/formats/value-text.js';
import {
  decodeColumns, encodeEvaluation, gridColumns, PERIOD_STATES, sdmxObsStatus, sdmxObsStatusFrom, type Frequency, type PeriodCell, type SeriesEvaluation,
} from '../src/core/index.js';
import { csvText, gridRows } from '../src/formats/csv.js';
import { columnsCsv, periodsJson } from '../src/formats/grid-format.js';
import { exportChunk, listSeries } from '../src/read/read-model.js';
import { at, loadedDb } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');

const evaluation: SeriesEvaluation = {
  grid: [], status: 'current', reason: '', lastDisclosed: null, darkSince: null, daysOverdue: null, nextCheckAt: null,
  stableUntil: 0, uncheckedFrom: null,
};

/** The API's period object, as JSON.stringify would write it: the reference for periodsJson. */
const periodJson = (g: PeriodCell) => ({
  period: g.period, value: g.value, value_text: g.valueText === null ? null : withoutFloatNoise(g.valueText), state: g.state, sdmx_obs_status: sdmxObsStatus(g),
  sdmx_obs_status_from: sdmxObsStatusFrom(g),
  due_at: new Date(g.dueAt).toISOString(), first_seen_at: g.firstSeenAt === null ? null : new Date(g.firstSeenAt).toISOString(),
  marks: g.marks, event_id: g.eventId,
});

const gridCsv = (id: string, grid: PeriodCell[], f: Frequency = 'monthly', country: string | null = null) => columnsCsv(id, gridColumns(grid, f), country);

const cell = (over: Partial<PeriodCell>): PeriodCell => ({
  period: '2023-06', state: 'disclosed', dueAt: at('2023-07-17T02:00:00Z'), graceEndsAt: at('2023-07-24T02:00:00Z'),
  value: 21.3, valueText: '21.3', firstSeenAt: at('2023-07-17T02:05:00Z'), obsStatus: null,
  marks: { break: false, revised: false, backfilled: false }, eventId: null, ...over,
});

// Text a publisher or a catalogue might hold: quotes, commas, line breaks, formulas, signs, CJK.
const AWKWARD: Partial<PeriodCell>[] = [
  { valueText: '-0.5', value: -0.5 }, { valueText: '+3', value: 3 }, { valueText: '1e-3', value: 0.001 },
  { valueText: '=HYPERLINK("x")', value: null }, { valueText: '@SUM(A1)', value: null }, { valueText: '-', value: null },
  { valueText: '1,234.5', value: 1234.5 }, { valueText: 'say "no"', value: null }, { valueText: 'a\nb', value: null },
  { valueText: 'a\r\nb', value: null }, { valueText: '\tx', value: null }, { valueText: '…', value: null },
  { valueText: '二〇二三', value: null }, { valueText: ' 5 ', value: 5 }, { valueText: '', value: null },
  { valueText: null, value: null, state: 'missing', firstSeenAt: null }, { state: 'suspended', valueText: null, value: null, eventId: 'e,"1"' },
  { marks: { break: true, revised: true, backfilled: true }, eventId: 'cn-nbs-x' },
  { value: 1e21, valueText: '1e21' }, { value: -0, valueText: '-0' }, { valueText: 'back\\slash', value: null },
  { valueText: 'bell\u0007', value: null }, { valueText: 'lone \ud800', value: null }, { valueText: 'emoji 😀', value: null },
  { valueText: 'line\u2028sep', value: null },
  // Publishers' own observation statuses, as given: plain, lower case, and text a CSV must quote or defuse.
  { obsStatus: 'P' }, { obsStatus: 'e' }, { obsStatus: 'SD' }, { obsStatus: 'a,b' }, { obsStatus: '=1' }, { obsStatus: 'say "x"' },
  { obsStatus: 'P', state: 'withdrawn' }, { obsStatus: 'A', marks: { break: true, revised: false, backfilled: false } },
];

describe('the fast grid writers', () => {
  it('write every bundled grid as csvText(gridRows()) and JSON.stringify do', () => {
    const { db } = loadedDb(NOW);
    const all = listSeries(db, {}, NOW, { limit: 1000 }).rows;
    expect(all.length).toBeGreaterThan(50);
    for (const s of all) {
      const expected = s.evaluation.grid.length ? csvText(gridRows(s.id, s.evaluation.grid, s.country?.code ?? null)) : '';
      expect(gridCsv(s.id, s.evaluation.grid, s.frequency, s.country?.code ?? null)).toBe(expected);
      expect(periodsJson(s.evaluation.grid)).toBe(JSON.stringify(s.evaluation.grid.map(periodJson)));
    }
    // The export reads the rows the status check stored, and writes afresh those of any series
    // whose evaluation no longer holds (NOW - 1 is before every stored one).
    for (const when of [NOW, NOW - 1]) {
      let after = '';
      let csv = '';
      for (let chunk = exportChunk(db, after, when, 7); chunk; chunk = exportChunk(db, after, when, 7)) {
        after = chunk.last;
        csv += chunk.csv.toString('utf8');
      }
      const expected = listSeries(db, {}, when, { limit: 1000 }).rows
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((s) => (s.evaluation.grid.length ? csvText(gridRows(s.id, s.evaluation.grid, s.country?.code ?? null)) : '')).join('');
      expect(csv).toBe(expected);
    }
  });

  it('quote and defuse awkward text exactly as the general writers do', () => {
    // Consecutive months, as a grid is.
    const grid = AWKWARD.map((over, i) => cell({ ...over, period: `20${10 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}` }));
    for (const id of ['cn.nbs.x', 'odd,id', '=id', 'id "q"']) expect(gridCsv(id, grid)).toBe(csvText(gridRows(id, grid, null)));
    expect(gridCsv('x', grid, 'monthly', 'GB')).toBe(csvText(gridRows('x', grid, 'GB')));
    for (const [f, periods] of [['weekly', ['2020-W52', '2020-W53', '2021-W01']], ['quarterly', ['2023-Q4', '2024-Q1']], ['daily', ['2024-02-28', '2024-02-29', '2024-03-01']]] as const) {
      const g = periods.map((period) => cell({ period }));
      expect(gridCsv('x', g, f)).toBe(csvText(gridRows('x', g, null)));
    }
    expect(periodsJson(grid)).toBe(JSON.stringify(grid.map(periodJson)));
    // Every state and mark, through the stored form.
    const every = PERIOD_STATES.flatMap((state) => [0, 1, 2, 4, 7].map((m, i) => cell({
      period: `20${10 + i}-0${(PERIOD_STATES.indexOf(state) % 9) + 1}`, state, valueText: state === 'disclosed' ? '=1' : null,
      obsStatus: m === 2 ? 'P' : m === 4 ? '=e' : null,
      marks: { break: (m & 1) > 0, revised: (m & 2) > 0, backfilled: (m & 4) > 0 }, eventId: m === 7 ? 'e,1' : null,
    })));
    for (const c of every) {
      const text = encodeEvaluation({ ...evaluation, grid: [c] }, 'monthly');
      expect(columnsCsv('x', decodeColumns(text)!, null)).toBe(gridCsv('x', [c]));
    }
    expect(gridCsv('x', [cell({ valueText: '=1+1', value: null })])).toContain(",'=1+1,");
  });
});
