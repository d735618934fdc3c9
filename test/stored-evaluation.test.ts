// The stored evaluation (series_grids): exact while it holds, dropped whenever a fact changes, and
// what the pages read instead of evaluating every grid on every request.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seriesFacts } from '../src/read/facts.js';
import { recordValues } from '../db/record-values.js';
import { events, series, seriesGrids } from '../db/schema.js';
import { decodeEvaluation, encodeEvaluation, evaluateSeries, type Frequency } from '../src/core/index.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { getSeries } from '../src/read/read-model.js';
import { at, loadedDb } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const HOUR = 3_600_000;

describe('a stored evaluation', () => {
  const { db } = loadedDb(NOW);
  const rows = db.select().from(series).all();

  it('is written for every series by the status check, valid from then until its stableUntil', () => {
    const grids = db.select().from(seriesGrids).all();
    expect(grids).toHaveLength(rows.length);
    for (const g of grids) {
      expect(g.evaluatedAt).toBe(NOW);
      expect(g.validUntil).toBeGreaterThan(NOW);
    }
    // The due query comes back exactly when the stored copy stops holding.
    const youth = db.select().from(series).where(eq(series.id, YOUTH)).get()!;
    expect(youth.nextCheckAt).toBe(db.select().from(seriesGrids).where(eq(seriesGrids.seriesId, YOUTH)).get()!.validUntil);
  });

  it('equals a fresh evaluation at every instant before it expires, for every bundled series', () => {
    let compared = 0;
    for (const row of rows) {
      const facts = seriesFacts(db, row);
      const then = evaluateSeries(facts, NOW, row.title);
      const text = encodeEvaluation(then, row.frequency as Frequency);
      // Instants spread over the window, and the last millisecond before it ends.
      const end = Math.min(then.stableUntil, NOW + 400 * 24 * HOUR);
      for (const t of [NOW, NOW + HOUR, (NOW + end) / 2, end - 1]) {
        const fresh = evaluateSeries(facts, t, row.title);
        expect(decodeEvaluation(text, t), `${row.id} at ${new Date(t).toISOString()}`).toEqual(fresh);
        // The board asks for the last cells only.
        expect(decodeEvaluation(text, t, 7)!.grid).toEqual(fresh.grid.slice(-7));
        compared++;
      }
    }
    expect(compared).toBe(rows.length * 4);
  });

  it('expires when the grid would change: a new period, a due date or a notice dated later', () => {
    const youth = rows.find((r) => r.id === YOUTH)!;
    const ev = evaluateSeries(seriesFacts(db, youth), NOW, youth.title);
    // 1 December 2026, 00:00 in Beijing: the grid gains a period.
    expect(ev.stableUntil).toBe(at('2026-11-30T16:00:00Z'));
    const later = evaluateSeries(seriesFacts(db, youth), ev.stableUntil, youth.title);
    expect(later.grid.length).toBe(ev.grid.length + 1);
    // A notice dated after now changes the evaluation on its date.
    const facts = { ...seriesFacts(db, youth) };
    facts.events = [...facts.events, { id: 'future', kind: 'suspension_announced', date: '2026-11-25', from: '2026-10', to: null, title: 'x' }];
    expect(evaluateSeries(facts, NOW, youth.title).stableUntil).toBe(at('2026-11-24T16:00:00Z'));
  });

  it('recomputes daysOverdue for the instant it is read at', () => {
    const row = rows.find((r) => evaluateSeries(seriesFacts(db, r), NOW, r.title).daysOverdue! > 0)!;
    const dark = evaluateSeries(seriesFacts(db, row), NOW, row.title);
    const next = decodeEvaluation(encodeEvaluation(dark, row.frequency as Frequency), NOW + 24 * HOUR)!;
    expect(next.daysOverdue).toBe(dark.daysOverdue! + 1);
  });

  it('is what the pages read while it holds, and never for an earlier as-of instant', () => {
    // Proof that pages read the stored copy: tamper with it and the page says so.
    const row = db.select().from(seriesGrids).where(eq(seriesGrids.seriesId, YOUTH)).get()!;
    const tampered = JSON.parse(row.evaluation) as { reason: string };
    tampered.reason = 'read from series_grids';
    db.update(seriesGrids).set({ evaluation: JSON.stringify(tampered) }).where(eq(seriesGrids.seriesId, YOUTH)).run();
    expect(getSeries(db, YOUTH, NOW)!.evaluation.reason).toBe('read from series_grids');
    expect(getSeries(db, YOUTH, NOW + HOUR)!.evaluation.reason).toBe('read from series_grids');
    expect(getSeries(db, YOUTH, NOW - 1)!.evaluation.reason).not.toBe('read from series_grids');
    expect(getSeries(db, YOUTH, row.validUntil)!.evaluation.reason).not.toBe('read from series_grids');
    db.update(seriesGrids).set({ evaluation: row.evaluation }).where(eq(seriesGrids.seriesId, YOUTH)).run();
  });
});

