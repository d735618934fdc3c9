// Every date the catalogue holds is a real calendar date: an impossible one is reported by
// `lacuna validate` and at start with its file, line and reason, and nothing is written.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogueError, loadCatalogue } from '../src/catalogue/load.js';
import { prepareStore } from '../src/app/prepare.js';
import { lacuna, tempDir, writeTree, CALENDAR } from './helpers.js';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');
const read = (p: string) => readFileSync(join(MINI, p), 'utf8');
const YOUTH = read('series/youth.yaml');


/** A daily series whose bundled record is complete through a date (checked_through). */
const DAILY = `series:
  - id: test.daily
    publisher: nbs
    title: A daily test series
    unit: percent
    frequency: daily
    grid_from: 2023-01-01
    checked_through: 2023-02-28
    release: { lag_days: 1 }
`;

function catalogue(files: Record<string, string>): string {
  return writeTree({
    'publishers.yaml': read('publishers.yaml'),
    'series/youth.yaml': YOUTH,
    'values/youth.csv': read('values/youth.csv'),
    'calendar.yaml': CALENDAR,
    ...files,
  });
}

/** `lacuna validate` on a catalogue: its exit code and the problems it printed. */
async function validate(files: Record<string, string>) {
  const r = await lacuna(['validate'], { LACUNA_CATALOGUE: catalogue(files), LACUNA_DB: join(tempDir(), 'lacuna.sqlite') });
  return { code: r.code, problems: r.stderr.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim()) };
}

describe('dates in the catalogue', () => {
  it('accepts the test catalogue with a calendar and a daily series, so each case below fails for its one date', async () => {
    const r = await lacuna(['validate'], { LACUNA_CATALOGUE: catalogue({ 'series/daily.yaml': DAILY }), LACUNA_DB: join(tempDir(), 'x.sqlite') });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^catalogue OK: 1 publishers, 2 series, 4 values, 1 events/);
  });

  it('refuses an event dated 2023-13-45, naming the file and the line', async () => {
    const r = await validate({ 'series/youth.yaml': YOUTH.replace('date: 2023-08-15\n        periods', 'date: 2023-13-45\n        periods') });
    expect(r.code).toBe(1);
    expect(r.problems).toEqual(['series/youth.yaml:18:15: series.0.events.0.date: no such date: 2023-13-45']);
  });

  it("refuses 29 February in a year that has none in an event's citation", async () => {
    const r = await validate({ 'series/youth.yaml': YOUTH.replace('            date: 2023-08-15', '            date: 2023-02-29') });
    expect(r.problems).toEqual(['series/youth.yaml:27:19: series.0.events.0.citations.0.date: no such date: 2023-02-29']);
  });

  it('refuses a release calendar date that does not exist, and one whose time does not', async () => {
    const yaml = YOUTH.replace('      grace_days: 3\n', '      grace_days: 3\n      calendar:\n        "2023-04": "2023-04-31"\n        "2023-05": "2023-06-15T24:00"\n        "2023-06": "2023-07-17T10:00"\n');
    const r = await validate({ 'series/youth.yaml': yaml });
    expect(r.problems).toEqual([
      'series/youth.yaml:15:20: series test.youth: release.calendar 2023-04: no such date: 2023-04-31',
      'series/youth.yaml:16:20: series test.youth: release.calendar 2023-05: no such time of day: 24:00',
    ]);
  });

  it("refuses impossible dates in calendar.yaml's from and to and in its citations, each with its line", async () => {
    const cal = CALENDAR.replace('from: 2024-07-15', 'from: 2024-02-30').replace('to: 2024-07-18', 'to: 2024-00-18')
      .replace('        date: 2024-07-18', '        date: 2024-07-32');
    const r = await validate({ 'calendar.yaml': cal });
    expect(r.problems).toEqual([
      'calendar.yaml:5:11: calendar.0.from: no such date: 2024-02-30',
      'calendar.yaml:6:9: calendar.0.to: no such date: 2024-00-18',
      'calendar.yaml:11:15: calendar.0.citations.0.date: no such date: 2024-07-32',
    ]);
  });

  it("refuses a daily series' checked_through that is not a date", async () => {
    const r = await validate({ 'series/daily.yaml': DAILY.replace('checked_through: 2023-02-28', 'checked_through: 2023-02-29') });
    expect(r.problems).toEqual(['series/daily.yaml:8:22: series test.daily: "2023-02-29" is not a valid daily period']);
  });

  it('refuses to start on an impossible date with its file and line, and writes nothing', () => {
    const dir = catalogue({ 'calendar.yaml': CALENDAR.replace('to: 2024-07-18', 'to: 2023-13-45') });
    const file = join(tempDir(), 'lacuna.sqlite');
    let error: unknown;
    try {
      prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: dir }, Date.parse('2024-08-01T00:00:00Z'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CatalogueError);
    expect((error as CatalogueError).message).toContain('calendar.yaml:6:9: calendar.0.to: no such date: 2023-13-45');
    expect(existsSync(file)).toBe(false);
  });

  it('loads a valid release calendar with its times', () => {
    const yaml = YOUTH.replace('      grace_days: 3\n', '      grace_days: 3\n      calendar:\n        "2023-06": "2023-07-17T10:00"\n');
    const c = loadCatalogue(catalogue({ 'series/youth.yaml': yaml }));
    expect(c.series[0]!.release.calendar).toEqual({ '2023-06': '2023-07-17T10:00' });
    expect(c.calendar.map((e) => [e.id, e.from, e.to])).toEqual([['test-plenum', '2024-07-15', '2024-07-18']]);
  });
});
