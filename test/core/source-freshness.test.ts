// A mirror that stops is not a publisher that stops: how far a read vouches for the record, and
// when its source is stale, by role (src/core/source-freshness.ts).
import { describe, expect, it } from 'vitest';
import { dueAt, judgeFreshness, type ReleaseRule } from '../../src/core/index.js';

const at = (iso: string) => Date.parse(iso);
// cn.imf.total_reserves_excl_gold.monthly's rule in the bundled catalogue.
const IMF: ReleaseRule = { lagDays: 60, time: '00:00', timeZone: 'UTC', graceDays: 20, janFebCombined: false, calendar: {} };

describe('judgeFreshness', () => {
  it('lets the publisher\'s own answer vouch for the record up to now, never stale', () => {
    const now = at('2026-11-20T00:00:00Z');
    expect(judgeFreshness({ role: 'official', frequency: 'monthly', release: IMF, now, newest: '2024-11', own: null }))
      .toEqual({ vouchesUntil: now, stale: false, why: null });
  });

  it('calls a mirror stuck at November 2024 stale, and vouches for nothing after its newest month', () => {
    const now = at('2026-11-20T00:00:00Z');
    const j = judgeFreshness({ role: 'mirror', frequency: 'monthly', release: IMF, now, newest: '2024-11', own: null });
    expect(j.stale).toBe(true);
    expect(j.vouchesUntil).toBe(dueAt('2024-12', 'monthly', IMF) - 1);
    expect(j.why).toBe('the mirror holds nothing after November 2024, while December 2024 was due by 2025-03-21');
  });

  it('believes a mirror whose next month is still within its grace, up to that month\'s due date', () => {
    // December 2024 is due 60 days after 31 December, on 1 March 2025; its grace ends on 21 March.
    const j = judgeFreshness({ role: 'mirror', frequency: 'monthly', release: IMF, now: at('2025-03-10T00:00:00Z'), newest: '2024-11', own: null });
    expect(j).toEqual({ vouchesUntil: dueAt('2024-12', 'monthly', IMF) - 1, stale: false, why: null });
    // Up to now, when now comes first.
    const now = at('2025-03-10T00:00:00Z');
    expect(judgeFreshness({ role: 'mirror', frequency: 'monthly', release: IMF, now, newest: '2024-12', own: null }).vouchesUntil).toBe(now);
  });

  it('vouches no later than the date the mirror gives for its own last update (FRED last_updated)', () => {
    // FRED's recorded /fred/series answer: last_updated "2024-06-26 12:04:19-05", observation_end 2024-06-25.
    const updatedAt = at('2024-06-26T17:04:19Z');
    const j = judgeFreshness({
      role: 'mirror', frequency: 'monthly', release: IMF, now: at('2024-06-27T00:00:00Z'), newest: '2024-04', own: { updatedAt, through: null },
    });
    expect([j.vouchesUntil, j.stale]).toEqual([updatedAt, false]);
  });

  it('takes the newer of the figures read and the period the source says it holds', () => {
    const now = at('2025-03-10T00:00:00Z');
    const j = judgeFreshness({ role: 'secondary', frequency: 'monthly', release: IMF, now, newest: '2024-10', own: { updatedAt: null, through: '2024-12' } });
    expect(j.stale).toBe(false);
  });

  it('calls a secondary source that gives no figure at all stale, vouching for nothing', () => {
    const j = judgeFreshness({ role: 'secondary', frequency: 'monthly', release: IMF, now: at('2025-03-10T00:00:00Z'), newest: null, own: null });
    expect(j).toMatchObject({ vouchesUntil: null, stale: true });
  });
});
