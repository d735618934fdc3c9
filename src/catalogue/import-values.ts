// Imports values from a CSV file (the catalogue's columns: series_id, period, value, and
// optionally unit, source_repo, source_path, released_at). Every row is checked first; one bad
// row refuses the whole file with its line and reason, and nothing is written.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recordValues, type IncomingValue, type RecordCounts } from '../../db/record-values.js';
import { series } from '../../db/schema.js';
import { isValidPeriod, normalisePeriod, parseDay, type Frequency } from '../core/index.js';
import type { Problem } from './load.js';
import { CatalogueError } from './load.js';

export function importValues(db: Db, file: string, now: number, opts: { dryRun?: boolean } = {}): Record<string, RecordCounts> {
  const text = readFileSync(file, 'utf8');
  const problems: Problem[] = [];
  const at = (line: number, message: string) => problems.push({ file, line, column: 1, message });
  let rows: { record: Record<string, string>; info: { lines: number } }[] = [];
  try {
    rows = parse(text, { columns: true, info: true, skip_empty_lines: true, bom: true });
  } catch (e) {
    throw new CatalogueError([{ file, line: (e as { lines?: number }).lines ?? 1, column: 1, message: `CSV: ${(e as Error).message}` }]);
  }
  const header = Object.keys(rows[0]?.record ?? {});
  for (const col of ['series_id', 'period', 'value']) if (rows.length && !header.includes(col)) at(1, `missing column ${col}`);
  if (problems.length) throw new CatalogueError(problems);

  const bySeries = new Map<string, IncomingValue[]>();
  const frequencies = new Map<string, { frequency: Frequency; unit: string } | null>();
  for (const { record: r, info } of rows) {
    const id = r.series_id ?? '';
    if (!frequencies.has(id)) {
      const s = db.select({ frequency: series.frequency, unit: series.unit }).from(series).where(eq(series.id, id)).get();
      frequencies.set(id, s ? { frequency: s.frequency as Frequency, unit: s.unit } : null);
    }
    const s = frequencies.get(id);
    if (!s) { at(info.lines, `unknown series "${id}" (add it to the catalogue first)`); continue; }
    let period: string;
    try { period = normalisePeriod(r.period ?? '', s.frequency); } catch { at(info.lines, `period "${r.period}" is not a valid ${s.frequency} period`); continue; }
    if (!isValidPeriod(period, s.frequency)) { at(info.lines, `period "${r.period}" is not a valid ${s.frequency} period`); continue; }
    const valueText = (r.value ?? '').trim();
    const value = valueText === '' ? null : Number(valueText);
    if (value !== null && !Number.isFinite(value)) { at(info.lines, `value "${r.value}" is not a number`); continue; }
    if (r.unit && r.unit !== s.unit) { at(info.lines, `unit "${r.unit}" differs from the series unit "${s.unit}"`); continue; }
    let releasedAt: number | null = null;
    if (r.released_at) {
      try { releasedAt = parseDay(r.released_at); } catch { at(info.lines, `released_at "${r.released_at}" is not a date YYYY-MM-DD`); continue; }
    }
    const list = bySeries.get(id) ?? [];
    if (list.some((v) => v.period === period)) { at(info.lines, `duplicate value for ${id} ${period}`); continue; }
    list.push({ period, value, valueText, releasedAt, provenance: r.source_repo ? `${r.source_repo}:${r.source_path ?? ''}` : `import:${file}` });
    bySeries.set(id, list);
  }
  if (problems.length) throw new CatalogueError(problems);

  const result: Record<string, RecordCounts> = {};
  const write = () => {
    for (const [id, values] of bySeries) result[id] = recordValues(db, id, values, { origin: 'import', now });
  };
  if (opts.dryRun) {
    try {
      db.transaction((tx) => { void tx; write(); throw new DryRun(); });
    } catch (e) { if (!(e instanceof DryRun)) throw e; }
  } else db.transaction(() => write());
  return result;
}

class DryRun extends Error {}
