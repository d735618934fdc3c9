// Which status changes alert, as the table in src/core/alert-rules.ts says, and the backtest walk.
import { describe, expect, it } from 'vitest';
import { alertsOn, isResumption, replayStatus, SERIES_STATUSES, type SeriesFacts, type SeriesStatus } from '../../src/core/index.js';

describe('alertsOn', () => {
  const table: [SeriesStatus, SeriesStatus, boolean][] = [
    ['new', 'overdue', false], ['new', 'suspended', false], ['new', 'current', false],
    ['current', 'late', false], ['current', 'overdue', true], ['late', 'overdue', true],
    ['overdue', 'suspended', true], ['current', 'suspended', true], ['suspended', 'discontinued', true],
    ['overdue', 'current', true], ['suspended', 'current', true], ['discontinued', 'current', true],
    ['late', 'current', false], ['current', 'paused', false], ['paused', 'overdue', false],
    // Words that say what lacuna's record holds, not what the publisher did.
    ['current', 'unchecked', false], ['unchecked', 'current', false], ['unchecked', 'overdue', true], ['unchecked', 'suspended', true],
    ['new', 'no_record', false], ['no_record', 'overdue', false], ['no_record', 'current', false],
  ];
  it.each(table)('%s -> %s alerts: %s', (from, to, expected) => {
    expect(alertsOn(from, to)).toBe(expected);
  });

  it('alerts on current -> late only when asked to', () => {
    expect(alertsOn('current', 'late', { alertOnLate: true })).toBe(true);
    expect(alertsOn('unchecked', 'late', { alertOnLate: true })).toBe(true);
    expect(alertsOn('overdue', 'late', { alertOnLate: true })).toBe(false);
  });

  it('never alerts when nothing changed', () => {
    for (const s of SERIES_STATUSES) expect(alertsOn(s, s)).toBe(false);
  });

  it('calls only a comeback from dark a resumption', () => {
    expect(isResumption('overdue', 'current')).toBe(true);
    expect(isResumption('late', 'current')).toBe(false);
  });
});

describe('replayStatus', () => {
  const at = (s: string) => Date.parse(s);
  // Youth unemployment 16-24 (old basis): real values to June 2023 and the NBS notice of 15 August 2023.
  const facts: SeriesFacts = {
    frequency: 'monthly',
    release: { lagDays: 17, time: '10:00', timeZone: 'Asia/Shanghai', graceDays: 3, janFebCombined: true, calendar: {} },
    gridFrom: '2023-03', recordFrom: '2023-03', checkedAt: at('2024-03-01T00:00:00Z'), paused: false,
    observations: [['2023-03', 19.6], ['2023-04', 20.4], ['2023-05', 20.8], ['2023-06', 21.3]].map(([p, v]) => ({
      period: p as string, value: v as number, valueText: String(v), firstSeenAt: 0,
      knownAt: at(`2023-${String(Number((p as string).slice(5)) + 1).padStart(2, '0')}-17T02:00:00Z`), revised: false, withdrawn: false,
    })),
    events: [{ id: 'susp', kind: 'suspension_announced', date: '2023-08-15', from: '2023-07', to: '2023-11', title: 'NBS suspends' }],
  };

  it('finds the day the suspension became known, in the publisher\'s zone', () => {
    const flips = replayStatus(facts, at('2023-06-01T00:00:00Z'), at('2023-12-31T00:00:00Z'), { alertOnLate: false });
    expect(flips.filter((f) => f.alert).map((f) => [new Date(f.at).toISOString(), f.from, f.to])).toEqual([
      ['2023-08-14T16:00:00.000Z', 'current', 'suspended'],
    ]);
  });

  it('without the notice, flags July overdue once its grace has passed', () => {
    const flips = replayStatus({ ...facts, events: [] }, at('2023-06-01T00:00:00Z'), at('2023-09-01T00:00:00Z'), { alertOnLate: false });
    expect(flips.map((f) => [new Date(f.at).toISOString(), f.to, f.alert])).toEqual([
      ['2023-08-17T02:00:00.000Z', 'late', false],
      ['2023-08-20T02:00:00.000Z', 'overdue', true],
    ]);
  });
});
