// A row with an impossible date stored by an older lacuna (which did not check dates) is skipped
// by every read and named in a warning at start: it never stops start or a page.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../db/client.js';
import { calendarEvents, events } from '../db/schema.js';
import { prepareStore } from '../src/app/prepare.js';
import { appAt, at, lacuna, tempDir, writeTree, CALENDAR } from './helpers.js';
import { readFileSync } from 'node:fs';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');
const read = (p: string) => readFileSync(join(MINI, p), 'utf8');


const NOW = at('2024-08-01T00:00:00Z');

/** A started database, then rows as an older version could have stored them (the catalogue unchanged). */
function withStoredRows(): { file: string; dir: string } {
  const dir = writeTree({
    'publishers.yaml': read('publishers.yaml'), 'series/youth.yaml': read('series/youth.yaml'),
    'values/youth.csv': read('values/youth.csv'), 'calendar.yaml': CALENDAR,
  });
  const file = join(tempDir(), 'lacuna.sqlite');
  prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: dir }, NOW).db.$client.close();
  const db = openDb(file);
  db.insert(calendarEvents).values({
    id: 'test-bad-calendar', kind: 'other', title: 'A calendar entry with an impossible date', fromDate: '2024-02-30', toDate: '2024-13-01', citations: '[]',
  }).run();
  db.insert(events).values({
    id: 'test-bad-event', seriesId: 'test.youth', kind: 'delayed', date: '2023-13-45', periodFrom: '2023-07', title: 'An event with an impossible date',
    evidenceKind: 'inferred', confidence: 'unverified', origin: 'inferred', recordedAt: NOW,
  }).run();
  db.$client.close();
  return { file, dir };
}

describe('stored rows with an impossible date', () => {
  it('start skips them, evaluates every series and names each row in a warning', () => {
    const { file, dir } = withStoredRows();
    const prepared = prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: dir }, NOW + 1);
    expect(prepared.warnings).toEqual([
      'calendar_events row test-bad-calendar: from_date "2024-02-30" is not a date; skipped',
      'calendar_events row test-bad-calendar: to_date "2024-13-01" is not a date; skipped',
      'events row test-bad-event (series test.youth): date "2023-13-45" is not a date; skipped',
    ]);
    expect(prepared.db.$client.prepare("SELECT status FROM series WHERE id = 'test.youth'").pluck().get()).toBe('suspended');
    prepared.db.$client.close();
  });

  it('/calendar, the series page, its API and the events CSV answer without them', async () => {
    const { file, dir } = withStoredRows();
    const { db } = prepareStore({ LACUNA_DB: file, LACUNA_CATALOGUE: dir }, NOW + 1);
    const app = appAt(db, NOW + 1);
    for (const path of ['/calendar', '/series/test.youth', '/api/series/test.youth', '/events.csv', '/gaps', '/badge/series/test.youth.json']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      const body = await res.text();
      expect(body, path).not.toContain('impossible date');
    }
    expect(await (await app.request('/calendar')).text()).toContain('Third Plenary Session of the 20th CPC Central Committee');
    db.$client.close();
  });

  it('a command line run reports them on standard error and carries on', async () => {
    const { file, dir } = withStoredRows();
    const r = await lacuna(['status'], { LACUNA_DB: file, LACUNA_CATALOGUE: dir }, { now: NOW + 1 });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('lacuna: events row test-bad-event (series test.youth): date "2023-13-45" is not a date; skipped');
    expect(r.stdout).toContain('test.youth');
  });
});
