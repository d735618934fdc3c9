// Browser assets served from this machine (users may run lacuna offline): Chart.js and its
// annotation plugin from node_modules, and lacuna's own files from web/public.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
/** A package's folder: its exports hide package.json, so walk up from its entry point. */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of package ${name}`);
    dir = up;
  }
  return dir;
}
const publicDir = join(dirname(fileURLToPath(import.meta.url)), 'public');

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** Asset name -> file on disk. Only these names are served. */
export const ASSETS: Record<string, string> = {
  'chart.umd.min.js': join(packageDir('chart.js'), 'dist', 'chart.umd.min.js'),
  'chartjs-plugin-annotation.min.js': join(packageDir('chartjs-plugin-annotation'), 'dist', 'chartjs-plugin-annotation.min.js'),
  'series-chart.js': join(publicDir, 'series-chart.js'),
  'disclosure.js': join(publicDir, 'disclosure.js'),
  'style.css': join(publicDir, 'style.css'),
  'embed.css': join(publicDir, 'embed.css'),
  'filters.js': join(publicDir, 'filters.js'),
};

const cache = new Map<string, Buffer>();

export function readAsset(name: string): { body: Buffer; type: string } | null {
  // Own names only: '__proto__', 'constructor' or 'toString' are not assets.
  if (!Object.hasOwn(ASSETS, name)) return null;
  const file = ASSETS[name]!;
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(file);
    cache.set(name, body);
  }
  return { body, type: TYPES[name.split('.').pop()!] ?? 'application/octet-stream' };
}
