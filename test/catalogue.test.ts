import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { flips, series } from '../db/schema.js';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../src/catalogue/load.js';
import { prepareStore } from '../src/app/prepare.js';
import { catalogueProblems, tempDir, writeTree } from './helpers.js';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');
const read = (p: string) => readFileSync(join(MINI, p), 'utf8');

function problemsOf(files: Record<string, string>): string[] {
  const dir = writeTree({
    'publishers.yaml': read('publishers.yaml'),
    'series/youth.yaml': read('series/youth.yaml'),
    'values/youth.csv': read('values/youth.csv'),
    ...files,
  });
  return catalogueProblems(dir);
}

describe('the catalogue', () => {
  it('loads a valid catalogue with its values and events', () => {
    const c = loadCatalogue(MINI);
    expect(c.series.map((s) => [s.id, s.values.length, s.events.length])).toEqual([['test.youth', 4, 1]]);
    expect(c.series[0]!.release).toMatchObject({ lagDays: 17, time: '10:00', timeZone: 'Asia/Shanghai', graceDays: 3 });
  });

  it('names the file and line of a value of the wrong type', () => {
    expect(problemsOf({ 'series/youth.yaml': read('series/youth.yaml').replace('lag_days: 17', 'lag_days: "17 days"') }))
      .toEqual(['series/youth.yaml:11: series.0.release.lag_days: Invalid input: expected number, received string']);
  });

  it('refuses an unknown publisher, a malformed period and an event without a citation, all at once', () => {
    const yaml = read('series/youth.yaml')
      .replace('publisher: nbs', 'publisher: nsb')
      .replace('grid_from: 2023-03', 'grid_from: 2023-13');
    const withoutCitation = yaml.replace(/        citations:[\s\S]*$/, '        citations: []\n');
    const problems = problemsOf({ 'series/youth.yaml': withoutCitation });
    expect(problems).toEqual(['series/youth.yaml:23: series.0.events.0.citations: an event needs at least one citation']);
    const other = problemsOf({ 'series/youth.yaml': yaml });
    expect(other).toEqual([
      'series/youth.yaml:3: series test.youth: unknown publisher "nsb" (not in publishers.yaml)',
      'series/youth.yaml:8: series test.youth: "2023-13" is not a valid monthly period',
    ]);
  });

  it('takes record_from: first_read only for a series with a source block, which its first live read starts', () => {
    const yaml = read('series/youth.yaml').replace('grid_from: 2023-03', 'grid_from: 2023-03\n    record_from: first_read');
    expect(problemsOf({ 'series/youth.yaml': yaml }))
      .toEqual(['series/youth.yaml:9: series test.youth: record_from: first_read needs a source block (the record starts with its first live read)']);
    const withSource = yaml.replace('    record_from: first_read', '    record_from: first_read\n    source: { kind: fred, series_id: TEST }');
    const dir = writeTree({ 'publishers.yaml': read('publishers.yaml'), 'series/youth.yaml': withSource, 'values/youth.csv': read('values/youth.csv') });
    expect(loadCatalogue(dir).series[0]!.recordFrom).toBe('first_read');
  });

  it('reports broken YAML with its line', () => {
    const problems = problemsOf({ 'series/youth.yaml': read('series/youth.yaml').replace('    unit: percent', '    unit: [percent') });
    expect(problems[0]).toMatch(/^series\/youth\.yaml:\d+: YAML: /);
  });

  it('names the CSV line of a value that is not a number, a duplicate period or a wrong unit', () => {
    const csv = read('values/youth.csv')
      .replace('2023-04,20.4,percent', '2023-04,twenty,percent')
      .replace('2023-05,20.8,percent', '2023-03,20.8,percent')
      .replace('2023-06,21.3,percent', '2023-06,21.3,per cent');
    expect(problemsOf({ 'values/youth.csv': csv })).toEqual([
      'values/youth.csv:3: value "twenty" is not a number',
      'values/youth.csv:4: duplicate value for test.youth 2023-03',
      'values/youth.csv:5: unit "per cent" differs from the series unit "percent"',
    ]);
  });

  it('says at start, a month ahead, that a holiday file runs out', () => {
    const holidays = `id: cn-exchanges\ntitle: t\ncitations:\n  n: { url: https://example.org/n, title: n, publisher: p }\ndates:\n  - { date: 2024-02-09, name: h, citation: n }\n`;
    const daily = `series:\n  - id: test.daily\n    publisher: nbs\n    title: Daily (test)\n    unit: CNY\n    frequency: daily\n    grid_from: 2024-02-01\n    release: { lag_days: 1, grace_days: 3, business_days: cn-exchanges }\n`;
    const dir = writeTree({ 'publishers.yaml': read('publishers.yaml'), 'series/daily.yaml': daily, 'holidays/cn-exchanges.yaml': holidays });
    const { db, warnings } = prepareStore({ LACUNA_DB: join(tempDir(), 'h.sqlite'), LACUNA_CATALOGUE: dir }, Date.parse('2024-12-10T00:00:00Z'));
    db.$client.close();
    expect(warnings).toEqual([expect.stringMatching(/^holidays\/cn-exchanges\.yaml lists closures up to 2024-12-31: the days after it of 1 daily series \(test\.daily\)/)]);
  });

  it('refuses to start with a broken catalogue and writes nothing, not even the database file', () => {
    const dir = writeTree({
      'publishers.yaml': read('publishers.yaml'),
      'series/youth.yaml': read('series/youth.yaml').replace('frequency: monthly', 'frequency: monthy'),
      'values/youth.csv': read('values/youth.csv'),
    });
    const file = join(tempDir(), 'lacuna.sqlite');
    expect(() => prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: dir }, Date.parse('2024-01-01T00:00:00Z')))
      .toThrow(/series\/youth\.yaml:6:16: series\.0\.frequency: Invalid option/);
    expect(existsSync(file)).toBe(false);
  });

  it('evaluates at start with the configured alert options: LACUNA_ALERT_ON_LATE=on makes unchecked -> late alert', () => {
    const youth = read('series/youth.yaml');
    const dir = writeTree({
      'publishers.yaml': read('publishers.yaml'),
      'series/youth.yaml': youth.slice(0, youth.indexOf('    events:')),
      'values/youth.csv': read('values/youth.csv'),
    });
    const config = { LACUNA_DB: join(tempDir(), 'lacuna.sqlite'), LACUNA_CATALOGUE: dir };
    prepareStore(config, Date.parse('2023-08-01T00:00:00Z')).db.$client.close();
    // lacuna read the source on 18 August and July was not there: one day past due, within grace.
    const checked = Date.parse('2023-08-18T00:00:00Z');
    const { db } = prepareStore({ ...config, LACUNA_ALERT_ON_LATE: 'on' }, checked);
    db.update(series).set({ checkedAt: checked }).run();
    db.$client.close();
    const again = prepareStore({ ...config, LACUNA_ALERT_ON_LATE: 'on' }, checked + 1);
    const late = again.db.select().from(flips).where(eq(flips.toStatus, 'late')).get()!;
    // At the second start July was due (17 August) and unread: unchecked, not current.
    expect(late).toMatchObject({ fromStatus: 'unchecked', alert: true });
    again.db.$client.close();
  });
});
