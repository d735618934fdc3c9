// A windowed as-of evaluation (the board's and the API's status filter: each grid only from its
// sparkline's or the headline's first month on) says exactly what the whole evaluation says:
// status, reason, last disclosed, dark since, days overdue, the next check, and every cell from the
// window on. Checked for every bundled series at dates across their history, and for a series
// dark for longer than any window.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db/client.js';
import { recordValues } from '../db/record-values.js';
import { publishers, series } from '../db/schema.js';
import { periodRange, type SeriesEvaluation } from '../src/core/index.js';
import { computeHeadline, disclosureHeadline, headlineAsOfWindow, headlineWindow } from '../src/read/disclosure.js';
import { seriesFacts } from '../src/read/facts.js';
import { allEvaluatedAt, evaluateAll, windowStart, withEvaluations, withSparklines, type AsOfWindow } from '../src/read/read-model.js';
import { evaluateSeries } from '../src/core/index.js';
import { at, loadedDb } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const DATES = ['2016-03-31', '2018-11-15', '2020-02-10', '2021-07-01', '2022-06-15', '2023-08-20', '2024-01-16', '2024-06-30', '2025-03-05', '2025-12-31', '2026-10-01']
  .map((d) => at(`${d}T15:59:59Z`));
const noPace = async () => {};

/** What a reader sees of an evaluation, with the cells from `from` on. */
function said(ev: SeriesEvaluation, from: string | null) {
  const { grid, ...rest } = ev;
  return { ...rest, cells: from === null ? grid : grid.filter((c) => c.period >= from) };
}

