import { describe, expect, it } from 'vitest';
import {
  comparePeriods, isValidPeriod, nextPeriod, normalisePeriod, PeriodError, periodLabel, periodLastDay, periodMonth,
  periodOf, periodRange, periodStart, shiftPeriod, type Frequency,
} from '../../src/core/index.js';

/** UTC midnight of a calendar day, the way the core represents days. */
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('periodStart and periodLastDay', () => {
  const cases: [Frequency, string, string, string][] = [
    // frequency, period, first day, last day
    ['daily', '2023-06-30', '2023-06-30', '2023-06-30'],
    ['daily', '2024-02-29', '2024-02-29', '2024-02-29'],
    ['weekly', '2023-W01', '2023-01-02', '2023-01-08'],
    ['weekly', '2023-W05', '2023-01-30', '2023-02-05'],
    ['weekly', '2020-W01', '2019-12-30', '2020-01-05'],
    ['weekly', '2020-W53', '2020-12-28', '2021-01-03'],
    ['weekly', '2015-W53', '2015-12-28', '2016-01-03'],
    ['weekly', '2026-W53', '2026-12-28', '2027-01-03'],
    ['weekly', '2025-W01', '2024-12-30', '2025-01-05'],
    ['weekly', '2024-W52', '2024-12-23', '2024-12-29'],
    ['monthly', '2023-01', '2023-01-01', '2023-01-31'],
    ['monthly', '2023-02', '2023-02-01', '2023-02-28'],
    ['monthly', '2024-02', '2024-02-01', '2024-02-29'],
    ['monthly', '2100-02', '2100-02-01', '2100-02-28'],
    ['monthly', '2000-02', '2000-02-01', '2000-02-29'],
    ['monthly', '2023-04', '2023-04-01', '2023-04-30'],
    ['monthly', '2023-06', '2023-06-01', '2023-06-30'],
    ['monthly', '2023-12', '2023-12-01', '2023-12-31'],
    ['quarterly', '2023-Q1', '2023-01-01', '2023-03-31'],
    ['quarterly', '2023-Q2', '2023-04-01', '2023-06-30'],
    ['quarterly', '2023-Q3', '2023-07-01', '2023-09-30'],
    ['quarterly', '2023-Q4', '2023-10-01', '2023-12-31'],
    ['quarterly', '2024-Q1', '2024-01-01', '2024-03-31'],
    ['annual', '2023', '2023-01-01', '2023-12-31'],
    ['annual', '2024', '2024-01-01', '2024-12-31'],
  ];

  it.each(cases)('gives the %s period %s the days %s to %s', (f, p, first, last) => {
    expect(periodStart(p, f)).toBe(day(first));
    expect(periodLastDay(p, f)).toBe(day(last));
  });

  it('makes every ISO week run from a Monday to a Sunday', () => {
    for (const p of ['2020-W53', '2021-W01', '2024-W09', '2025-W01', '2026-W53']) {
      expect(new Date(periodStart(p, 'weekly')).getUTCDay()).toBe(1);
      expect(new Date(periodLastDay(p, 'weekly')).getUTCDay()).toBe(0);
    }
  });
});

describe('nextPeriod and shiftPeriod', () => {
  const next: [Frequency, string, string][] = [
    ['daily', '2023-06-30', '2023-07-01'],
    ['daily', '2023-12-31', '2024-01-01'],
    ['daily', '2024-02-28', '2024-02-29'],
    ['daily', '2024-02-29', '2024-03-01'],
    ['daily', '2023-02-28', '2023-03-01'],
    ['weekly', '2023-W05', '2023-W06'],
    ['weekly', '2020-W52', '2020-W53'],
    ['weekly', '2020-W53', '2021-W01'],
    ['weekly', '2021-W52', '2022-W01'],
    ['weekly', '2024-W52', '2025-W01'],
    ['monthly', '2023-06', '2023-07'],
    ['monthly', '2023-12', '2024-01'],
    ['quarterly', '2023-Q2', '2023-Q3'],
    ['quarterly', '2023-Q4', '2024-Q1'],
    ['annual', '2023', '2024'],
  ];

  it.each(next)('follows the %s period %s with %s', (f, p, expected) => {
    expect(nextPeriod(p, f)).toBe(expected);
    expect(shiftPeriod(expected, f, -1)).toBe(p);
  });

  const shifts: [Frequency, string, number, string][] = [
    ['daily', '2024-03-01', -1, '2024-02-29'],
    ['daily', '2023-03-01', -1, '2023-02-28'],
    ['daily', '2023-06-30', 0, '2023-06-30'],
    ['daily', '2023-01-01', 365, '2024-01-01'],
    ['weekly', '2021-W01', -1, '2020-W53'],
    ['weekly', '2020-W50', 5, '2021-W02'],
    ['weekly', '2023-W05', -52, '2022-W05'],
    ['monthly', '2023-01', -1, '2022-12'],
    ['monthly', '2023-06', 18, '2024-12'],
    ['monthly', '2023-06', -18, '2021-12'],
    ['monthly', '2023-06', 0, '2023-06'],
    ['quarterly', '2023-Q1', -1, '2022-Q4'],
    ['quarterly', '2023-Q3', 6, '2025-Q1'],
    ['annual', '2023', -5, '2018'],
    ['annual', '2023', 10, '2033'],
  ];

  it.each(shifts)('shifts the %s period %s by %i to %s', (f, p, n, expected) => {
    expect(shiftPeriod(p, f, n)).toBe(expected);
  });

  it('refuses to shift a malformed period', () => {
    expect(() => shiftPeriod('2023-13', 'monthly', 1)).toThrow(PeriodError);
    expect(() => nextPeriod('2021-W53', 'weekly')).toThrow(PeriodError);
  });
});

