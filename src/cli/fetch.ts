// `lacuna fetch`, `lacuna backfill` and `lacuna fetch --dry-run ID`: fetching from the command
// line, with a progress bar on a terminal and one line per series.
import { SingleBar, Presets } from 'cli-progress';
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { series } from '../../db/schema.js';
import { csvText } from '../formats/csv.js';
import { fetchMany, readSource, summarise, type Trigger } from '../fetch/runner.js';
import { credentialWarnings, missingKey } from '../fetch/due.js';
import { sourceSettings } from '../app/settings.js';
import type { Cli } from './context.js';
import { redactUrl } from '../sources/redact.js';

/** Fetches and returns the exit code: 0 when every fetch worked, 1 when one failed, 2 for a bad request. */
export function runFetch(cli: Cli, ids: string[], trigger: Trigger): Promise<number> {
  const sources = sourceSettings(cli.config());
  return cli.withStore(async ({ db, alerts }) => {
    const rows = db.select({ id: series.id, source: series.source }).from(series).where(and(isNotNull(series.source), isNull(series.retractedAt))).all();
    const withSource = rows.map((r) => r.id);
    const unknown = ids.filter((id) => !withSource.includes(id));
    if (unknown.length) {
      cli.warn(`lacuna: no such series with a source: ${unknown.join(', ')} (series with a source: ${withSource.join(', ') || 'none'})`);
      return 2;
    }
    // A series whose API key is not set is not read: asked for by name, that is an error; in a
    // fetch of everything, a warning (lacuna's own missing setting is not the publisher failing).
    const keyless = new Map(rows.flatMap((r) => {
      const key = missingKey(r.source!, sources.apiKeys);
      return key ? [[r.id, key] as const] : [];
    }));
    const named = ids.filter((id) => keyless.has(id));
    if (named.length) {
      cli.warn(`lacuna: ${named.map((id) => `${id} needs ${keyless.get(id)}`).join(', ')}, which is not set`);
      return 2;
    }
    if (!ids.length) for (const w of credentialWarnings(db, sources.apiKeys)) cli.warn(`lacuna: ${w}`);
    const targets = ids.length ? ids : withSource.filter((id) => !keyless.has(id));
    const bar = cli.stderr.isTTY
      ? new SingleBar({ format: '{bar} {value}/{total} {series}', stream: cli.stderr as NodeJS.WritableStream }, Presets.shades_classic)
      : null;
    bar?.start(targets.length, 0, { series: '' });
    const results = await fetchMany({ db, http: cli.http(), now: () => cli.now(), sources, alertOptions: alerts.options }, targets, trigger, (r) => {
      bar?.increment({ series: r.seriesId });
      // Which source answered, when it was not the only one tried, and a stale source's reason.
      const from = r.attempts.length > 1 && r.source ? `; from ${r.source} (${r.attempts.filter((a) => a.source !== r.source).map((a) => `${a.source}: ${a.outcome === 'failed' ? 'failed' : 'stale'}`).join(', ')})` : '';
      const stale = r.stale ? `; source stale: ${r.stale}` : '';
      const line = r.outcome === 'failed'
        ? `${r.seriesId}: FAILED: ${r.error}`
        : `${r.seriesId}: ${r.outcome === 'no_change' ? 'no change' : `${r.added} added, ${r.revised} revised, ${r.withdrawn} withdrawn, ${r.gaps} listed without a value${r.lineDropped ? '; line dropped (event recorded)' : ''}`}${from}${stale}`;
      if (bar) bar.updateETA();
      (r.outcome === 'failed' ? cli.warn : cli.print)(line);
    });
    bar?.stop();
    cli.print(summarise(results));
    return results.some((r) => r.outcome === 'failed') ? 1 : 0;
  });
}

/** Prints the parsed answer of one series' source as CSV; writes nothing to the store. */
export function dryRun(cli: Cli, id: string): Promise<void> {
  const sources = sourceSettings(cli.config());
  return cli.withStore(async ({ db }) => {
    const row = db.select().from(series).where(eq(series.id, id)).get();
    if (!row?.source) throw new Error(`no such series with a source: ${id}`);
    const read = await readSource({ db, http: cli.http(), now: () => cli.now(), sources }, row, false);
    const rows = (read.answer?.observations ?? []).map((o) => [id, o.period, o.value === null ? '' : o.valueText, o.value === null ? 'listed without a value' : 'value', o.obsStatus ?? '']);
    cli.stdout.write(csvText([['series_id', 'period', 'value', 'kind', 'obs_status'], ...rows]));
    const unit = read.answer?.unit;
    cli.warn(`${rows.length} periods from ${redactUrl(read.request.url)}${unit ? `; unit ${unit}` : ''}${read.listed === false ? '; the indicator is NOT in the publisher\'s catalogue' : ''} (dry run: nothing written)`);
  });
}
