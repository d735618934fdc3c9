// The core (src/core) is pure: it imports only its own modules, and never reads the clock, the
// process, timers or the network. This test reads its source and fails on any such use.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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