describe('an as-of view over a window of each grid', () => {
  const { db } = loadedDb(NOW);
  const boardWindow = (t: number): AsOfWindow => ({ cells: 60, since: headlineWindow(t).since });

  it('says what the whole evaluation says, for every bundled series at dates across their history', async () => {
    let windowed = 0;
    for (const t of DATES) {
      for (const w of [boardWindow(t), { cells: 3, since: t }, headlineAsOfWindow(t)]) {
        const part = await allEvaluatedAt(db, t, noPace, { window: w });
        const whole = new Map(evaluateAll(db, t).map((s) => [s.id, s.evaluation]));
        expect(part.byId.size).toBe(whole.size);
        for (const [id, s] of part.byId) {
          const row = db.select().from(series).where(eq(series.id, id)).get()!;
          // The headline's window starts where each series' rule (or promises) put it: its grid's first period.
          const from = 'dueFrom' in w ? (s.evaluation.grid[0]?.period ?? null) : windowStart(row, t, w);
          if (!('dueFrom' in w) && from !== null && s.evaluation.grid[0]?.period === from) windowed++;
          expect(said(s.evaluation, from), `${id} as of ${new Date(t).toISOString()}`).toEqual(said(whole.get(id)!, from));
        }
      }
    }
    // The windows did cut most grids (the check is not vacuous).
    expect(windowed).toBeGreaterThan(150);
  });

  it('reaches back to the last value before the window for a series dark for longer, and evaluates whole when that value was not out then', async () => {
    const { db: store } = loadedDb(NOW);
    addStoppedSeries(store as Db);
    const t = at('2026-06-30T12:00:00Z');
    const w = { cells: 6, since: t };
    const whole = (u: number) => evaluateAll(store, u).find((s) => s.id === 't.stopped')!.evaluation;
    let ev = (await allEvaluatedAt(store, t, noPace, { window: w })).byId.get('t.stopped')!.evaluation;
    expect([ev.status, ev.lastDisclosed, ev.darkSince?.period, ev.grid[0]!.period]).toEqual(['overdue', '2019-12', '2020-01', '2019-12']);
    expect(said(ev, '2019-12')).toEqual(said(whole(t), '2019-12'));
    // The last values withdrawn before t: the latest disclosed one lies further back, so the whole grid is read.
    store.transaction((tx) => recordValues(tx as unknown as Db, 't.stopped', periodRange('2015-01', '2019-06', 'monthly').map((p, k) => ({ period: p, value: k, valueText: String(k) })),
      { origin: 'fetch', now: at('2026-01-10T00:00:00Z'), complete: true }));
    ev = (await allEvaluatedAt(store, t, noPace, { window: w })).byId.get('t.stopped')!.evaluation;
    expect(ev.grid[0]!.period).toBe('2015-01');
    expect([ev.lastDisclosed, ev.darkSince?.period]).toEqual(['2019-06', '2019-07']);
    expect(said(ev, null)).toEqual(said(whole(t), null));
  });

  it('gives the board the same headline as the whole evaluations, and computes it whole when its months fall before the window', async () => {
    for (const t of DATES.slice(2)) {
      const part = await allEvaluatedAt(db, t, noPace, { window: boardWindow(t) });
      const live = [...part.byId.values()];
      expect(disclosureHeadline(db, t, { live, liveFrom: headlineWindow(t).from }), new Date(t).toISOString())
        .toEqual(computeHeadline([evaluateAll(db, t)], t).value);
    }
    // Grids cut too short for the headline's months: the guard computes it from whole evaluations.
    const t = DATES.at(-1)!;
    const short = [...(await allEvaluatedAt(db, t, noPace, { window: { cells: 2, since: t } })).byId.values()];
    expect(disclosureHeadline(db, t, { live: short, liveFrom: '2026-09' })).toEqual(computeHeadline([evaluateAll(db, t)], t).value);
  });

  it('gives the same headline from the periods due in its months only, and the board\'s rows their whole sparklines again', async () => {
    let shorter = 0;
    for (const t of DATES.slice(2)) {
      const part = await allEvaluatedAt(db, t, noPace, { window: headlineAsOfWindow(t) });
      const live = [...part.byId.values()];
      expect(disclosureHeadline(db, t, { live, liveFrom: headlineWindow(t).from }), new Date(t).toISOString())
        .toEqual(computeHeadline([evaluateAll(db, t)], t).value);
      const board = await allEvaluatedAt(db, t, noPace, { window: boardWindow(t) });
      for (const s of live) if (s.evaluation.grid.length < board.byId.get(s.id)!.evaluation.grid.length) shorter++;
      // The rows a page shows, evaluated again over 60 periods: what the board's window gives them.
      const rows = withEvaluations(part, () => withSparklines(db, live.slice(0, 25), t, 60));
      expect(rows.map((r) => said(r.evaluation, null))).toEqual(live.slice(0, 25).map((r) => said({ ...board.byId.get(r.id)!.evaluation, grid: board.byId.get(r.id)!.evaluation.grid.slice(-60) }, null)));
    }
    // The headline's window is shorter than the board's for most series (the check is not vacuous).
    expect(shorter).toBeGreaterThan(100);
  });

  it('reads only the window\'s values: the facts of a window start at its first period', () => {
    const row = db.select().from(series).where(eq(series.id, 'cn.nbs.unemployment.urban')).get()!;
    const facts = seriesFacts(db, row, undefined, NOW, '2024-01');
    expect(facts.gridFrom).toBe('2024-01');
    expect(facts.observations.length).toBeGreaterThan(0);
    expect(facts.observations.every((o) => o.period >= '2024-01')).toBe(true);
    expect(evaluateSeries(facts, NOW).grid[0]!.period).toBe('2024-01');
  });
});

/** A monthly series with values from 2015 to 2019 only, and nothing said since. */
function addStoppedSeries(db: Db): void {
  db.insert(publishers).values({ id: 't.pub', name: 'T', timeZone: 'UTC' }).onConflictDoNothing().run();
  db.insert(series).values({
    id: 't.stopped', publisherId: 't.pub', title: 'Stopped', unit: 'index', frequency: 'monthly',
    releaseRule: JSON.stringify({ lagDays: 20, time: '09:00', timeZone: 'UTC', graceDays: 7, janFebCombined: false, calendar: {} }),
    gridFrom: '2015-01', recordFrom: '2015-01', checkedAt: NOW, bundleCheckedAt: at('2026-06-01T00:00:00Z'),
  }).run();
  db.transaction((tx) => recordValues(tx as unknown as Db, 't.stopped', periodRange('2015-01', '2019-12', 'monthly').map((p, k) => ({ period: p, value: k, valueText: String(k) })), { origin: 'import', now: NOW }));
}
