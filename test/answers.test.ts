// Stored answers built off the main thread: a check over many series hands them to a worker
// thread; what comes back is byte for byte what this thread builds, is written only while the
// evaluation it was built from is still the stored one, and is read only with that evaluation.
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../db/client.js';
import { recordValues } from '../db/record-values.js';
import { publishers, series, seriesAnswers, seriesGrids } from '../db/schema.js';
import { decodeEvaluation, gridColumns, periodRange, type Frequency } from '../src/core/index.js';
import { exportChunk, storedObservations } from '../src/read/read-model.js';
import { answersOf, AnswerWorker, buildAnswer } from '../src/status/answers.js';
import { evaluateSeriesInSlices, evaluateSeriesInStore } from '../src/status/check.js';
import { tempDir } from './helpers.js';

const NOW = Date.parse('2026-11-01T00:00:00Z');
const PERIODS = periodRange('2022-01', '2026-09', 'monthly');
const RULE = JSON.stringify({ lagDays: 17, time: '10:00', timeZone: 'Asia/Shanghai', graceDays: 7, janFebCombined: false, calendar: {} });
const id = (i: number) => `t.series.${String(i).padStart(4, '0')}`;

/** `n` monthly series, each with a different run of values (some stop early). */
function manySeries(n: number): Db {
  const db = openDb(join(tempDir(), 'answers.sqlite'));
  db.insert(publishers).values({ id: 'p', name: 'P', timeZone: 'Asia/Shanghai' }).run();
  db.transaction((tx) => {
    for (let i = 0; i < n; i++) {
      tx.insert(series).values({
        id: id(i), publisherId: 'p', title: `Series ${i}`, unit: 'index', frequency: 'monthly', releaseRule: RULE,
        gridFrom: PERIODS[0]!, recordFrom: PERIODS[0]!, checkedAt: NOW,
      }).run();
      const kept = PERIODS.slice(0, PERIODS.length - (i % 7));
      recordValues(tx as unknown as Db, id(i), kept.map((p, k) => ({ period: p, value: k + i / 10, valueText: String(k + i / 10) })), { origin: 'import', now: NOW });
    }
  });
  return db;
}

/** The answers as this thread builds them from each stored evaluation. */
function inlineAnswers(db: Db): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  for (const g of db.select().from(seriesGrids).all()) {
    const ev = decodeEvaluation(g.evaluation, NOW)!;
    const [obs, csv] = answersOf({ seriesId: g.seriesId, unit: 'index', frequency: 'monthly', country: null }, ev.grid, gridColumns(ev.grid, 'monthly' as Frequency));
    out.set(g.seriesId, [gunzipSync(obs).toString(), gunzipSync(csv).toString()]);
  }
  return out;
}

function storedAnswers(db: Db): Map<string, [string, string]> {
  const rows = db.$client.prepare(
    'SELECT a.series_id AS id, a.observations_gz AS obs, a.csv_gz AS csv FROM series_answers a JOIN series_grids g ON g.series_id = a.series_id AND g.generation = a.generation',
  ).all() as { id: string; obs: Buffer; csv: Buffer }[];
  return new Map(rows.map((r) => [r.id, [gunzipSync(r.obs).toString(), gunzipSync(r.csv).toString()]]));
}

afterAll(() => AnswerWorker.stop());

describe('stored answers', () => {
  it('are built by the worker thread for a check over many series, the same as built here, and all written before the check returns', () => {
    const db = manySeries(260);
    const before = AnswerWorker.received;
    const result = evaluateSeriesInStore(db, { kind: 'all' }, NOW);
    expect(result.evaluated).toBe(260);
    expect(AnswerWorker.received - before).toBeGreaterThan(0);
    const stored = storedAnswers(db);
    expect(stored.size).toBe(260);
    expect(stored).toEqual(inlineAnswers(db));
    // The observations answer is what the API sends.
    const api = JSON.parse(gunzipSync(storedObservations(db, id(3), NOW)!).toString());
    expect(api).toMatchObject({ series_id: id(3), unit: 'index', frequency: 'monthly' });
    // Every month from the first to the one now running (its figure not yet due).
    expect(api.periods.map((c: { period: string }) => c.period)).toEqual(periodRange('2022-01', '2026-11', 'monthly'));
  });

  it('are all written by the server\'s sliced check too, without blocking', async () => {
    const db = manySeries(230);
    const before = AnswerWorker.received;
    const result = await evaluateSeriesInSlices(db, { kind: 'all' }, NOW);
    expect(result.evaluated).toBe(230);
    expect(AnswerWorker.received - before).toBeGreaterThan(0);
    expect(storedAnswers(db)).toEqual(inlineAnswers(db));
  });

  it('are read only with the evaluation they were built from: a newer evaluation without its answer is answered fresh', () => {
    const db = manySeries(3);
    evaluateSeriesInStore(db, { kind: 'all' }, NOW);
    expect(storedObservations(db, id(1), NOW)).not.toBeNull();
    // Another write of the evaluation (another process, say) whose answer is not there yet.
    db.update(seriesGrids).set({ generation: 12345 }).run();
    expect(storedObservations(db, id(1), NOW)).toBeNull();
    // The export writes those rows from the evaluation instead of sending the old answer.
    const csv = exportChunk(db, '', NOW, 10)!.csv.toString();
    expect(csv.split('\r\n').filter((l) => l.startsWith(id(1) + ',')).length).toBe(periodRange('2022-01', '2026-11', 'monthly').length);
  });

  it('that come back after their evaluation was replaced are not written', () => {
    const db = manySeries(2);
    evaluateSeriesInStore(db, { kind: 'all' }, NOW);
    const grid = db.select().from(seriesGrids).all()[0]!;
    const late = buildAnswer({ seriesId: grid.seriesId, unit: 'index', frequency: 'monthly', country: null, generation: grid.generation, evaluation: grid.evaluation });
    // A new value replaces the stored evaluation before the answer is written.
    db.transaction((tx) => recordValues(tx as unknown as Db, grid.seriesId, [{ period: '2026-10', value: 1, valueText: '1' }], { origin: 'fetch', now: NOW + 1 }));
    db.$client.prepare(
      'INSERT OR REPLACE INTO series_answers (series_id, generation, observations_gz, csv_gz) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM series_grids WHERE series_id = ? AND generation = ?)',
    ).run(grid.seriesId, late.generation, late.observations, late.csv, grid.seriesId, late.generation);
    expect(db.select().from(seriesAnswers).all().filter((a) => a.seriesId === grid.seriesId)).toEqual([]);
  });

  it('are handed to a fresh worker when the last one is gone, and the check still stores every one', async () => {
    const db = manySeries(210);
    const worker = AnswerWorker.get()!;
    await AnswerWorker.stop();
    expect(worker.send({ seriesId: 'x', unit: 'u', frequency: 'monthly', country: null, generation: 1, evaluation: '{}' })).toBe(false);
    evaluateSeriesInStore(db, { kind: 'all' }, NOW);
    expect(storedAnswers(db).size).toBe(210);
  });
});
