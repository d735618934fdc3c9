// How a series names its release calendar in the catalogue (`calendar:`), and what is refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { series } from '../db/schema.js';
import { at, loadedDb, writeTree, catalogueProblems } from './helpers.js';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');
const read = (p: string) => readFileSync(join(MINI, p), 'utf8');
const withCalendar = (block: string) => writeTree({
  'publishers.yaml': read('publishers.yaml'),
  'series/youth.yaml': read('series/youth.yaml').replace('    values: values/youth.csv\n', `    values: values/youth.csv\n    calendar: ${block}\n`),
  'values/youth.csv': read('values/youth.csv'),
});


describe("a series' release calendar in the catalogue", () => {
  it('is stored with the series, kind and fields as written', () => {
    const { db } = loadedDb(at('2023-08-01T00:00:00Z'), withCalendar('{ kind: bls_ics, release: Consumer Price Index, time_zone: America/New_York }'));
    expect(JSON.parse(db.select().from(series).where(eq(series.id, 'test.youth')).get()!.calendar!))
      .toEqual({ kind: 'bls_ics', release: 'Consumer Price Index', time_zone: 'America/New_York' });
  });

  it('refuses an unknown kind, a field the kind does not take, a missing release and a zone that is not one, with file and line', () => {
    expect(catalogueProblems(withCalendar('{ kind: fred_release }'))).toEqual([
      'series/youth.yaml:15: series test.youth: calendar.kind: unknown calendar kind "fred_release" (known: bls_ics, govuk_announcement)',
    ]);
    expect(catalogueProblems(withCalendar('{ kind: bls_ics }'))).toEqual(['series/youth.yaml:15: series test.youth: calendar.release: Invalid input: expected string, received undefined']);
    expect(catalogueProblems(withCalendar('{ kind: bls_ics, release: CPI, period: next }'))).toEqual(['series/youth.yaml:15: series test.youth: calendar.period: Invalid option: expected one of "previous"|"same"']);
    expect(catalogueProblems(withCalendar('{ kind: govuk_announcement, paths: ["/government/publications/x"] }'))).toEqual(['series/youth.yaml:15: series test.youth: calendar.paths.0: a path /government/statistics/announcements/<slug>']);
    expect(catalogueProblems(withCalendar('{ kind: bls_ics, release: CPI, time_zone: Eastern }'))).toEqual([expect.stringContaining('not a time zone')]);
  });
});
