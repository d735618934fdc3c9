import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RULE, dueAt, graceEndsAt, isExpected, localDay, localToUtc, PeriodError, zoneOffset,
  type Frequency, type ReleaseRule,
} from '../../src/core/index.js';

const at = (iso: string) => Date.parse(iso);
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const HOUR = 3_600_000;

function rule(over: Partial<ReleaseRule> = {}): ReleaseRule {
  return { lagDays: 17, time: '10:00', timeZone: 'Asia/Shanghai', graceDays: 7, janFebCombined: false, calendar: {}, ...over };
}

const SHANGHAI = rule();
const UTC = rule({ timeZone: 'UTC' });
const NEW_YORK = rule({ time: '08:30', timeZone: 'America/New_York', graceDays: 3 });

describe('dueAt', () => {
  const cases: [string, Frequency, string, ReleaseRule, string][] = [
    // description, frequency, period, rule, expected UTC instant
    ['Q2 2023, 17 days after 30 June at 10:00 in Asia/Shanghai', 'quarterly', '2023-Q2', SHANGHAI, '2023-07-17T02:00:00Z'],
    ['Q2 2023, 17 days after 30 June at 10:00 in UTC', 'quarterly', '2023-Q2', UTC, '2023-07-17T10:00:00Z'],
    ['June 2023, 17 days after month end at 10:00 in Asia/Shanghai', 'monthly', '2023-06', SHANGHAI, '2023-07-17T02:00:00Z'],
    ['June 2023, 17 days after month end at 10:00 in UTC', 'monthly', '2023-06', UTC, '2023-07-17T10:00:00Z'],
    ['June 2023 at 09:30 Beijing time the day after month end', 'monthly', '2023-06', rule({ lagDays: 1, time: '09:30' }), '2023-07-01T01:30:00Z'],
    ['30 June 2023 (daily) at 09:30 Beijing time the next day', 'daily', '2023-06-30', rule({ lagDays: 1, time: '09:30' }), '2023-07-01T01:30:00Z'],
    ['a release at 07:59 Beijing time, still the previous UTC day', 'monthly', '2023-06', rule({ time: '07:59' }), '2023-07-16T23:59:00Z'],
    ['a release at 23:59 Beijing time', 'monthly', '2023-11', rule({ lagDays: 22, time: '23:59' }), '2023-12-22T15:59:00Z'],
    ['January 2024 with a 29-day lag, landing on 29 February (leap year)', 'monthly', '2024-01', rule({ lagDays: 29 }), '2024-02-29T02:00:00Z'],
    ['January 2023 with a 29-day lag, landing on 1 March (no leap day)', 'monthly', '2023-01', rule({ lagDays: 29 }), '2023-03-01T02:00:00Z'],
    ['February 2024, 17 days after 29 February', 'monthly', '2024-02', SHANGHAI, '2024-03-17T02:00:00Z'],
    ['week 8 of 2024 (ends Sunday 25 February), 4 days later on 29 February', 'weekly', '2024-W08', rule({ lagDays: 4 }), '2024-02-29T02:00:00Z'],
    ['week 53 of 2020 (ends 3 January 2021), 3 days later', 'weekly', '2020-W53', rule({ lagDays: 3 }), '2021-01-06T02:00:00Z'],
    ['the year 2023, 59 days after 31 December', 'annual', '2023', rule({ lagDays: 59 }), '2024-02-28T02:00:00Z'],
    ['February 2024 at 08:30 in New York, before the clocks change (EST)', 'monthly', '2024-02', rule({ ...NEW_YORK, lagDays: 8 }), '2024-03-08T13:30:00Z'],
    ['February 2024 at 08:30 in New York, after the clocks change (EDT)', 'monthly', '2024-02', rule({ ...NEW_YORK, lagDays: 11 }), '2024-03-11T12:30:00Z'],
    ['October 2024 at 08:30 in New York, before the clocks go back (EDT)', 'monthly', '2024-10', rule({ ...NEW_YORK, lagDays: 1 }), '2024-11-01T12:30:00Z'],
    ['October 2024 at 08:30 in New York, after the clocks go back (EST)', 'monthly', '2024-10', rule({ ...NEW_YORK, lagDays: 4 }), '2024-11-04T13:30:00Z'],
    ['the default rule: 30 days after month end at 00:00 UTC', 'monthly', '2023-06', DEFAULT_RULE, '2023-07-30T00:00:00Z'],
  ];

  it.each(cases)('puts the release of %s at the right instant', (_what, f, p, r, expected) => {
    expect(dueAt(p, f, r)).toBe(at(expected));
  });

  it('keeps the same local clock time on both sides of a daylight-saving change', () => {
    const before = dueAt('2024-02', 'monthly', rule({ ...NEW_YORK, lagDays: 8 }));
    const after = dueAt('2024-02', 'monthly', rule({ ...NEW_YORK, lagDays: 11 }));
    expect(after - before).toBe(3 * 24 * HOUR - HOUR);
  });

  it('gives the same calendar date a different instant in Asia/Shanghai and UTC', () => {
    expect(dueAt('2023-Q2', 'quarterly', UTC) - dueAt('2023-Q2', 'quarterly', SHANGHAI)).toBe(8 * HOUR);
  });
});