describe('a change of facts', () => {
  const stored = (db: ReturnType<typeof loadedDb>['db'], id: string) => db.select().from(seriesGrids).where(eq(seriesGrids.seriesId, id)).get();
  const nextCheck = (db: ReturnType<typeof loadedDb>['db'], id: string) => db.select().from(series).where(eq(series.id, id)).get()!.nextCheckAt;

  it('drops the stored evaluation and makes the series due: a new value', () => {
    const { db } = loadedDb(NOW);
    const unchanged = recordValues(db, YOUTH, [{ period: '2023-06', value: 21.3, valueText: '21.3' }], { origin: 'fetch', now: NOW + HOUR });
    expect(unchanged.unchanged).toBe(1);
    expect(stored(db, YOUTH)).toBeDefined(); // nothing changed, nothing dropped
    recordValues(db, YOUTH, [{ period: '2026-10', value: 17.3, valueText: '17.3' }], { origin: 'fetch', now: NOW + HOUR });
    expect(stored(db, YOUTH)).toBeUndefined();
    expect(nextCheck(db, YOUTH)).toBeNull();
    const page = getSeries(db, YOUTH, NOW + 2 * HOUR)!;
    expect(page.evaluation.grid.find((c) => c.period === '2026-10')).toMatchObject({ state: 'disclosed', valueText: '17.3' });
    const due = evaluateSeriesInStore(db, { kind: 'due' }, NOW + 2 * HOUR);
    expect(due.evaluated).toBe(1);
    expect(stored(db, YOUTH)!.evaluatedAt).toBe(NOW + 2 * HOUR);
  });

  it('drops the stored evaluation and makes the series due: an event added, changed or removed', () => {
    const { db } = loadedDb(NOW);
    db.insert(events).values({
      id: 'test-delay', seriesId: YOUTH, kind: 'delayed', date: '2026-11-19', periodFrom: '2026-10', title: 'Delayed',
      evidenceKind: 'inferred', confidence: 'unverified', origin: 'inferred', recordedAt: NOW,
    }).run();
    expect(stored(db, YOUTH)).toBeUndefined();
    expect(nextCheck(db, YOUTH)).toBeNull();
    evaluateSeriesInStore(db, { kind: 'due' }, NOW);
    expect(stored(db, YOUTH)).toBeDefined();
    db.update(events).set({ title: 'Delayed again' }).where(eq(events.id, 'test-delay')).run();
    expect(stored(db, YOUTH)).toBeUndefined();
    evaluateSeriesInStore(db, { kind: 'due' }, NOW);
    db.delete(events).where(eq(events.id, 'test-delay')).run();
    expect(stored(db, YOUTH)).toBeUndefined();
  });

  it('drops the stored evaluation when the series is checked, paused or its rule changes, and not for its status', () => {
    const { db } = loadedDb(NOW);
    db.update(series).set({ checkedAt: NOW + HOUR }).where(eq(series.id, YOUTH)).run();
    expect(stored(db, YOUTH)).toBeUndefined();
    evaluateSeriesInStore(db, { kind: 'due' }, NOW + HOUR);
    db.update(series).set({ paused: true }).where(eq(series.id, YOUTH)).run();
    expect(stored(db, YOUTH)).toBeUndefined();
    expect(getSeries(db, YOUTH, NOW + HOUR)!.evaluation.status).toBe('paused');
    evaluateSeriesInStore(db, { kind: 'due' }, NOW + HOUR);
    db.update(series).set({ status: 'current', snoozedUntil: NOW }).where(eq(series.id, YOUTH)).run();
    expect(stored(db, YOUTH)).toBeDefined();
  });
});
