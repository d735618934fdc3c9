// Promise against delivery, with the real dates of the US September 2025 CPI: promised for
// 2025-10-15 08:30 (New York), moved to 2025-10-24 08:30 during the 2025 lapse in appropriations,
// published then (research US-1; the move was on BLS's CPI page in the Wayback capture of
// 2025-10-12, and hollowc2/ButterflyGuy's calendar dates the first promise 2025-09-11 and the new
// one 2025-10-12). The test's own lag rule (10 days, 08:30) would say 2025-10-10: the promise wins.
import { describe, expect, it } from 'vitest';
import {
  alertsOn, buildGrid, decodeEvaluation, dueAt, detectFlip, encodeEvaluation, evaluateSeries, promisesAt,
  type EventFact, type ObservationFact, type PromiseFact, type ReleaseRule, type SeriesFacts,
} from '../../src/core/index.js';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
const LABEL = 'US consumer price index (CPI-U)';
const CALENDAR = 'BLS release calendar: Consumer Price Index';

const RULE: ReleaseRule = { lagDays: 10, time: '08:30', timeZone: 'America/New_York', graceDays: 7, janFebCombined: false, calendar: {} };

const FIRST: PromiseFact = { period: '2025-09', dueAt: at('2025-10-15T12:30:00Z'), seenAt: at('2025-09-11T12:00:00Z'), state: 'scheduled', source: CALENDAR };
const MOVED: PromiseFact = { period: '2025-09', dueAt: at('2025-10-24T12:30:00Z'), seenAt: at('2025-10-12T09:00:00Z'), state: 'scheduled', source: CALENDAR };
const DELAY: EventFact = {
  id: 'cal-delay-2025-09', kind: 'delayed', date: '2025-10-12', from: '2025-09', to: '2025-09',
  title: 'September 2025 release moved from 2025-10-15 08:30 to 2025-10-24 08:30 (BLS release calendar)',
};
// August as FRED-derived data carry it (jonsflow/risk-model data/fred/CPIAUCSL.csv), known at the
// test rule's due date, as bundled history is.
const AUGUST: ObservationFact = {
  period: '2025-08', value: 323.291, valueText: '323.291', firstSeenAt: null, knownAt: dueAt('2025-08', 'monthly', RULE), revised: false, withdrawn: false,
};
const SEPTEMBER: ObservationFact = {
  period: '2025-09', value: 324.245, valueText: '324.245', firstSeenAt: at('2025-10-24T12:40:00Z'), knownAt: at('2025-10-24T12:40:00Z'), revised: false, withdrawn: false,
};

function cpi(now: number, over: Partial<SeriesFacts> = {}): SeriesFacts {
  return {
    frequency: 'monthly', release: RULE, gridFrom: '2025-08', recordFrom: '2025-08', checkedAt: now, paused: false,
    observations: [AUGUST], events: [], promises: [FIRST], ...over,
  };
}

const september = (facts: SeriesFacts, now: number) => buildGrid(facts, now).find((c) => c.period === '2025-09')!;

describe("a publisher's promise as the period's due date", () => {
  it('takes the promised date over the lag rule', () => {
    const now = at('2025-10-01T00:00:00Z');
    expect(september(cpi(now), now)).toMatchObject({ state: 'not_due', dueAt: FIRST.dueAt, graceEndsAt: FIRST.dueAt! + 7 * DAY });
    expect(september(cpi(now, { promises: [] }), now).dueAt).toBe(at('2025-10-10T12:30:00Z'));
  });

  it('is late against the promise once the promised date passed without the release, and says so', () => {
    const now = at('2025-10-16T12:00:00Z');
    const ev = evaluateSeries(cpi(now), now, LABEL);
    expect(september(cpi(now), now).state).toBe('late');
    expect(ev.status).toBe('late');
    expect(ev.reason).toBe(`${LABEL}: September 2025 promised for 2025-10-15 08:30 (${CALENDAR}), not yet published (within grace)`);
    expect(ev.brokenPromise).toEqual({ period: '2025-09', dueAt: FIRST.dueAt, source: CALENDAR });
  });

  it('is missing once the grace after the promised date ends, the promise still named', () => {
    const now = at('2025-10-23T12:00:00Z');
    const ev = evaluateSeries(cpi(now), now, LABEL);
    expect(ev.status).toBe('overdue');
    expect(ev.reason).toBe(`${LABEL}: September 2025 promised for 2025-10-15 08:30 (${CALENDAR}), not published`);
    expect(ev.daysOverdue).toBe(7);
  });

  it('counts a version only from when lacuna first saw it (as of 2025-09-10 there was no promise yet)', () => {
    const now = at('2025-09-10T18:00:00Z');
    expect(promisesAt([FIRST], now).size).toBe(0);
    expect(september(cpi(now), now).dueAt).toBe(at('2025-10-10T12:30:00Z'));
    // ... and the evaluation says when the promise it has not seen yet will change it.
    expect(evaluateSeries(cpi(now), now).stableUntil).toBeLessThanOrEqual(FIRST.seenAt);
  });
});

