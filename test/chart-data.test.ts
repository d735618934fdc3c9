// What the series chart is given: calendar entries on the axis, clamped to its ends.
import { describe, expect, it } from 'vitest';
import { chartData } from '../web/chart-data.js';
import { getSeries, listCalendar } from '../src/read/read-model.js';
import { at, loadedDb } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';

describe('the chart calendar overlay', () => {
  const { db } = loadedDb(NOW);
  const s = getSeries(db, YOUTH, NOW)!;
  const first = s.evaluation.grid[0]!.period;
  const last = s.evaluation.grid.at(-1)!.period;
  const entry = (id: string, from: string, to: string) => ({ id, kind: 'holiday', title: `Entry ${id}`, from, to, citations: [] });

  it('draws every bundled entry that meets the axis, on periods of the axis', () => {
    const calendar = listCalendar(db);
    expect(calendar.length).toBeGreaterThan(5);
    const drawn = chartData(s, [], [], calendar).calendar;
    expect(drawn.length).toBeGreaterThan(0);
    const labels = chartData(s, [], [], calendar).labels;
    for (const c of drawn) {
      expect(labels).toContain(c.fromPeriod);
      expect(labels).toContain(c.toPeriod);
    }
  });

  it('clamps an entry that straddles either end of the axis, and leaves out one beyond it', () => {
    const [y, m] = first.split('-').map(Number);
    const before = `${y! - 1}-${String(m).padStart(2, '0')}-01`;
    const drawn = chartData(s, [], [], [
      entry('a', before, `${first}-10`), entry('b', `${last}-01`, '2099-01-01'), entry('c', `${y! - 2}-01-01`, `${y! - 2}-02-01`),
    ]).calendar;
    expect(drawn.map((c) => [c.id, c.fromPeriod, c.toPeriod])).toEqual([['a', first, first], ['b', last, last]]);
  });
});
