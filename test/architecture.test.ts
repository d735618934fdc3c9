// The house rules, read from the source. The core (src/core) is pure: it imports only its own
// modules, and never reads the clock, the process, timers or the network. Each workflow has one
// folder, and dependencies point one way: db/ is persistence only (core types at most), web/ reads
// through src/read and never reaches the store's writers, and nothing but the composition root
// imports web/ or jobs/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const CORE = join(ROOT, 'src', 'core');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.isFile() && /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Blanks out comments (keeping line numbers) so that prose about the clock is not a violation. */
function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, (_c, before: string) => before);
}

/** Every module specifier: import/export ... from 'x', import 'x', import('x'), require('x'). */
function importSpecifiers(code: string): { spec: string; line: number }[] {
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"`]([^'"`]+)['"`]/g,
    /\bimport\s*['"`]([^'"`]+)['"`]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]/g,
  ];
  const out: { spec: string; line: number }[] = [];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) out.push({ spec: m[1]!, line: code.slice(0, m.index).split('\n').length });
  }
  return out;
}

const FORBIDDEN: [string, RegExp][] = [
  ['Date.now()', /\bDate\s*\.\s*now\b/],
  ['new Date() without arguments', /\bnew\s+Date\s*\(\s*\)/],
  ['new Date without arguments', /\bnew\s+Date\b(?!\s*\()/],
  ['performance.now', /\bperformance\s*\.\s*now\b/],
  ['process.*', /\bprocess\s*\./],
  ['setTimeout', /\bsetTimeout\b/],
  ['setInterval', /\bsetInterval\b/],
  ['fetch()', /\bfetch\s*\(/],
  ['Math.random', /\bMath\s*\.\s*random\b/],
];

/** The violations in one file's source, as 'file:line: what'. */
function violations(file: string, source: string): string[] {
  const code = withoutComments(source);
  const found: string[] = [];
  for (const { spec, line } of importSpecifiers(code)) {
    if (spec.startsWith('node:')) found.push(`${file}:${line}: imports ${spec} (Node built-in)`);
    else if (!spec.startsWith('./')) found.push(`${file}:${line}: imports ${spec} from outside src/core`);
  }
  code.split('\n').forEach((text, i) => {
    for (const [what, re] of FORBIDDEN) if (re.test(text)) found.push(`${file}:${i + 1}: uses ${what}`);
  });
  return found;
}

describe('the pure core', () => {
  const files = tsFiles(CORE);

  it('has its modules where this test looks for them', () => {
    const names = files.map((f) => relative(CORE, f));
    expect(names).toEqual(expect.arrayContaining(['types.ts', 'period.ts', 'zoned-time.ts', 'release.ts', 'evaluate.ts', 'flips.ts', 'index.ts']));
  });

  it('imports nothing from outside src/core and never reads the clock, the process, timers or the network', () => {
    const found = files.flatMap((f) => violations(relative(ROOT, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});

describe('the purity check itself', () => {
  const bad: [string, string][] = [
    ['an import from a parent folder', "import { db } from '../db/client.js';"],
    ['a type import from outside', "import type { Db } from '../../db/client.js';"],
    ['a package import', "import { z } from 'zod';"],
    ['a Node built-in', "import { readFileSync } from 'node:fs';"],
    ['a bare Node built-in', "import fs from 'fs';"],
    ['a side-effect import', "import 'node:process';"],
    ['a re-export from outside', "export * from '../log.js';"],
    ['a dynamic import', "const m = await import('node:fs');"],
    ['a require', "const fs = require('fs');"],
    ['a multi-line import from outside', "import {\n  a,\n  b,\n} from '../x.js';"],
    ['Date.now()', 'const t = Date.now();'],
    ['new Date()', 'const t = new Date().getTime();'],
    ['new Date with no parentheses', 'const t = +new Date;'],
    ['performance.now()', 'const t = performance.now();'],
    ['process.env', 'const z = process.env.TZ;'],
    ['setTimeout', 'setTimeout(() => {}, 10);'],
    ['fetch()', "const r = await fetch('https://data.stats.gov.cn');"],
  ];

  it.each(bad)('catches %s', (_what, source) => {
    expect(violations('x.ts', source)).not.toEqual([]);
  });

  const fine: [string, string][] = [
    ['a sibling import', "import { dueAt } from './release.js';"],
    ['new Date of an instant', 'const d = new Date(ms);'],
    ['the clock mentioned in a comment', '// never call Date.now() or process.env here\nconst x = 1;'],
    ['the clock mentioned in a block comment', '/* new Date() and fetch( are banned */ const x = 1;'],
    ['a URL in a string', "const url = 'https://example.org/a';"],
  ];

  it.each(fine)('allows %s', (_what, source) => {
    expect(violations('x.ts', source)).toEqual([]);
  });
});

/** Where each folder may import from (value imports), and what it may import as types only. */
const LAYERS: { folder: string; may: string[]; typesFrom?: string[] }[] = [
  { folder: 'db', may: ['db'], typesFrom: ['src/core'] },
  { folder: 'src/core', may: ['src/core'] },
  { folder: 'src/formats', may: ['src/core', 'src/formats'] },
  { folder: 'src/sources', may: ['src/core', 'src/sources'] },
  { folder: 'src/catalogue', may: ['src/core', 'src/sources', 'src/catalogue', 'db'] },
  { folder: 'src/alerts', may: ['src/core', 'src/formats', 'src/alerts', 'db'] },
  { folder: 'src/read', may: ['src/core', 'src/formats', 'src/read', 'src/alerts/message.ts', 'db'], typesFrom: ['src/alerts'] },
  { folder: 'src/status', may: ['src/core', 'src/formats', 'src/read', 'src/alerts', 'src/status', 'db'] },
  { folder: 'src/fetch', may: ['src/core', 'src/sources', 'src/read', 'src/status', 'src/alerts', 'src/fetch', 'db'] },
  { folder: 'src/app', may: ['src', 'db', 'web', 'jobs'] },
  { folder: 'src/cli', may: ['src', 'db'] },
  { folder: 'jobs', may: ['jobs', 'src/core', 'src/fetch', 'src/status', 'src/alerts', 'src/read/pace.ts', 'db'], typesFrom: ['src/app', 'src/sources'] },
  { folder: 'web', may: ['web', 'src/core', 'src/formats', 'src/read'], typesFrom: ['db', 'src/alerts'] },
];

const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** Each import of a file that its folder's row does not allow, as 'file:line: imports target'. */
function layerViolations(file: string, source: string): string[] {
  const layer = LAYERS.filter((l) => inside(file, l.folder)).sort((a, b) => b.folder.length - a.folder.length)[0];
  if (!layer) return [`${file}: in no folder the house rules know`];
  const code = withoutComments(source);
  return importSpecifiers(code).flatMap(({ spec, line }) => {
    if (!spec.startsWith('.')) return [];
    const target = relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts');
    const typeOnly = new RegExp(`import\\s+type\\s[^;]*?['"\`]${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"\`]`).test(code);
    const ok = layer.may.some((f) => inside(target, f) || inside(target.replace(/\.ts$/, '.tsx'), f))
      || (typeOnly && (layer.typesFrom ?? []).some((f) => inside(target, f)));
    return ok ? [] : [`${file}:${line}: imports ${target}${typeOnly ? ' (types)' : ''}`];
  });
}

