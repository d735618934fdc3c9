// The status check as a pipeline users can trust: one bad series never stops the others, a flip is
// written only where the stored status is still the one evaluated from, and the stored read model
// (evaluations, answers, the headline) carries a stamp so that a change of rules recomputes it.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '../db/client.js';
import { recordValues } from '../db/record-values.js';
import { events, fetchRuns, flips, series, seriesAnswers, seriesGrids, summaries } from '../db/schema.js';
import { encodeEvaluation, evaluateSeries, PERIOD_STATES, type PeriodCell, type PeriodState } from '../src/core/index.js';
import { prepareStore } from '../src/app/prepare.js';
import { seriesFacts } from '../src/read/facts.js';
import { disclosureHeadline } from '../src/read/disclosure.js';
import { getSeries } from '../src/read/read-model.js';
import { READ_MODEL_STAMP } from '../src/read/stamp.js';
import { evaluateSeriesInStore, writeEvaluation } from '../src/status/check.js';
import { refreshHeadline } from '../src/status/headline.js';
import { appAt, at, BUNDLED_CATALOGUE, copyOfBundledCatalogue, loadedDb, tempDir } from './helpers.js';
import { join } from 'node:path';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const URBAN = 'cn.nbs.unemployment.urban';
const MINUTE = 60_000;

