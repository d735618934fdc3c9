// A period the publisher announced it will never publish: the US consumer price index for October
// 2025. BLS's notice of 2025-11-21 (research US-1) said there would be no October 2025 CPI; FRED's
// CPIAUCSL holds "." for 2025-10. September's figure (324.245) came on 2025-10-24 and November's
// (325.063) on 2025-12-18 (values as FRED-derived files carry them, research US-1 and section 4).
// The release rule below is the test's own (15 days after the month, 08:30 New York time, 7 days
// of grace), not BLS's calendar: these tests are about the state, not the date.
import { describe, expect, it } from 'vitest';
import {
  alertsOn, buildGrid, decodeEvaluation, detectFlip, encodeEvaluation, evaluateSeries, nextPollAt, sdmxObsStatus,
  sdmxObsStatusFrom, STATE_CODES, type EventFact, type ObservationFact, type PeriodCell, type ReleaseRule, type SeriesFacts,
} from '../../src/core/index.js';
import { disclosureIndex } from '../../src/core/disclosure.js';
import { badgeStory } from '../../src/core/badge-story.js';

const at = (iso: string) => Date.parse(iso);
const LABEL = 'US consumer price index (CPI-U)';

const RULE: ReleaseRule = { lagDays: 15, time: '08:30', timeZone: 'America/New_York', graceDays: 7, janFebCombined: false, calendar: {} };

const value = (period: string, v: string, knownAt: number): ObservationFact => ({
  period, value: Number(v), valueText: v, firstSeenAt: knownAt, knownAt, revised: false, withdrawn: false,
});

const SEPTEMBER = value('2025-09', '324.245', at('2025-10-24T12:30:00Z'));
const NOVEMBER = value('2025-11', '325.063', at('2025-12-18T13:30:00Z'));

const CANCELLED: EventFact = {
  id: 'us-bls-cpi-2025-10-cancelled', kind: 'cancelled', date: '2025-11-21', from: '2025-10', to: '2025-10',
  title: 'BLS: no October 2025 CPI will be published (lapse in appropriations)',
};

function cpi(now: number, over: Partial<SeriesFacts> = {}): SeriesFacts {
  return {
    frequency: 'monthly', release: RULE, gridFrom: '2025-09', recordFrom: '2025-09', checkedAt: now, paused: false,
    observations: [SEPTEMBER, NOVEMBER], events: [CANCELLED], ...over,
  };
}

const cellOf = (grid: PeriodCell[], period: string) => grid.find((c) => c.period === period)!;

