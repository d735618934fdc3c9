// A series' sources as the store keeps them: one `source:` block (a JSON object) or `sources:` in
// order of preference (a JSON array). Each block is read as what every kind takes (its role and
// period window) and the rest, which its plug-in checks.
import { SOURCE_ROLES, type PeriodWindow, type SourceRole } from '../core/index.js';
import { SourceError } from '../sources/errors.js';
import { checkSource, type CheckedSource } from '../sources/registry.js';

export interface SourceBlock {
  /** Its place in `sources:` (0 for a single `source:`). */
  index: number;
  kind: string;
  role: SourceRole;
  window: PeriodWindow;
  /** The block as written (since and until canonical). */
  block: { kind: string } & Record<string, unknown>;
}

/** The blocks of a stored source column, in order of preference; throws SourceError('config') for a column that is not one. */
export function sourceBlocks(json: string | null): SourceBlock[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json ?? 'null');
  } catch {
    throw new SourceError('config', `the source block is not JSON: ${JSON.stringify((json ?? '').slice(0, 60))}`, true);
  }
  const list = Array.isArray(parsed) ? parsed : parsed === null ? [] : [parsed];
  return list.map((b, index) => {
    const block = (typeof b === 'object' && b !== null ? b : { kind: '' }) as { kind: string } & Record<string, unknown>;
    const role = SOURCE_ROLES.includes(block.role as SourceRole) ? (block.role as SourceRole) : 'official';
    const period = (v: unknown) => (typeof v === 'string' ? v : null);
    return { index, kind: typeof block.kind === 'string' ? block.kind : 'unknown', role, window: { since: period(block.since), until: period(block.until) }, block };
  });
}

/** The plug-in and its ref for a block; throws SourceError('config') for a bad block. */
export function checkedBlock(b: SourceBlock): CheckedSource {
  const checked = checkSource(b.block);
  if (!checked.ok) throw new SourceError('config', `bad source block: ${checked.problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`, true);
  return checked.source;
}

/** How a block is named to people: its kind and the publisher's key of the series, with its role unless official. */
export function sourceLabel(b: SourceBlock): string {
  let key = '';
  try {
    const { plugin, ref } = checkedBlock(b);
    key = ` ${plugin.key(ref)}`;
  } catch { /* a bad block is named by its kind alone */ }
  return `${b.kind}${key}${b.role === 'official' ? '' : ` (${b.role})`}`;
}
