// kill -9 in the middle of lacuna's long writes (an import, the status check, two processes at
// once), then what an operator would check: the file is intact, no foreign key dangles, every
// series is either evaluated or still due, and the next run finishes the work.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.js';
import { flips, observations, series, seriesGrids } from '../../db/schema.js';
import { READ_MODEL_STAMP } from '../../src/read/stamp.js';
import { lacuna, ROOT, tempDir } from '../helpers.js';
import { workload } from './workload.js';

const BIN = join(ROOT, 'bin', 'lacuna.mjs');
const NOW = Date.parse('2025-03-01T00:00:00Z');

function child(args: string[], env: Record<string, string>): { proc: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const proc = spawn('node', [BIN, ...args], { env: { ...process.env, ...env }, cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (c) => { stderr += c; });
  return { proc, done: new Promise((ok) => proc.once('exit', (code) => ok({ code, stderr }))) };
}

/** Polls `probe` (a read on its own connection) until it is true, for at most `ms`. */
async function until(probe: () => boolean, ms = 60_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((ok) => setTimeout(ok, 20))) if (probe()) return true;
  return false;
}

function readOnly<T>(file: string, read: (db: Database.Database) => T, otherwise: T): T {
  if (!existsSync(file)) return otherwise;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try { return read(db); } catch { return otherwise; } finally { db.close(); }
}

function intact(file: string): void {
  const db = new Database(file);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  db.close();
}

describe('kill -9', () => {
  it('during an import leaves all of it or none, and the next import records it', async () => {
    const w = workload(300);
    const env = { LACUNA_DB: join(tempDir(), 'lacuna.sqlite'), LACUNA_CATALOGUE: w.catalogue };
    expect((await lacuna(['validate'], env, { now: NOW })).code).toBe(0);
    const run = child(['import', w.csv], env);
    // Killed once the import has begun writing (its journal exists), whenever that is.
    await until(() => existsSync(`${env.LACUNA_DB}-wal`));
    run.proc.kill('SIGKILL');
    await run.done;
    intact(env.LACUNA_DB);
    const db = openDb(env.LACUNA_DB);
    expect([0, w.values]).toContain(db.select().from(observations).all().length);
    db.$client.close();
    const again = await lacuna(['import', w.csv], env, { now: NOW });
    expect(again.code).toBe(0);
    const after = openDb(env.LACUNA_DB);
    expect(after.select().from(observations).all()).toHaveLength(w.values);
    after.$client.close();
  }, 180_000);

  it('during the status check leaves each series evaluated or still due, and the next run finishes it', async () => {
    const w = workload(600);
    const env = { LACUNA_DB: join(tempDir(), 'lacuna.sqlite'), LACUNA_CATALOGUE: w.catalogue };
    expect((await lacuna(['import', w.csv], env, { now: NOW })).code).toBe(0);
    const db = openDb(env.LACUNA_DB);
    db.update(series).set({ nextCheckAt: null }).run();
    db.delete(seriesGrids).run();
    db.$client.close();
    const run = child(['status', '--json'], env);
    // Killed once some series are stored and others are not.
    await until(() => readOnly(env.LACUNA_DB, (d) => (d.prepare('SELECT count(*) AS n FROM series_grids').get() as { n: number }).n > 0, false));
    run.proc.kill('SIGKILL');
    await run.done;
    intact(env.LACUNA_DB);
    const mid = openDb(env.LACUNA_DB);
    const grids = new Map(mid.select().from(seriesGrids).all().map((g) => [g.seriesId, g]));
    for (const s of mid.select().from(series).all()) {
      const g = grids.get(s.id);
      // Evaluated: its stored copy is there, stamped, and the series waits for its next check. Or still due.
      if (g) expect([g.stamp, s.nextCheckAt !== null, s.evaluatedAt]).toEqual([READ_MODEL_STAMP, true, g.evaluatedAt]);
      else expect(s.nextCheckAt).toBeNull();
    }
    const flipsBefore = mid.select().from(flips).all().length;
    mid.$client.close();
    expect((await lacuna(['status', '--json'], env, { now: NOW })).code).toBe(0);
    const end = openDb(env.LACUNA_DB);
    expect(end.select().from(seriesGrids).all()).toHaveLength(w.series);
    // The first evaluation of a series is a flip from "new"; none is recorded twice.
    const firsts = end.select().from(flips).all().filter((f) => f.fromStatus === 'new').map((f) => f.seriesId);
    expect(new Set(firsts).size).toBe(firsts.length);
    expect(end.select().from(flips).all().length).toBeGreaterThanOrEqual(flipsBefore);
    end.$client.close();
  }, 180_000);
});

describe('two processes on one database', () => {
  it('an import beside a full status check: both finish, neither sees "database is locked"', async () => {
    const w = workload(400);
    const env = { LACUNA_DB: join(tempDir(), 'lacuna.sqlite'), LACUNA_CATALOGUE: w.catalogue };
    expect((await lacuna(['validate'], env, { now: NOW })).code).toBe(0);
    const half = await lacuna(['status'], env, { now: NOW });
    expect(half.code).toBe(0);
    const db = openDb(env.LACUNA_DB);
    db.update(series).set({ nextCheckAt: null }).run();
    db.$client.close();
    const [imp, check] = await Promise.all([child(['import', w.csv], env).done, child(['status'], env).done]);
    expect(imp).toMatchObject({ code: 0 });
    expect(check).toMatchObject({ code: 0 });
    expect(imp.stderr + check.stderr).not.toMatch(/locked/);
  }, 180_000);
});
