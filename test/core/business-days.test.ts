// Business days of daily series: weekends and the publisher's cited holidays have no figure of
// their own, and a figure due on a closed day is due the next open one. Tables of real dates from
// the holiday files (catalogue/holidays), each of which cites the notice that gives it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { dueAt, evaluateSeries, isClosedDay, isExpected, outsideHolidayFile, type BusinessDays, type ReleaseRule, type SeriesFacts } from '../../src/core/index.js';

const holidays = (id: string): BusinessDays => {
  const doc = parse(readFileSync(join(import.meta.dirname, '..', '..', 'catalogue', 'holidays', `${id}.yaml`), 'utf8')) as { dates: { date: string }[] };
  return { calendar: id, holidays: doc.dates.map((d) => d.date) };
};
const US_FED = holidays('us-fed');
const CN_EXCHANGES = holidays('cn-exchanges');
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const rule = (b: BusinessDays | null, over: Partial<ReleaseRule> = {}): ReleaseRule =>
  ({ lagDays: 1, time: '00:00', timeZone: 'UTC', graceDays: 3, janFebCombined: false, calendar: {}, businessDays: b, ...over });

describe('a daily series on business days', () => {
  it.each([
    // the day, expected?, why (the holiday file's source)
    ['2024-01-01', false, 'New Year\'s Day (K.8); FRED lists it with "." in the recorded RIFSPPAAAD30NB answer'],
    ['2024-01-15', false, 'Birthday of Martin Luther King, Jr. (K.8); "." in the same answer'],
    ['2024-01-02', true, 'a Tuesday'],
    ['2024-01-06', false, 'a Saturday'],
    ['2024-01-07', false, 'a Sunday'],
    ['2023-01-02', false, 'New Year\'s Day fell on a Sunday; the Reserve is closed the Monday after (K.8)'],
    ['2025-06-19', false, 'Juneteenth National Independence Day 2025'],
  ] as const)('under the Federal Reserve\'s holidays, %s is expected: %s (%s)', (d, expected, _why) => {
    expect(isExpected(d, 'daily', rule(US_FED))).toBe(expected);
  });

  it.each([
    ['2024-02-09', false, 'the eve of the Spring Festival: the exchanges closed (SSE notice of 2023-12-26), though the State Council made it no holiday'],
    ['2024-02-18', false, 'a make-up working Sunday: the exchanges stay closed ("为周末休市")'],
    ['2024-02-19', true, 'the exchanges open again'],
    ['2026-10-01', false, 'National Day 2026 (exchanges\' notice of 2025-12-22)'],
    ['2026-10-07', false, 'the last day of the 2026 National Day closure'],
    ['2026-10-08', true, 'the exchanges open again'],
    ['2026-10-10', false, 'a make-up working Saturday'],
    ['2023-09-29', false, 'Mid-Autumn Festival and National Day 2023 (SSE notice of 2022-12-27)'],
  ] as const)('under the Shanghai and Shenzhen exchanges\' closures, %s is expected: %s (%s)', (d, expected, _why) => {
    expect(isExpected(d, 'daily', rule(CN_EXCHANGES))).toBe(expected);
  });

  it('expects every day, weekends included, of a daily series without business days', () => {
    for (const d of ['2024-01-01', '2024-01-06', '2026-10-01']) expect(isExpected(d, 'daily', rule(null))).toBe(true);
  });

  it('applies only to daily series: a monthly January stays expected', () => {
    expect(isExpected('2024-01', 'monthly', rule(US_FED))).toBe(true);
  });

  it.each([
    // period, rule, due (UTC)
    ['2024-01-12', rule(US_FED, { time: '08:30', timeZone: 'America/New_York' }), '2024-01-16T13:30:00Z',
      'Friday 12 January 2024, one day later: Saturday, Sunday and MLK Day are closed, so Tuesday'],
    ['2024-01-10', rule(US_FED, { time: '08:30', timeZone: 'America/New_York' }), '2024-01-11T13:30:00Z', 'a Wednesday: the Thursday'],
    ['2026-09-30', rule(CN_EXCHANGES, { time: '09:00', timeZone: 'Asia/Shanghai' }), '2026-10-08T01:00:00Z',
      'Wednesday 30 September 2026: the exchanges close 1 to 7 October, so Thursday 8 October'],
    ['2024-01-12', rule(null, { time: '08:30', timeZone: 'America/New_York' }), '2024-01-13T13:30:00Z', 'without business days: the Saturday'],
  ] as const)('makes %s due the next open day (%s)', (period, r, due, _why) => {
    expect(new Date(dueAt(period, 'daily', r)).toISOString()).toBe(new Date(due).toISOString());
  });

  it('calls a day closed by its weekday or by the file, never by anything else', () => {
    expect(isClosedDay(day('2024-01-01'), US_FED)).toBe(true);
    expect(isClosedDay(day('2024-01-01'), CN_EXCHANGES)).toBe(true);
    expect(isClosedDay(day('2024-01-15'), CN_EXCHANGES)).toBe(false);
  });
});

