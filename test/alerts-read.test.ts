// What the alerts page and the feeds list: every filter applies before the limit, so a page of
// reminders is not emptied by newer status changes, and nothing after `until` shows.
import { describe, expect, it } from 'vitest';
import { flips } from '../db/schema.js';
import { alertMessages } from '../src/read/alerts.js';
import { at, loadedDb } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const HOUR = 3_600_000;

describe('alertMessages', () => {
  const { db } = loadedDb(NOW);
  const flip = (kind: string, when: number) => db.insert(flips).values({
    kind, seriesId: YOUTH, publisherId: 'nbs', alert: true, at: when, fromStatus: 'current', toStatus: 'overdue',
    reason: `${kind} at ${when}`,
  }).returning({ id: flips.id }).get().id;
  const reminder = flip('reminder', NOW - 10 * HOUR);
  const statuses = [1, 2, 3].map((h) => flip('status', NOW - h * HOUR));
  const future = flip('status', NOW + HOUR);

  it('filters by kind before the limit', () => {
    expect(alertMessages(db, { kind: 'reminder' }, 'https://x.test', NOW, 2).map((m) => m.flipId)).toEqual([reminder]);
    expect(alertMessages(db, { kind: 'status' }, 'https://x.test', NOW, 2).map((m) => m.flipId)).toEqual(statuses.slice(0, 2));
  });

  it('leaves out what happened after `until`, before the limit', () => {
    expect(alertMessages(db, { series: YOUTH }, 'https://x.test', NOW, 1).map((m) => m.flipId)).toEqual([statuses[0]]);
    expect(alertMessages(db, {}, 'https://x.test', NOW + HOUR, 1).map((m) => m.flipId)).toEqual([future]);
  });
});
