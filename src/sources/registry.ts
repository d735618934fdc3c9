// The explicit list of source plug-ins. A missing or duplicate kind is a start-up error.
import type { SourcePlugin } from './types.js';
import { argentina } from './argentina.js';
import { bls } from './bls.js';
import { dbnomics } from './dbnomics.js';
import { fred } from './fred.js';
import { nbs } from './nbs.js';
import { nbsDg } from './nbs-dg.js';
import { ons } from './ons.js';
import { probe } from './probe.js';
import { sdmx } from './sdmx.js';
import { szse } from './szse.js';
import { table } from './table.js';
import { worldbank } from './worldbank.js';

const PLUGINS: SourcePlugin<any>[] = [nbs, nbsDg, dbnomics, fred, bls, worldbank, sdmx, table, probe, szse, ons, argentina];

export class RegistryError extends Error {}

function index(list: readonly SourcePlugin<any>[]): Map<string, SourcePlugin<any>> {
  const map = new Map<string, SourcePlugin<any>>();
  for (const p of list) {
    if (!p?.kind) throw new RegistryError('a source plug-in without a kind');
    if (map.has(p.kind)) throw new RegistryError(`two source plug-ins share the kind "${p.kind}"`);
    map.set(p.kind, p);
  }
  return map;
}

const REGISTRY = index(PLUGINS);

export const sourceKinds = (): string[] => [...REGISTRY.keys()];

export function sourcePlugin(kind: string): SourcePlugin<any> {
  const p = REGISTRY.get(kind);
  if (!p) throw new RegistryError(`unknown source kind "${kind}" (known: ${sourceKinds().join(', ')})`);
  return p;
}

export interface CheckedSource {
  plugin: SourcePlugin<any>;
  ref: unknown;
}

/** What every source block takes besides its kind's own fields (read by the fetch runner, not the plug-in). */
export const COMMON_SOURCE_KEYS = ['kind', 'role', 'since', 'until'] as const;

/** Validates a series' `source:` block: its kind, then the rest (without the common keys) against the plug-in's schema. */
export function checkSource(block: { kind: string } & Record<string, unknown>):
  { ok: true; source: CheckedSource } | { ok: false; problems: { path: PropertyKey[]; message: string }[] } {
  const plugin = REGISTRY.get(block.kind);
  if (!plugin) return { ok: false, problems: [{ path: ['kind'], message: `unknown source kind "${block.kind}" (known: ${sourceKinds().join(', ')})` }] };
  const rest = Object.fromEntries(Object.entries(block).filter(([k]) => !(COMMON_SOURCE_KEYS as readonly string[]).includes(k)));
  const r = plugin.ref.safeParse(rest);
  if (!r.success) return { ok: false, problems: r.error.issues.map((i) => ({ path: i.path, message: i.message })) };
  return { ok: true, source: { plugin, ref: r.data } };
}

export { index as indexPlugins };