describe('dueAt with an explicit release calendar', () => {
  const calendarRule = rule({
    lagDays: 22,
    time: '23:59',
    calendar: { '2023-12': '2024-01-17', '2024-02': '2024-03-18T09:30' },
  });

  const cases: [string, string, string][] = [
    ['uses a calendar date with the rule time for December 2023', '2023-12', '2024-01-17T15:59:00Z'],
    ['uses a calendar date and its own THH:MM time for February 2024', '2024-02', '2024-03-18T01:30:00Z'],
    ['falls back to the lag for January 2024, which has no calendar date', '2024-01', '2024-02-22T15:59:00Z'],
  ];

  it.each(cases)('%s', (_what, p, expected) => {
    expect(dueAt(p, 'monthly', calendarRule)).toBe(at(expected));
  });

  it('reads a calendar time in the publisher zone across a daylight-saving change', () => {
    const r = rule({ ...NEW_YORK, calendar: { '2024-02': '2024-03-11', '2024-01': '2024-02-09T10:00' } });
    expect(dueAt('2024-02', 'monthly', r)).toBe(at('2024-03-11T12:30:00Z'));
    expect(dueAt('2024-01', 'monthly', r)).toBe(at('2024-02-09T15:00:00Z'));
  });

  it('lets a calendar date come earlier than the lag would', () => {
    const r = rule({ calendar: { '2023-06': '2023-07-14' } });
    expect(dueAt('2023-06', 'monthly', r)).toBe(at('2023-07-14T02:00:00Z'));
    expect(dueAt('2023-06', 'monthly', rule())).toBe(at('2023-07-17T02:00:00Z'));
  });

  it('refuses a calendar date that does not exist', () => {
    const r = rule({ calendar: { '2023-01': '2023-02-30' } });
    expect(() => dueAt('2023-01', 'monthly', r)).toThrow(PeriodError);
  });
});

describe('graceEndsAt', () => {
  const cases: [string, Frequency, string, ReleaseRule, string][] = [
    ['June 2023 with 7 days of grace ends on 24 July 10:00 Beijing time', 'monthly', '2023-06', SHANGHAI, '2023-07-24T02:00:00Z'],
    ['June 2023 with 3 days of grace', 'monthly', '2023-06', rule({ graceDays: 3 }), '2023-07-20T02:00:00Z'],
    ['June 2023 with no grace ends when it is due', 'monthly', '2023-06', rule({ graceDays: 0 }), '2023-07-17T02:00:00Z'],
    ['Q2 2023 with 7 days of grace', 'quarterly', '2023-Q2', SHANGHAI, '2023-07-24T02:00:00Z'],
    ['January 2024 with a 29-day lag and 3 days of grace', 'monthly', '2024-01', rule({ lagDays: 29, graceDays: 3 }), '2024-03-03T02:00:00Z'],
    ['December 2023 from a calendar date', 'monthly', '2023-12', rule({ calendar: { '2023-12': '2024-01-17' } }), '2024-01-24T02:00:00Z'],
  ];

  it.each(cases)('says the grace for %s', (_what, f, p, r, expected) => {
    expect(graceEndsAt(p, f, r)).toBe(at(expected));
  });

  it('counts grace in whole 24-hour days from the due instant, even across a daylight-saving change', () => {
    const r = rule({ ...NEW_YORK, lagDays: 8, graceDays: 3 });
    expect(dueAt('2024-02', 'monthly', r)).toBe(at('2024-03-08T13:30:00Z'));
    expect(graceEndsAt('2024-02', 'monthly', r)).toBe(at('2024-03-11T13:30:00Z'));
  });
});

