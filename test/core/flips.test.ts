import { describe, expect, it } from 'vitest';
import {
  detectFlip, dueAt, evaluateSeries, type EventFact, type ObservationFact, type PeriodCell, type PeriodState,
  type ReleaseRule, type SeriesEvaluation, type SeriesFacts, type SeriesStatus,
} from '../../src/core/index.js';

const at = (iso: string) => Date.parse(iso);

/** A hand-made evaluation: a grid of (period, state, break) and a status. */
function evaluation(status: SeriesStatus, cells: [string, PeriodState, boolean?][] = []): SeriesEvaluation {
  const grid: PeriodCell[] = cells.map(([period, state, brk]) => ({
    period, state, dueAt: 0, graceEndsAt: 0, value: state === 'disclosed' ? 1 : null, valueText: null, firstSeenAt: null, obsStatus: null,
    marks: { break: brk ?? false, revised: false, backfilled: false }, eventId: null,
  }));
  return { grid, status, reason: `series: ${status}`, lastDisclosed: null, darkSince: null, daysOverdue: null, nextCheckAt: null, stableUntil: Infinity, uncheckedFrom: null };
}

describe('detectFlip', () => {
  const unchanged: SeriesStatus[] = ['new', 'current', 'late', 'overdue', 'suspended', 'discontinued', 'paused'];

  it.each(unchanged)('records no flip when the status stays %s', (status) => {
    expect(detectFlip(status, evaluation(status))).toBeNull();
  });

  it('treats a series never evaluated before as new', () => {
    expect(detectFlip(null, evaluation('new'))).toBeNull();
    expect(detectFlip(null, evaluation('current', [['2023-06', 'disclosed']]))).toEqual({
      from: 'new', to: 'current', reason: 'series: current', resumed: false, breakAt: null, brokenPromise: false,
    });
    expect(detectFlip(null, evaluation('overdue'))).toMatchObject({ from: 'new', to: 'overdue', resumed: false });
  });

  const flips: [SeriesStatus, SeriesStatus, boolean][] = [
    ['current', 'late', false],
    ['late', 'overdue', false],
    ['current', 'suspended', false],
    ['suspended', 'discontinued', false],
    ['current', 'paused', false],
    ['paused', 'current', false],
    ['new', 'current', false],
    ['overdue', 'current', true],
    ['suspended', 'current', true],
    ['discontinued', 'current', true],
  ];

  it.each(flips)('records a flip from %s to %s, resumed: %s', (from, to, resumed) => {
    const flip = detectFlip(from, evaluation(to, [['2023-06', 'disclosed']]));
    expect(flip).toEqual({ from, to, reason: `series: ${to}`, resumed, breakAt: null, brokenPromise: false });
  });

  it('records current -> late as a flip that is not a resumption', () => {
    const flip = detectFlip('current', evaluation('late', [['2023-06', 'disclosed', true], ['2023-07', 'late']]));
    expect(flip).toMatchObject({ from: 'current', to: 'late', resumed: false, breakAt: null });
  });

  it('gives the break period of a comeback that carries a method break', () => {
    const next = evaluation('current', [
      ['2023-06', 'disclosed'], ['2023-07', 'suspended'], ['2023-11', 'suspended'],
      ['2023-12', 'disclosed', true], ['2024-01', 'disclosed'], ['2024-02', 'not_due'],
    ]);
    expect(detectFlip('suspended', next)).toMatchObject({ resumed: true, breakAt: '2023-12' });
  });

  it('does not report an old break from before the gap as the comeback\'s break', () => {
    const next = evaluation('current', [
      ['2015-01', 'disclosed', true], ['2023-06', 'disclosed'], ['2023-07', 'missing'], ['2023-08', 'disclosed'],
      ['2023-09', 'unknown'],
    ]);
    expect(detectFlip('overdue', next)).toMatchObject({ resumed: true, breakAt: null });
  });

  it('finds the comeback break past unknown and not-due periods at the end of the grid', () => {
    const next = evaluation('current', [
      ['2023-06', 'disclosed'], ['2023-07', 'suspended'], ['2023-12', 'disclosed', true], ['2024-01', 'unknown'], ['2024-02', 'not_due'],
    ]);
    expect(detectFlip('suspended', next)).toMatchObject({ resumed: true, breakAt: '2023-12' });
  });
});

describe('detectFlip on the youth unemployment case', () => {
  const NBS: ReleaseRule = { lagDays: 17, time: '10:00', timeZone: 'Asia/Shanghai', graceDays: 3, janFebCombined: false, calendar: {} };
  const obs = (period: string, value: number): ObservationFact => {
    const known = dueAt(period, 'monthly', NBS);
    return { period, value, valueText: String(value), firstSeenAt: known, knownAt: known, revised: false, withdrawn: false };
  };
  const suspension: EventFact = {
    id: 'suspension', kind: 'suspension_announced', date: '2023-08-15', from: '2023-07', to: '2023-11', title: 'NBS suspends the age-group rates',
  };
  const methodChange: EventFact = {
    id: 'method', kind: 'method_change', date: '2024-01-17', from: '2023-12', to: null, title: 'Students now excluded',
  };
  // A single line that comes back with December 2023 = 14.9 on the new basis.
  const facts = (now: number, events: EventFact[]): SeriesFacts => ({
    frequency: 'monthly', release: NBS, gridFrom: '2023-05', recordFrom: '2023-05', checkedAt: now, paused: false,
    observations: [obs('2023-05', 20.8), obs('2023-06', 21.3), obs('2023-12', 14.9)],
    events,
  });

  it('marks suspended -> current as resumed, with the break at December 2023', () => {
    const during = at('2023-12-20T00:00:00Z');
    const before = evaluateSeries(facts(during, [suspension]), during);
    expect(before.status).toBe('suspended');

    const after = at('2024-01-17T03:00:00Z');
    const next = evaluateSeries(facts(after, [suspension, methodChange]), after);
    expect(next.status).toBe('current');
    expect(detectFlip(before.status, next)).toMatchObject({ from: 'suspended', to: 'current', resumed: true, breakAt: '2023-12' });
  });

  it('marks a comeback without a method change as resumed with no break', () => {
    const after = at('2024-01-17T03:00:00Z');
    const next = evaluateSeries(facts(after, [suspension]), after);
    expect(detectFlip('suspended', next)).toMatchObject({ resumed: true, breakAt: null });
  });

  it('records current -> late for July 2023 before anything was announced, not as a resumption', () => {
    const now = at('2023-08-18T00:00:00Z');
    const next = evaluateSeries(facts(now, []), now, 'Youth unemployment 16-24');
    expect(detectFlip('current', next)).toEqual({
      from: 'current', to: 'late', resumed: false, breakAt: null, brokenPromise: false,
      reason: 'Youth unemployment 16-24: July 2023 due 2023-08-17, not yet published (within grace)',
    });
  });
});
