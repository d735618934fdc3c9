// Test helpers: temporary catalogues and databases on real SQLite files.
import { expect } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { openDb, type Db } from '../db/client.js';
import { createApp } from '../web/app.js';
import { syncCatalogue } from '../src/catalogue/sync.js';
import { CatalogueError, loadCatalogue } from '../src/catalogue/load.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { buildCli } from '../src/cli/program.js';
import type { HttpGet } from '../src/sources/http.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const BUNDLED_CATALOGUE = join(ROOT, 'catalogue');

export function tempDir(prefix = 'lacuna-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes files (path -> content) into a fresh folder and returns it. */
export function writeTree(files: Record<string, string>, dir = tempDir()): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/**
 * The bundled industrial value-added series read from the old portal (easyquery.htm) instead of the
 * new one: an edited copy of catalogue/series/nbs-industry.yaml, for the tests that replay the
 * recorded easyquery answers of 2026-03-03 (the old portal's indicator A020101 is the same figure).
 */
export function withOldPortalBlock(industryYaml: string): string {
  const edited = industryYaml.replace(/^    source: \{ kind: nbs_dg, [^\n]*$/m, '    source: { kind: nbs, db: hgyd, zb: A020101 }');
  if (edited === industryYaml) throw new Error('nbs-industry.yaml has no nbs_dg source line to replace');
  return edited;
}

/** A copy of the bundled catalogue whose industrial value-added series reads the old portal (see withOldPortalBlock). */
export function bundledCatalogueWithOldPortal(): string {
  const dir = copyOfBundledCatalogue();
  const file = join(dir, 'series', 'nbs-industry.yaml');
  writeFileSync(file, withOldPortalBlock(readFileSync(file, 'utf8')));
  return dir;
}

/** A copy of the bundled catalogue that a test may change. */
export function copyOfBundledCatalogue(): string {
  const dir = tempDir('lacuna-cat-');
  cpSync(BUNDLED_CATALOGUE, dir, { recursive: true });
  return dir;
}

/** A database file in a temporary folder, loaded with a catalogue and evaluated at `now`. */
export function loadedDb(now: number, catalogueDir = BUNDLED_CATALOGUE): { db: Db; file: string } {
  const file = join(tempDir(), 'lacuna.sqlite');
  const db = openDb(file);
  syncCatalogue(db, loadCatalogue(catalogueDir), now);
  evaluateSeriesInStore(db, { kind: 'all' }, now);
  return { db, file };
}

export const at = (iso: string) => Date.parse(iso);

/** The parameter a 400 names: `parameter` of a JSON answer, `data-parameter` of an HTML page. */
export async function badParameter(res: Response): Promise<string | null> {
  if (res.status !== 400) return null;
  const text = await res.text();
  if ((res.headers.get('content-type') ?? '').includes('json')) return (JSON.parse(text) as { parameter: string }).parameter;
  return /data-parameter="([^"]*)"/.exec(text)?.[1] ?? null;
}

/** The whole app, as start builds it, on a database and a fixed clock. */
export function appAt(db: Db, now: number, publicUrl?: string) {
  return createApp({ db, now: () => now, ...(publicUrl ? { publicUrl } : {}) });
}

/** The NBS industrial value-added series, read from easyquery: the fetch tests' one-series catalogue. */
export const INDUSTRY_ID = 'cn.nbs.industry.value_added_yoy';

export function industryCatalogue(): string {
  return writeTree({
    'publishers.yaml': 'publishers:\n  - { id: nbs, name: National Bureau of Statistics of China, time_zone: Asia/Shanghai }\n',
    'series/industry.yaml': `series:
  - id: ${INDUSTRY_ID}
    publisher: nbs
    title: Industrial value added above designated size, y/y
    unit: percent
    frequency: monthly
    grid_from: 2024-01
    release: { lag_days: 17, time: "10:00", grace_days: 7, jan_feb_combined: true }
    source: { kind: nbs, db: hgyd, zb: A020101 }
`,
  });
}

/**
 * Runs a command line in-process, as bin/lacuna.mjs would, with the given environment (nothing of
 * the test process's own), clock and HTTP client; returns the exit code and what was written.
 */
export async function lacuna(args: string[], env: Record<string, string | undefined>, opts: { now?: number; http?: HttpGet } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await buildCli({
    env, now: () => opts.now ?? Date.now(), cwd: ROOT,
    stdout: { write: (s: string) => { stdout += s; } }, stderr: { write: (s: string) => { stderr += s; } },
    ...(opts.http ? { http: opts.http } : {}),
  }).run(args);
  return { code, stdout, stderr };
}

/**
 * Three NBS monthly series read from easyquery, for tests of one publisher's batch: industrial
 * value added (A020101) and two series named by the codes `zbs` gives, in that order.
 */
export function nbsBatchCatalogue(zbs: [string, string] = ['A020102', 'A020103']): { dir: string; ids: [string, string, string] } {
  const ids: [string, string, string] = [INDUSTRY_ID, `test.nbs.${zbs[0].toLowerCase()}`, `test.nbs.${zbs[1].toLowerCase()}`];
  const entry = (id: string, zb: string) => `  - id: ${id}
    publisher: nbs
    title: NBS indicator ${zb} (test)
    unit: percent
    frequency: monthly
    grid_from: 2024-01
    release: { lag_days: 17, time: "10:00", grace_days: 7, jan_feb_combined: true }
    source: { kind: nbs, db: hgyd, zb: ${zb} }
`;
  const dir = writeTree({
    'publishers.yaml': 'publishers:\n  - { id: nbs, name: National Bureau of Statistics of China, time_zone: Asia/Shanghai }\n',
    'series/batch.yaml': `series:\n${entry(ids[0], 'A020101')}${entry(ids[1], zbs[0])}${entry(ids[2], zbs[1])}`,
  });
  return { dir, ids };
}

/** The problems a catalogue folder is refused for, one `file:line: message` each (the test fails if it loads). */
export function catalogueProblems(dir: string): string[] {
  try {
    loadCatalogue(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(CatalogueError);
    return (e as CatalogueError).problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
  }
  throw new Error('the catalogue loaded but should not have');
}

/** A catalogue's calendar.yaml with one real event (the Third Plenum of July 2024), for tests that edit its dates. */
export const CALENDAR = `calendar:
  - id: test-plenum
    kind: plenum
    title: Third Plenary Session of the 20th CPC Central Committee
    from: 2024-07-15
    to: 2024-07-18
    citations:
      - url: https://en.wikipedia.org/wiki/Third_plenary_session_of_the_20th_Central_Committee_of_the_Chinese_Communist_Party
        title: Third plenary session of the 20th Central Committee (Wikipedia)
        publisher: Wikipedia
        date: 2024-07-18
`;