describe('isExpected', () => {
  const nbsCumulative = rule({ janFebCombined: true });
  const nbsGrowth = rule({ janFebCombined: 'both' });
  const cases: [string, Frequency, string, ReleaseRule, boolean][] = [
    ['January 2024 of an NBS cumulative series (folded into January-February)', 'monthly', '2024-01', nbsCumulative, false],
    ['January 2023 of an NBS cumulative series', 'monthly', '2023-01', nbsCumulative, false],
    ['February 2024 of an NBS cumulative series', 'monthly', '2024-02', nbsCumulative, true],
    ['March 2024 of an NBS cumulative series', 'monthly', '2024-03', nbsCumulative, true],
    ['December 2023 of an NBS cumulative series', 'monthly', '2023-12', nbsCumulative, true],
    ['January 2024 of a series that publishes January', 'monthly', '2024-01', SHANGHAI, true],
    ['Q1 2024 of a quarterly series with the January rule on', 'quarterly', '2024-Q1', nbsCumulative, true],
    ['15 January 2024 of a daily series with the January rule on', 'daily', '2024-01-15', nbsCumulative, true],
    ['week 2 of 2024 of a weekly series with the January rule on', 'weekly', '2024-W02', nbsCumulative, true],
    ['2024 of an annual series with the January rule on', 'annual', '2024', nbsCumulative, true],
    ['January 2024 of an NBS growth series (combined figure of neither month)', 'monthly', '2024-01', nbsGrowth, false],
    ['February 2024 of an NBS growth series', 'monthly', '2024-02', nbsGrowth, false],
    ['March 2024 of an NBS growth series', 'monthly', '2024-03', nbsGrowth, true],
    ['Q1 2024 of a quarterly series with both months combined', 'quarterly', '2024-Q1', nbsGrowth, true],
  ];

  it.each(cases)('expects a separate release for %s: %s', (_what, f, p, r, expected) => {
    expect(isExpected(p, f, r)).toBe(expected);
  });
});

describe('zoned time', () => {
  const offsets: [string, string, number][] = [
    ['2023-07-17T02:00:00Z', 'Asia/Shanghai', 8],
    ['2024-01-15T12:00:00Z', 'America/New_York', -5],
    ['2024-07-15T12:00:00Z', 'America/New_York', -4],
    ['2024-03-10T06:59:59Z', 'America/New_York', -5],
    ['2024-03-10T07:00:00Z', 'America/New_York', -4],
    ['2024-07-15T12:00:00Z', 'UTC', 0],
  ];

  it.each(offsets)('finds the offset at %s in %s is %i hours', (instant, zone, hours) => {
    expect(zoneOffset(at(instant), zone)).toBe(hours * HOUR);
  });

  const localDays: [string, string, string][] = [
    ['2024-01-31T17:00:00Z', 'Asia/Shanghai', '2024-02-01'],
    ['2024-01-31T15:59:59Z', 'Asia/Shanghai', '2024-01-31'],
    ['2024-03-01T03:00:00Z', 'America/New_York', '2024-02-29'],
    ['2024-03-01T05:00:00Z', 'America/New_York', '2024-03-01'],
    ['2024-03-01T03:00:00Z', 'UTC', '2024-03-01'],
  ];

  it.each(localDays)('finds that %s falls on the local day of %s %s', (instant, zone, d) => {
    expect(localDay(at(instant), zone)).toBe(day(d));
  });

  it('turns a local date and time into the UTC instant', () => {
    expect(localToUtc(day('2023-07-17'), '10:00', 'Asia/Shanghai')).toBe(at('2023-07-17T02:00:00Z'));
    expect(localToUtc(day('2024-03-08'), '08:30', 'America/New_York')).toBe(at('2024-03-08T13:30:00Z'));
    expect(localToUtc(day('2024-03-11'), '08:30', 'America/New_York')).toBe(at('2024-03-11T12:30:00Z'));
    expect(localToUtc(day('2024-02-29'), '00:00', 'Asia/Shanghai')).toBe(at('2024-02-28T16:00:00Z'));
  });
});