describe('periodOf', () => {
  const cases: [string, Frequency, string][] = [
    ['2023-06-30', 'daily', '2023-06-30'],
    ['2024-02-29', 'daily', '2024-02-29'],
    ['2024-12-30', 'weekly', '2025-W01'],
    ['2024-12-29', 'weekly', '2024-W52'],
    ['2025-01-05', 'weekly', '2025-W01'],
    ['2021-01-03', 'weekly', '2020-W53'],
    ['2021-01-04', 'weekly', '2021-W01'],
    ['2020-12-31', 'weekly', '2020-W53'],
    ['2023-01-01', 'weekly', '2022-W52'],
    ['2023-01-02', 'weekly', '2023-W01'],
    ['2019-12-30', 'weekly', '2020-W01'],
    ['2023-02-01', 'weekly', '2023-W05'],
    ['2023-06-30', 'monthly', '2023-06'],
    ['2024-02-29', 'monthly', '2024-02'],
    ['2023-01-01', 'monthly', '2023-01'],
    ['2023-03-31', 'quarterly', '2023-Q1'],
    ['2023-04-01', 'quarterly', '2023-Q2'],
    ['2023-05-15', 'quarterly', '2023-Q2'],
    ['2023-12-31', 'quarterly', '2023-Q4'],
    ['2023-12-31', 'annual', '2023'],
    ['2024-01-01', 'annual', '2024'],
  ];

  it.each(cases)('puts the day %s in the %s period %s', (d, f, expected) => {
    expect(periodOf(day(d), f)).toBe(expected);
  });

  it('puts every day of a period back in that period', () => {
    const periods: [Frequency, string][] = [
      ['weekly', '2020-W53'], ['weekly', '2025-W01'], ['monthly', '2024-02'], ['quarterly', '2023-Q4'], ['annual', '2024'],
    ];
    for (const [f, p] of periods) {
      for (let d = periodStart(p, f); d <= periodLastDay(p, f); d += 86_400_000) expect(periodOf(d, f)).toBe(p);
    }
  });
});