describe('a series whose evaluation fails', () => {
  it('is recorded with its error and retried later with backoff, and never stops the others', () => {
    const { db } = loadedDb(NOW);
    // A stored row an older version (or a hand edit) left with a grid_from that is no period.
    db.update(series).set({ gridFrom: '2023-13' }).where(eq(series.id, YOUTH)).run();
    db.update(series).set({ title: 'Urban surveyed unemployment (renamed)' }).where(eq(series.id, URBAN)).run();
    const t = NOW + 10 * MINUTE;

    const r = evaluateSeriesInStore(db, { kind: 'due' }, t);
    expect(r.evaluated).toBe(1);
    expect(r.failed).toEqual([{ seriesId: YOUTH, error: expect.stringContaining('2023-13') }]);
    const bad = db.select().from(series).where(eq(series.id, YOUTH)).get()!;
    expect(bad).toMatchObject({ checkFailures: 1, checkError: expect.stringContaining('2023-13') });
    expect(bad.nextCheckAt).toBeGreaterThan(t);
    // The others were evaluated in the same run.
    expect(db.select().from(seriesGrids).where(eq(seriesGrids.seriesId, URBAN)).get()!.evaluatedAt).toBe(t);
    // Its next attempts back off: a second failure waits twice as long.
    const first = bad.nextCheckAt! - t;
    evaluateSeriesInStore(db, { kind: 'due' }, bad.nextCheckAt!);
    const again = db.select().from(series).where(eq(series.id, YOUTH)).get()!;
    expect(again.checkFailures).toBe(2);
    expect(again.nextCheckAt! - bad.nextCheckAt!).toBe(2 * first);
    // Fixed, it evaluates and the error is cleared.
    db.update(series).set({ gridFrom: '2018-01' }).where(eq(series.id, YOUTH)).run();
    evaluateSeriesInStore(db, { kind: 'due' }, again.nextCheckAt!);
    expect(db.select().from(series).where(eq(series.id, YOUTH)).get()).toMatchObject({ checkError: null, checkFailures: 0 });
  });

  it('shows its error on its page and the board instead of answering 500', async () => {
    const { db } = loadedDb(NOW);
    db.update(series).set({ gridFrom: '2023-13' }).where(eq(series.id, YOUTH)).run();
    evaluateSeriesInStore(db, { kind: 'due' }, NOW + MINUTE);
    const app = appAt(db, NOW + MINUTE);
    const page = await app.request(`/series/${YOUTH}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('lacuna cannot evaluate this series');
    const board = await app.request('/');
    expect(board.status).toBe(200);
    expect((await (await app.request(`/api/series/${YOUTH}`)).json())).toMatchObject({ check_error: expect.stringContaining('2023-13') });
  });

  it('does not stop start: prepare reports it and evaluates every other series', () => {
    const file = join(tempDir(), 'lacuna.sqlite');
    prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: BUNDLED_CATALOGUE }, NOW).db.$client.close();
    const db = openDb(file);
    // Rows an older version could have written: an event dated a day that does not exist (skipped
    // and named), and a series whose grid_from is no period (recorded on the series).
    db.insert(events).values({
      id: 'stored-bad-date', seriesId: URBAN, kind: 'delayed', date: '2023-13-45', periodFrom: '2023-07', title: 'x',
      evidenceKind: 'inferred', confidence: 'unverified', origin: 'inferred', recordedAt: NOW,
    }).run();
    db.update(series).set({ gridFrom: '2023-13' }).where(eq(series.id, YOUTH)).run();
    db.$client.close();
    const { db: again, check, warnings } = prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: BUNDLED_CATALOGUE }, NOW + MINUTE);
    expect(warnings.join('\n')).toMatch(/stored-bad-date/);
    expect(check.failed).toEqual([{ seriesId: YOUTH, error: expect.stringContaining('2023-13') }]);
    expect(again.select().from(series).where(eq(series.id, YOUTH)).get()!.checkError).toMatch(/2023-13/);
    expect(again.select().from(seriesGrids).where(eq(seriesGrids.seriesId, URBAN)).get()).toBeTruthy();
    again.$client.close();
  });
});

describe('start', () => {
  it('marks a fetch run a crash left running as abandoned, and says so', () => {
    const file = join(tempDir(), 'lacuna.sqlite');
    prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: BUNDLED_CATALOGUE }, NOW).db.$client.close();
    const db = openDb(file);
    const run = db.insert(fetchRuns).values({ seriesId: URBAN, source: 'nbs', startedAt: NOW - 60 * MINUTE }).returning().get();
    db.$client.close();
    const { db: again, warnings } = prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: BUNDLED_CATALOGUE }, NOW);
    expect(again.select().from(fetchRuns).where(eq(fetchRuns.id, run.id)).get()).toMatchObject({ outcome: 'failed', errorCode: 'abandoned', finishedAt: NOW });
    expect(warnings).toContain('1 fetch run left running by a stopped process marked abandoned');
    again.$client.close();
  });
});

describe('a flip', () => {
  it('is written only where the stored status is still the one evaluated from', () => {
    const { db } = loadedDb(at('2023-08-01T00:00:00Z'));
    const t = at('2023-09-01T00:00:00Z');
    // Two processes read the youth row while it was current; one records the flip first.
    const stale = db.select().from(series).where(eq(series.id, YOUTH)).get()!;
    expect(stale.status).toBe('current');
    const ev = evaluateSeries(seriesFacts(db, stale), t, stale.title);
    expect(ev.status).toBe('suspended');
    expect(writeEvaluation(db, stale, ev, t)).toMatchObject({ to: 'suspended' });
    expect(writeEvaluation(db, stale, ev, t)).toBeNull();
    expect(db.select().from(flips).where(eq(flips.seriesId, YOUTH)).all().filter((f) => f.toStatus === 'suspended')).toHaveLength(1);
  });
});

describe('the stored read model', () => {
  /** A stored grid with every cell made 'missing': what a page shows if it reads the copy. */
  function tamper(db: ReturnType<typeof loadedDb>['db'], id: string) {
    const g = db.select().from(seriesGrids).where(eq(seriesGrids.seriesId, id)).get()!;
    const stored = JSON.parse(g.evaluation) as { states: string; status: string };
    const missing = encodeEvaluation({ ...evaluateSeries(seriesFacts(db, db.select().from(series).where(eq(series.id, id)).get()!), NOW), status: 'overdue' }, 'monthly');
    db.update(seriesGrids).set({ evaluation: missing }).where(eq(seriesGrids.seriesId, id)).run();
    return stored;
  }

  it('is stamped, and a copy written under another stamp (older rules) is never read', () => {
    const { db } = loadedDb(NOW);
    expect(db.select().from(seriesGrids).all().every((g) => g.stamp === READ_MODEL_STAMP)).toBe(true);
    tamper(db, URBAN);
    expect(getSeries(db, URBAN, NOW)!.evaluation.status).toBe('overdue'); // the copy is what pages read
    db.update(seriesGrids).set({ stamp: 'older rules' }).where(eq(seriesGrids.seriesId, URBAN)).run();
    const fresh = evaluateSeries(seriesFacts(db, db.select().from(series).where(eq(series.id, URBAN)).get()!), NOW);
    expect(fresh.status).not.toBe('overdue');
    expect(getSeries(db, URBAN, NOW)!.evaluation.status).toBe(fresh.status);
  });

  it('is recomputed at start where its stamp differs, with the answers and the headline', () => {
    const file = join(tempDir(), 'lacuna.sqlite');
    const cat = copyOfBundledCatalogue();
    prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: cat }, NOW).db.$client.close();
    const db = openDb(file);
    db.update(seriesGrids).set({ stamp: 'older rules', evaluatedAt: NOW - 1 }).run();
    db.update(summaries).set({ stamp: 'older rules', value: 'null' }).run();
    db.$client.close();
    const { db: again } = prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: cat }, NOW + MINUTE);
    const grids = again.select().from(seriesGrids).all();
    expect(grids.length).toBe(again.select().from(series).all().length);
    expect(grids.every((g) => g.stamp === READ_MODEL_STAMP && g.evaluatedAt === NOW + MINUTE)).toBe(true);
    expect(again.select().from(seriesAnswers).all()).toHaveLength(grids.length);
    expect(again.select().from(summaries).get()).toMatchObject({ stamp: READ_MODEL_STAMP });
    expect(disclosureHeadline(again, NOW + MINUTE)).not.toBeNull();
    again.$client.close();
  });

  it('is dropped, and its series made due, by any write of a fact, through the one path for each kind', () => {
    const { db } = loadedDb(NOW);
    const has = (id: string) => db.select().from(seriesGrids).where(eq(seriesGrids.seriesId, id)).get() !== undefined;
    const due = (id: string) => db.select().from(series).where(eq(series.id, id)).get()!.nextCheckAt === null;
    expect([has(URBAN), due(URBAN)]).toEqual([true, false]);
    // Values: the vintage recorder (the only writer of observations, test/architecture.test.ts)
    // marks the series changed once per write, and the store's trigger drops the read model.
    db.transaction((tx) => recordValues(tx as unknown as Db, URBAN, [{ period: '2030-01', value: 1, valueText: '1' }], { origin: 'import', now: NOW }));
    expect([has(URBAN), due(URBAN)]).toEqual([false, true]);
    expect(db.select().from(series).where(eq(series.id, URBAN)).get()!.valuesChangedAt).toBe(NOW);
    // The same values again change nothing, and drop nothing.
    evaluateSeriesInStore(db, { kind: 'due' }, NOW);
    db.transaction((tx) => recordValues(tx as unknown as Db, URBAN, [{ period: '2030-01', value: 1, valueText: '1' }], { origin: 'import', now: NOW + 1 }));
    expect([has(URBAN), due(URBAN)]).toEqual([true, false]);
    // A withdrawal, through the recorder.
    const periods = db.$client.prepare('SELECT period, value, value_text AS valueText FROM observations WHERE series_id = ? AND superseded_at IS NULL').all(URBAN) as { period: string; value: number | null; valueText: string }[];
    db.transaction((tx) => recordValues(tx as unknown as Db, URBAN, periods.filter((p) => p.period !== '2030-01'), { origin: 'fetch', now: NOW + 2, complete: true }));
    expect([has(URBAN), due(URBAN)]).toEqual([false, true]);
    // A row deleted by hand in SQL (lacuna never deletes one) is seen by a trigger of its own.
    evaluateSeriesInStore(db, { kind: 'due' }, NOW);
    db.$client.prepare("DELETE FROM observations WHERE series_id = ? AND period = '2030-01'").run(URBAN);
    expect([has(URBAN), due(URBAN)]).toEqual([false, true]);
    // A rule, an event, a withdrawal: each the same way.
    for (const [id, write] of [
      [YOUTH, () => db.$client.prepare('UPDATE series SET record_from = record_from WHERE id = ?').run(YOUTH)],
      ['cn.nbs.real_estate.land_purchase_area.ytd', () => db.$client.prepare("UPDATE events SET title = title || ' ' WHERE series_id = ?").run('cn.nbs.real_estate.land_purchase_area.ytd')],
    ] as const) {
      evaluateSeriesInStore(db, { kind: 'due' }, NOW);
      expect([has(id), due(id)]).toEqual([true, false]);
      write();
      expect([has(id), due(id)], id).toEqual([false, true]);
    }
  });

  it('keeps states as explicit codes, whatever the order of the list of states', () => {
    const codes: Record<PeriodState, string> = {
      disclosed: 'd', not_due: 'n', late: 'l', missing: 'm', suspended: 's', discontinued: 'x',
      access_cut: 'c', not_expected: 'k', withdrawn: 'w', unknown: 'u', cancelled: 'v',
    };
    expect(Object.keys(codes).sort()).toEqual([...PERIOD_STATES].sort());
    const cell = (period: string, state: PeriodState): PeriodCell => ({
      period, state, dueAt: 0, graceEndsAt: 0, value: null, valueText: null, firstSeenAt: null,
      marks: { break: false, revised: false, backfilled: false }, eventId: null, obsStatus: null,
    });
    const months = PERIOD_STATES.map((s, i) => cell(`2020-${String(i + 1).padStart(2, '0')}`, s));
    const text = encodeEvaluation({
      grid: months, status: 'current', reason: '', lastDisclosed: null, darkSince: null, daysOverdue: null,
      nextCheckAt: null, stableUntil: 0, uncheckedFrom: null,
    }, 'monthly');
    expect((JSON.parse(text) as { states: string }).states).toBe(PERIOD_STATES.map((s) => codes[s]).join(''));
  });
});

describe('the headline', () => {
  it('is read only while it holds: past its validity or under another stamp it is computed again', () => {
    const { db } = loadedDb(NOW);
    refreshHeadline(db, NOW);
    const kept = db.select().from(summaries).get()!;
    const fake = JSON.stringify({ latest: { month: '1999-01', due: 1, onSchedule: 0, share: 0 }, yearEarlier: { month: '1998-01', due: 0, onSchedule: 0, share: null } });
    db.update(summaries).set({ value: fake }).run();
    expect(disclosureHeadline(db, NOW)!.latest.month).toBe('1999-01'); // the kept copy, while it holds
    expect(disclosureHeadline(db, kept.validUntil!)!.latest.month).not.toBe('1999-01');
    db.update(summaries).set({ stamp: 'older rules' }).run();
    expect(disclosureHeadline(db, NOW)!.latest.month).not.toBe('1999-01');
  });
});
