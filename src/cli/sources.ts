// `lacuna sources check [ID...]`: tries every source of every series (or of the series named)
// once, live, writes nothing, and prints what each answered: ok, blocked, failing, stale or
// misconfigured, the newest period it gave a value for, and how long it took. What an operator
// runs after deploying, from the machine lacuna will fetch from.
import { performance } from 'node:perf_hooks';
import { and, isNotNull, isNull } from 'drizzle-orm';
import { series } from '../../db/schema.js';
import { classifyRun, comparePeriods, type Frequency, type Period } from '../core/index.js';
import { readBlock } from '../fetch/read-source.js';
import { sourceBlocks, sourceLabel, type SourceBlock } from '../fetch/source-blocks.js';
import { newestValue } from '../fetch/history.js';
import { sourceSettings } from '../app/settings.js';
import { blockMissingKey } from '../fetch/due.js';
import { SourceError } from '../sources/errors.js';
import type { Cli } from './context.js';

export type CheckState = 'ok' | 'blocked' | 'failing' | 'stale' | 'misconfigured';

export interface SourceCheck {
  seriesId: string;
  source: string;
  state: CheckState;
  /** The newest period the source gave a value for (the stored one when it answered "not modified"). */
  latest: Period | null;
  ms: number;
  /** The error, or why the source is stale. */
  note: string;
}

/**
 * | the read                                             | state          |
 * |------------------------------------------------------|----------------|
 * | answered, fresh (or 304 Not Modified)                | ok             |
 * | answered, but behind the publisher's schedule        | stale          |
 * | 403, 451, a firewall or captcha page                 | blocked        |
 * | unreachable, timeout, 5xx, 408, 429, malformed       | failing        |
 * | the publisher answered, not for this series; a bad block or a missing API key | misconfigured |
 */
export function checkState(e: unknown): CheckState {
  if (!(e instanceof SourceError)) return 'failing';
  const verdict = classifyRun({ seriesId: '', outcome: 'failed', errorCode: e.code, httpStatus: e.httpStatus });
  return verdict === 'blocked' ? 'blocked' : verdict === 'series_error' ? 'misconfigured' : 'failing';
}

/** Checks the sources and prints the table; the exit code is 0 when every source is ok, 1 otherwise, 2 for an unknown series. */
export function checkSources(cli: Cli, ids: string[]): Promise<number> {
  const settings = sourceSettings(cli.config());
  return cli.withStore(async ({ db }) => {
    const rows = db.select().from(series).where(and(isNotNull(series.source), isNull(series.retractedAt))).all();
    const unknown = ids.filter((id) => !rows.some((r) => r.id === id));
    if (unknown.length) {
      cli.warn(`lacuna: no such series with a source: ${unknown.join(', ')}`);
      return 2;
    }
    const deps = { db, http: cli.http(), now: () => cli.now(), sources: settings };
    const checks: SourceCheck[] = [];
    for (const row of rows.filter((r) => !ids.length || ids.includes(r.id))) {
      let blocks: SourceBlock[];
      try {
        blocks = sourceBlocks(row.source);
      } catch (e) {
        checks.push({ seriesId: row.id, source: '?', state: 'misconfigured', latest: null, ms: 0, note: (e as Error).message });
        continue;
      }
      for (const block of blocks) checks.push(await checkOne(deps, row, block, settings.apiKeys));
    }
    print(cli, checks);
    return checks.every((c) => c.state === 'ok') ? 0 : 1;
  });
}

type Deps = Parameters<typeof readBlock>[0];
type Row = Parameters<typeof readBlock>[1];

async function checkOne(deps: Deps, row: Row, block: SourceBlock, keys: Readonly<Record<string, string | undefined>>): Promise<SourceCheck> {
  const base = { seriesId: row.id, source: sourceLabel(block) };
  const key = blockMissingKey(block.kind, keys);
  if (key) return { ...base, state: 'misconfigured', latest: null, ms: 0, note: `${key} is not set` };
  const started = performance.now();
  try {
    const read = await readBlock(deps, row, block, false);
    const ms = Math.round(performance.now() - started);
    if (read.notModified) return { ...base, state: 'ok', latest: newestValue(deps.db, row.id)?.period ?? null, ms, note: 'not modified since the last read' };
    const f = row.frequency as Frequency;
    const latest = read.answer!.observations.filter((o) => o.value !== null)
      .reduce<Period | null>((n, o) => (n === null || comparePeriods(o.period, n, f) > 0 ? o.period : n), null);
    const stale = read.freshness?.stale ? read.freshness.why ?? 'stale' : null;
    return { ...base, state: stale ? 'stale' : 'ok', latest, ms, note: stale ?? '' };
  } catch (e) {
    return { ...base, state: checkState(e), latest: null, ms: Math.round(performance.now() - started), note: (e as Error).message };
  }
}

function print(cli: Cli, checks: SourceCheck[]): void {
  const head = ['SERIES', 'SOURCE', 'STATE', 'LATEST', 'TOOK', 'NOTE'];
  const rows = checks.map((c) => [c.seriesId, c.source, c.state, c.latest ?? '-', `${c.ms} ms`, c.note.length > 160 ? `${c.note.slice(0, 157)}...` : c.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) cli.print(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
  const n = (s: CheckState) => checks.filter((c) => c.state === s).length;
  cli.print(`${checks.length} sources checked: ${n('ok')} ok, ${n('stale')} stale, ${n('blocked')} blocked, ${n('failing')} failing, ${n('misconfigured')} misconfigured (nothing written)`);
}