describe('periodRange', () => {
  const cases: [Frequency, string, string, string[]][] = [
    ['daily', '2024-02-27', '2024-03-01', ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']],
    ['daily', '2023-02-27', '2023-03-01', ['2023-02-27', '2023-02-28', '2023-03-01']],
    ['weekly', '2020-W52', '2021-W02', ['2020-W52', '2020-W53', '2021-W01', '2021-W02']],
    ['weekly', '2021-W52', '2022-W01', ['2021-W52', '2022-W01']],
    ['monthly', '2023-11', '2024-02', ['2023-11', '2023-12', '2024-01', '2024-02']],
    ['monthly', '2023-06', '2023-06', ['2023-06']],
    ['monthly', '2023-07', '2023-06', []],
    ['quarterly', '2022-Q4', '2023-Q2', ['2022-Q4', '2023-Q1', '2023-Q2']],
    ['annual', '2019', '2022', ['2019', '2020', '2021', '2022']],
  ];

  it.each(cases)('lists the %s periods from %s to %s, both included', (f, from, to, expected) => {
    expect(periodRange(from, to, f)).toEqual(expected);
  });

  it('counts 66 months from January 2018 to June 2023', () => {
    const months = periodRange('2018-01', '2023-06', 'monthly');
    expect(months).toHaveLength(66);
    expect(months.at(0)).toBe('2018-01');
    expect(months.at(-1)).toBe('2023-06');
  });
});

describe('normalisePeriod', () => {
  const cases: [Frequency, string, string][] = [
    ['monthly', '202306', '2023-06'],
    ['monthly', '202312', '2023-12'],
    ['monthly', '2023-06', '2023-06'],
    ['monthly', ' 2023-06 ', '2023-06'],
    ['monthly', '2023-06-01', '2023-06'],
    ['quarterly', '2019A', '2019-Q1'],
    ['quarterly', '2019B', '2019-Q2'],
    ['quarterly', '2019C', '2019-Q3'],
    ['quarterly', '2019D', '2019-Q4'],
    ['quarterly', '2019Q3', '2019-Q3'],
    ['quarterly', '2019-q3', '2019-Q3'],
    ['quarterly', '2019-Q3', '2019-Q3'],
    ['weekly', '2020-W53', '2020-W53'],
    ['daily', '2024-02-29', '2024-02-29'],
    ['annual', '2023', '2023'],
  ];

  it.each(cases)('reads the %s period written %j as %s', (f, raw, expected) => {
    expect(normalisePeriod(raw, f)).toBe(expected);
  });

  const malformed: [Frequency, string, RegExp][] = [
    ['monthly', '2023-13', /no month 13/],
    ['monthly', '2023-00', /no month 0/],
    ['monthly', '202313', /no month 13/],
    ['monthly', '2023-13-01', /no month 13/],
    ['monthly', '2023-6', /not a valid monthly period: "2023-6"/],
    ['monthly', 'abc', /not a valid monthly period: "abc"/],
    ['monthly', '2023-02-30', /not a valid monthly period: "2023-02-30"/],
    ['quarterly', '2023-Q5', /not a valid quarterly period: "2023-Q5"/],
    ['quarterly', '2019E', /not a valid quarterly period: "2019E"/],
    ['quarterly', 'abc', /not a valid quarterly period: "abc"/],
    ['daily', '2023-02-30', /no such date: 2023-02-30/],
    ['daily', '2023-02-29', /no such date: 2023-02-29/],
    ['daily', '2100-02-29', /no such date: 2100-02-29/],
    ['daily', 'abc', /not a valid daily period: "abc"/],
    ['weekly', '2021-W53', /no week 53 in 2021/],
    ['weekly', '2023-W00', /no week 0 in 2023/],
    ['weekly', 'abc', /not a valid weekly period: "abc"/],
    ['annual', '23', /annual period: "23"/],
    ['annual', 'abc', /annual period: "abc"/],
  ];

  it.each(malformed)('refuses the %s period %j with a PeriodError that says why', (f, raw, message) => {
    expect(() => normalisePeriod(raw, f)).toThrow(PeriodError);
    expect(() => normalisePeriod(raw, f)).toThrow(message);
  });

  it.each(malformed)('makes periodStart and isValidPeriod refuse the %s period %j too', (f, raw) => {
    expect(() => periodStart(raw, f)).toThrow(PeriodError);
    expect(isValidPeriod(raw, f)).toBe(false);
  });
});

describe('periodLabel', () => {
  const cases: [Frequency, string, string][] = [
    ['monthly', '2023-06', 'June 2023'],
    ['monthly', '2024-01', 'January 2024'],
    ['monthly', '2023-12', 'December 2023'],
    ['quarterly', '2023-Q2', '2023 Q2'],
    ['weekly', '2023-W05', 'week 5 of 2023'],
    ['weekly', '2020-W53', 'week 53 of 2020'],
    ['annual', '2023', '2023'],
    ['daily', '2023-06-30', '2023-06-30'],
  ];

  it.each(cases)('labels the %s period %s as %j', (f, p, expected) => {
    expect(periodLabel(p, f)).toBe(expected);
  });

  it('refuses to label a month that does not exist', () => {
    expect(() => periodLabel('2023-13', 'monthly')).toThrow(PeriodError);
  });
});

describe('comparePeriods, isValidPeriod and periodMonth', () => {
  it('orders periods by their first day, across year ends', () => {
    expect(comparePeriods('2023-12', '2024-01', 'monthly')).toBeLessThan(0);
    expect(comparePeriods('2021-W01', '2020-W53', 'weekly')).toBeGreaterThan(0);
    expect(comparePeriods('2023-Q2', '2023-Q2', 'quarterly')).toBe(0);
  });

  const valid: [Frequency, string, boolean][] = [
    ['weekly', '2020-W53', true],
    ['weekly', '2021-W53', false],
    ['monthly', '2023-12', true],
    ['monthly', '2023-13', false],
    ['quarterly', '2023-Q4', true],
    ['quarterly', '2023-Q5', false],
    ['daily', '2000-02-29', true],
    ['daily', '1900-02-29', false],
    ['monthly', '2023-Q1', false],
  ];

  it.each(valid)('judges the %s period %j valid: %s', (f, p, ok) => {
    expect(isValidPeriod(p, f)).toBe(ok);
  });

  const months: [Frequency, string, number][] = [
    ['monthly', '2024-01', 1],
    ['monthly', '2024-02', 2],
    ['quarterly', '2024-Q2', 4],
    ['weekly', '2025-W01', 12],
    ['daily', '2024-01-15', 1],
  ];

  it.each(months)('finds the month of the first day of the %s period %s: %i', (f, p, m) => {
    expect(periodMonth(p, f)).toBe(m);
  });
});