describe('a period the publisher announced it will never publish', () => {
  it('is cancelled from the day of the notice, not missing', () => {
    const now = at('2025-11-25T12:00:00Z');
    expect(cellOf(buildGrid(cpi(now), now), '2025-10')).toMatchObject({ state: 'cancelled', eventId: CANCELLED.id });
  });

  it('is missing before the notice is known (the as-of view of 2025-11-20), and cancelled after', () => {
    const before = at('2025-11-20T12:00:00Z');
    expect(cellOf(buildGrid(cpi(before), before), '2025-10').state).toBe('late');
    const later = at('2025-12-01T12:00:00Z');
    expect(cellOf(buildGrid(cpi(later, { events: [] }), later), '2025-10').state).toBe('missing');
    expect(cellOf(buildGrid(cpi(later), later), '2025-10').state).toBe('cancelled');
  });

  it('is settled the day it is announced, even before its due date', () => {
    const early: EventFact = { ...CANCELLED, date: '2025-11-05' };
    const now = at('2025-11-06T12:00:00Z');
    expect(cellOf(buildGrid(cpi(now, { events: [early] }), now), '2025-10')).toMatchObject({ state: 'cancelled' });
  });

  it('covers exactly the periods announced: September and November keep their values', () => {
    const now = at('2026-01-10T12:00:00Z');
    const grid = buildGrid(cpi(now), now);
    expect(grid.slice(0, 3).map((c) => [c.period, c.state])).toEqual([['2025-09', 'disclosed'], ['2025-10', 'cancelled'], ['2025-11', 'disclosed']]);
  });

  it('makes the series suspended for that period, with no days overdue and the notice in the reason', () => {
    const now = at('2025-11-25T12:00:00Z');
    const ev = evaluateSeries(cpi(now), now, LABEL);
    expect(ev.status).toBe('suspended');
    expect(ev.daysOverdue).toBeNull();
    expect(ev.darkSince?.period).toBe('2025-10');
    expect(ev.reason).toBe(`${LABEL}: October 2025 cancelled by the publisher; ${CANCELLED.title} (2025-11-21)`);
    // The stored copy says the same: nothing is owed, so no days overdue when read later either.
    const stored = decodeEvaluation(encodeEvaluation(ev, 'monthly'), at('2025-12-01T00:00:00Z'))!;
    expect(stored.daysOverdue).toBeNull();
  });

  it('still counts days overdue from an earlier period that is merely missing', () => {
    const now = at('2025-11-25T12:00:00Z');
    const ev = evaluateSeries(cpi(now, { observations: [] }), now, LABEL);
    expect(ev.status).toBe('suspended');
    expect(ev.darkSince?.period).toBe('2025-09');
    expect(ev.daysOverdue).toBe(Math.floor((now - ev.darkSince!.dueAt) / 86_400_000));
  });

  it('alerts when it is announced (current -> suspended) and says "resumed" when November comes', () => {
    const notice = at('2025-11-22T12:00:00Z');
    const before = evaluateSeries(cpi(at('2025-11-12T12:00:00Z')), at('2025-11-12T12:00:00Z'), LABEL);
    expect(before.status).toBe('current');
    const flip = detectFlip(before.status, evaluateSeries(cpi(notice), notice, LABEL))!;
    expect([flip.from, flip.to, alertsOn(flip.from, flip.to)]).toEqual(['current', 'suspended', true]);
    const back = at('2025-12-19T00:00:00Z');
    const comeback = detectFlip('suspended', evaluateSeries(cpi(back), back, LABEL))!;
    expect(comeback).toMatchObject({ from: 'suspended', to: 'current', resumed: true });
  });

  it('is stored under its own letter and read back as cancelled', () => {
    const now = at('2025-11-25T12:00:00Z');
    const ev = evaluateSeries(cpi(now), now, LABEL);
    const text = encodeEvaluation(ev, 'monthly');
    expect((JSON.parse(text) as { states: string }).states[1]).toBe(STATE_CODES.cancelled);
    expect(Object.values(STATE_CODES).filter((c) => c === STATE_CODES.cancelled)).toHaveLength(1);
    expect(decodeEvaluation(text, now)!.grid[1]!.state).toBe('cancelled');
  });

  it("exports SDMX's M (cannot exist), as lacuna's code", () => {
    const now = at('2025-11-25T12:00:00Z');
    const oct = cellOf(buildGrid(cpi(now), now), '2025-10');
    expect([sdmxObsStatus(oct), sdmxObsStatusFrom(oct)]).toEqual(['M', 'lacuna']);
  });

  it('counts as due and not on schedule in the disclosure index', () => {
    const now = at('2025-12-01T12:00:00Z');
    const grid = buildGrid(cpi(now), now);
    expect(cellOf(grid, '2025-10').state).toBe('cancelled');
    const [m] = disclosureIndex([{ publisherId: 'bls', grid, timeZone: 'America/New_York' }], '2025-11', '2025-11');
    expect(m!.overall).toEqual({ due: 1, onSchedule: 0, share: 0 });
  });

  it('is not what the fetch schedule waits for: it polls for November, not October', () => {
    // Cancelled on 2025-11-05, before its due date (2025-11-15 08:30 New York time): on 2025-11-16
    // October would be within its grace, read hourly; nothing is owed for it, so November decides.
    const now = at('2025-11-16T12:00:00Z');
    const ev = evaluateSeries(cpi(now, { events: [{ ...CANCELLED, date: '2025-11-05' }] }), now, LABEL);
    expect(ev.grid[1]!.state).toBe('cancelled');
    // November is due 2025-12-15 08:30 New York time: daily reads until a day before.
    expect(nextPollAt(ev, 'monthly', RULE, now)).toBe(now + 86_400_000);
  });

  it('tells its story on the badge: cancelled, then resumed', () => {
    const now = at('2026-01-10T12:00:00Z');
    const ev = evaluateSeries(cpi(now), now, LABEL);
    const story = badgeStory({ id: 'cpi', frequency: 'monthly', status: ev.status, grid: ev.grid, eventKinds: { [CANCELLED.id]: 'cancelled' } });
    expect(story.message).toBe('current · cancelled Oct 2025 · resumed Nov 2025');
  });
});