describe('the promise a reason names', () => {
  it('is the late period\'s own, not the earlier missing one\'s (a run of a missing September and a late October)', () => {
    // October's date is the test's own, not BLS's (the October 2025 CPI was cancelled).
    const october: PromiseFact = { period: '2025-10', dueAt: at('2025-11-13T13:30:00Z'), seenAt: FIRST.seenAt, state: 'scheduled', source: CALENDAR };
    const now = at('2025-11-14T12:00:00Z');
    const ev = evaluateSeries(cpi(now, { promises: [FIRST, october] }), now, LABEL);
    expect([ev.status, ev.darkSince?.period]).toEqual(['late', '2025-09']);
    expect(ev.reason).toBe(`${LABEL}: October 2025 promised for 2025-11-13 08:30 (${CALENDAR}), not yet published (within grace)`);
    expect(ev.brokenPromise).toEqual({ period: '2025-10', dueAt: october.dueAt, source: CALENDAR });
  });
});

describe('a promise moved later', () => {
  const moved = (now: number, over: Partial<SeriesFacts> = {}) => cpi(now, { promises: [FIRST, MOVED], events: [DELAY], ...over });

  it('keeps the first promise as the due date and holds the period late, with the delay, until the new date and its grace', () => {
    const now = at('2025-10-16T12:00:00Z');
    expect(september(moved(now), now)).toMatchObject({
      state: 'late', dueAt: FIRST.dueAt, graceEndsAt: MOVED.dueAt! + 7 * DAY, eventId: DELAY.id,
    });
  });

  it('is disclosed on the new date, not backfilled: delivered within the moved promise', () => {
    const now = at('2025-10-25T00:00:00Z');
    const cell = september(moved(now, { observations: [AUGUST, SEPTEMBER] }), now);
    expect(cell).toMatchObject({ state: 'disclosed', marks: { break: false, revised: false, backfilled: false } });
  });

  it('is missing once the moved promise is broken too', () => {
    const now = at('2025-11-01T00:00:00Z');
    const ev = evaluateSeries(moved(now), now, LABEL);
    expect(september(moved(now), now)).toMatchObject({ state: 'missing', eventId: DELAY.id });
    expect(ev.reason).toBe(`${LABEL}: September 2025 promised for 2025-10-24 08:30 (${CALENDAR}), not published; ${DELAY.title} (2025-10-12)`);
  });

  it('was not due yet, as known on 2025-10-11 (before the move), at the first date', () => {
    const now = at('2025-10-11T12:00:00Z');
    expect(september(moved(now, { events: [] }), now)).toMatchObject({ state: 'not_due', dueAt: FIRST.dueAt, graceEndsAt: FIRST.dueAt! + 7 * DAY });
  });

  it('is due at the earlier date when the publisher moves it earlier', () => {
    const earlier: PromiseFact = { ...MOVED, dueAt: at('2025-10-14T12:30:00Z') };
    const now = at('2025-10-14T18:00:00Z');
    expect(september(cpi(now, { promises: [FIRST, earlier] }), now)).toMatchObject({ state: 'late', dueAt: earlier.dueAt });
  });

  it('keeps its last date when the latest version names none (the entry removed from the calendar)', () => {
    const removed: PromiseFact = { ...MOVED, dueAt: null, state: 'removed' };
    const now = at('2025-10-16T12:00:00Z');
    expect(september(cpi(now, { promises: [FIRST, removed] }), now)).toMatchObject({ state: 'late', dueAt: FIRST.dueAt });
  });
});

describe('a broken promise alerts', () => {
  it('current -> late alerts when the late period was promised, even with alerts on late off', () => {
    const before = at('2025-10-14T12:00:00Z');
    const after = at('2025-10-16T12:00:00Z');
    const flip = detectFlip(evaluateSeries(cpi(before), before, LABEL).status, evaluateSeries(cpi(after), after, LABEL))!;
    expect(flip).toMatchObject({ from: 'current', to: 'late', brokenPromise: true });
    expect(alertsOn(flip.from, flip.to, { alertOnLate: false }, flip.brokenPromise)).toBe(true);
    expect(alertsOn('current', 'late', { alertOnLate: false }, false)).toBe(false);
  });

  it('keeps the broken promise in the stored evaluation', () => {
    const now = at('2025-10-16T12:00:00Z');
    const ev = evaluateSeries(cpi(now), now, LABEL);
    expect(ev.brokenPromise?.source).toBe(CALENDAR);
    expect(decodeEvaluation(encodeEvaluation(ev, 'monthly'), now)!.brokenPromise).toEqual(ev.brokenPromise);
  });
});