describe('the house', () => {
  const files = ['src', 'db', 'web', 'jobs'].flatMap((d) => tsFiles(join(ROOT, d))).map((f) => relative(ROOT, f));

  it('keeps each workflow in its folder', () => {
    for (const folder of ['src/app', 'src/cli', 'src/fetch', 'src/status', 'src/read', 'src/sources', 'src/alerts', 'src/catalogue', 'src/formats']) {
      expect(files.some((f) => inside(f, folder)), folder).toBe(true);
    }
    expect(files.filter((f) => /^src\/[^/]+\.tsx?$/.test(f))).toEqual([]);
  });

  it('points every import the way the layers allow', () => {
    expect(files.flatMap((f) => layerViolations(f, readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('catches a store that reaches into src/, a page that reaches the store or the fetch runner, and the read side importing web/', () => {
    expect(layerViolations('db/client.ts', "import { prepareStore } from '../src/app/prepare.js';")).not.toEqual([]);
    expect(layerViolations('db/client.ts', "import { dueAt } from '../src/core/release.js';")).not.toEqual([]);
    expect(layerViolations('db/client.ts', "import type { Period } from '../src/core/types.js';")).toEqual([]);
    expect(layerViolations('web/app.tsx', "import { openDb } from '../db/client.js';")).not.toEqual([]);
    expect(layerViolations('web/app.tsx', "import type { Db } from '../db/client.js';")).toEqual([]);
    expect(layerViolations('web/app.tsx', "import { fetchSeries } from '../src/fetch/runner.js';")).not.toEqual([]);
    expect(layerViolations('src/read/read-model.ts', "import { createApp } from '../../web/app.js';")).not.toEqual([]);
    expect(layerViolations('src/sources/nbs.ts', "import { series } from '../../db/schema.js';")).not.toEqual([]);
  });

  it('writes observations in one place only: db/record-values.ts, which marks the series changed', () => {
    const writers = files.filter((f) => observationWrites(readFileSync(join(ROOT, f), 'utf8')));
    expect(writers).toEqual(['db/record-values.ts']);
    // The detector itself: drizzle builders and SQL text alike.
    expect(observationWrites("db.insert(observations).values(x).run();")).toBe(true);
    expect(observationWrites("tx.update(observations).set({ value: 1 })")).toBe(true);
    expect(observationWrites("client.prepare('DELETE FROM observations WHERE id = ?')")).toBe(true);
    expect(observationWrites("client.prepare('SELECT * FROM observations')")).toBe(false);
  });
});

/** Whether source code writes the observations table (drizzle or SQL). */
function observationWrites(source: string): boolean {
  const code = withoutComments(source);
  return /\b(?:insert|update|delete)\s*\(\s*observations\s*\)/.test(code)
    || /\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[`"']?observations\b/i.test(code);
}

