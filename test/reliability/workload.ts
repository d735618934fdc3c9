// A synthetic workload for the fault tests: one publisher, many monthly series over thirty years,
// their values as an import CSV. Made-up numbers: they test crashes, not statistics, and are never
// shown to anyone.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { periodRange } from '../../src/core/index.js';
import { writeTree } from '../helpers.js';

export interface Workload { catalogue: string; csv: string; series: number; values: number }

export function workload(series: number, fromYear = 1995, toYear = 2024): Workload {
  const ids = Array.from({ length: series }, (_, i) => `test.load.s${String(i).padStart(5, '0')}`);
  const yaml = ['series:', ...ids.map((id) => `  - { id: ${id}, publisher: test, title: "Load ${id}", unit: index, frequency: monthly, grid_from: ${fromYear}-01, checked_through: ${toYear}-12, release: { lag_days: 20, grace_days: 5 } }`)].join('\n');
  const dir = writeTree({
    'publishers.yaml': 'publishers:\n  - { id: test, name: Test publisher, time_zone: UTC }\n',
    'series/load.yaml': `${yaml}\n`,
  });
  const periods = periodRange(`${fromYear}-01`, `${toYear}-12`, 'monthly');
  const rows = ['series_id,period,value'];
  ids.forEach((id, i) => periods.forEach((p, k) => rows.push(`${id},${p},${(100 + ((i * 7 + k * 13) % 97) / 10).toFixed(1)}`)));
  const csv = join(dir, 'values.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  return { catalogue: dir, csv, series, values: series * periods.length };
}