describe('the exchanges\' closures against the Shenzhen exchange\'s own calendar', () => {
  // SZSE's recorded calendar answer for August 2026 (test/fixtures/recorded/calendars): jybz "1"
  // on trading days, "0" on closed ones.
  const calendar = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'recorded', 'calendars', 'szse-trading-calendar-2026-08.json'), 'utf8')) as { data: { jybz: string; jyrq: string }[] };
  it('agrees on every day of August 2026', () => {
    expect(calendar.data).toHaveLength(31);
    for (const d of calendar.data) expect(isExpected(d.jyrq, 'daily', rule(CN_EXCHANGES)), d.jyrq).toBe(d.jybz === '1');
  });
});

describe('days beyond the years a holiday file lists', () => {
  // The exchanges' file lists 2023 to 2026: 1 January 2027 is a closure nobody has listed yet.
  const covered = { ...CN_EXCHANGES, covers: { from: '2023-01-01', to: '2026-12-31' } };
  const facts = (b: BusinessDays): SeriesFacts => ({
    frequency: 'daily', release: rule(b, { time: '23:59', timeZone: 'Asia/Shanghai', graceDays: 1 }), gridFrom: '2026-12-28', recordFrom: '2026-12-28',
    checkedAt: day('2027-01-20'), paused: false, events: [],
    observations: ['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31'].map((p) => ({ period: p, value: 1, valueText: '1', obsStatus: null, firstSeenAt: day(p), knownAt: day(p), revised: false, withdrawn: false })),
  });
  const states = (b: BusinessDays) => evaluateSeries(facts(b), day('2027-01-20')).grid.filter((c) => c.period >= '2027-01-01' && c.period <= '2027-01-05').map((c) => [c.period, c.state]);

  it('are not judged: a weekday with no figure is unknown, never missing, until the file lists that year', () => {
    expect(states(covered)).toEqual([['2027-01-01', 'unknown'], ['2027-01-02', 'not_expected'], ['2027-01-03', 'not_expected'], ['2027-01-04', 'unknown'], ['2027-01-05', 'unknown']]);
    // Without the file's years (a rule stored before they were recorded) the same days were missing: the false alarm.
    expect(states(CN_EXCHANGES)).toEqual([['2027-01-01', 'missing'], ['2027-01-02', 'not_expected'], ['2027-01-03', 'not_expected'], ['2027-01-04', 'missing'], ['2027-01-05', 'missing']]);
  });

  it('apply to daily series only, and to days before the file\'s first year too', () => {
    expect(outsideHolidayFile('2027-01-04', 'daily', rule(covered))).toBe(true);
    expect(outsideHolidayFile('2022-12-30', 'daily', rule(covered))).toBe(true);
    expect(outsideHolidayFile('2026-12-31', 'daily', rule(covered))).toBe(false);
    expect(outsideHolidayFile('2027-01', 'monthly', rule(covered))).toBe(false);
  });
});
