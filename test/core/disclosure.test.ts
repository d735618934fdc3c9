// The disclosure index on hand-built grids: which periods count as due, which as on schedule,
// the month a due date falls in (month ends, leap years, publisher-local midnight), and when a
// month is complete.
import { describe, expect, it } from 'vitest';
import {
  disclosureIndex, disclosureTally, latestCompleteMonth, monthOf, type DisclosureRow,
} from '../../src/core/disclosure.js';
import type { PeriodCell, PeriodState } from '../../src/core/types.js';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

/** A grid cell due at `due` (ISO instant) with 7 days of grace. */
function cell(period: string, state: PeriodState, due: string, marks: Partial<PeriodCell['marks']> = {}): PeriodCell {
  const dueAt = at(due);
  return {
    period, state, dueAt, graceEndsAt: dueAt + 7 * DAY,
    value: state === 'disclosed' ? 1 : null, valueText: state === 'disclosed' ? '1' : null, firstSeenAt: null, obsStatus: null,
    marks: { break: false, revised: false, backfilled: false, ...marks }, eventId: null,
  };
}

const row = (publisherId: string, ...grid: PeriodCell[]): DisclosureRow => ({ publisherId, grid });

describe('disclosureIndex', () => {
  it.each<{ what: string; state: PeriodState; backfilled: boolean; due: number; onSchedule: number }>([
    { what: 'a disclosed period', state: 'disclosed', backfilled: false, due: 1, onSchedule: 1 },
    { what: 'a period disclosed only after its grace (backfilled)', state: 'disclosed', backfilled: true, due: 1, onSchedule: 0 },
    { what: 'a late period', state: 'late', backfilled: false, due: 1, onSchedule: 0 },
    { what: 'a missing period', state: 'missing', backfilled: false, due: 1, onSchedule: 0 },
    { what: 'a suspended period', state: 'suspended', backfilled: false, due: 1, onSchedule: 0 },
    { what: 'a discontinued period', state: 'discontinued', backfilled: false, due: 1, onSchedule: 0 },
    { what: 'a period whose access was cut', state: 'access_cut', backfilled: false, due: 1, onSchedule: 0 },
    { what: 'a withdrawn period', state: 'withdrawn', backfilled: false, due: 1, onSchedule: 0 },
    { what: 'a period with no record', state: 'unknown', backfilled: false, due: 0, onSchedule: 0 },
    { what: 'a period not yet due', state: 'not_due', backfilled: false, due: 0, onSchedule: 0 },
    { what: 'a period not expected on its own (January folded into February)', state: 'not_expected', backfilled: false, due: 0, onSchedule: 0 },
  ])('counts $what as due $due time(s) and on schedule $onSchedule time(s)', ({ state, backfilled, due, onSchedule }) => {
    const [m] = disclosureIndex([row('nbs', cell('2023-06', state, '2023-07-17T02:00:00Z', { backfilled }))], '2023-07', '2023-07');
    expect(m!.byPublisher.nbs).toMatchObject({ due, onSchedule });
    expect(m!.overall).toMatchObject({ due, onSchedule });
  });

  it('weighs a series once a month: thirty daily periods count as one series, on schedule only if every one was', () => {
    const days = Array.from({ length: 30 }, (_, i) => {
      const d = `2023-07-${String(i + 1).padStart(2, '0')}`;
      return cell(d, i === 29 ? 'missing' : 'disclosed', `${d}T12:00:00Z`);
    });
    const [m] = disclosureIndex([row('pboc', ...days), row('nbs', cell('2023-06', 'disclosed', '2023-07-17T02:00:00Z'))], '2023-07', '2023-07');
    expect(m!.overall).toEqual({ due: 2, onSchedule: 1, share: 0.5 });
    expect(m!.byPublisher.pboc).toEqual({ due: 1, onSchedule: 0, share: 0 });
  });

  it('counts access series in their own index, never in the overall one or a publisher column', () => {
    const cut = { publisherId: 'cnki', access: true, grid: [cell('2023-07-01', 'access_cut', '2023-07-01T15:59:00Z'), cell('2023-07-02', 'access_cut', '2023-07-02T15:59:00Z')] };
    const [m] = disclosureIndex([cut, row('nbs', cell('2023-06', 'disclosed', '2023-07-17T02:00:00Z'))], '2023-07', '2023-07');
    expect(m!.overall).toEqual({ due: 1, onSchedule: 1, share: 1 });
    expect(m!.access).toEqual({ due: 1, onSchedule: 0, share: 0 });
    expect(Object.keys(m!.byPublisher)).toEqual(['nbs']);
  });

  it('puts a period in the month its release was due, not the month it refers to', () => {
    const idx = disclosureIndex([row('nbs', cell('2023-06', 'disclosed', '2023-07-17T02:00:00Z'))], '2023-06', '2023-07');
    expect(idx.map((m) => [m.month, m.overall.due])).toEqual([['2023-06', 0], ['2023-07', 1]]);
  });

  it('gives the share as on schedule over due, and no share (null, not 0) when nothing was due', () => {
    const rows = [
      row('nbs',
        cell('2023-05', 'disclosed', '2023-06-15T02:00:00Z'),
        cell('2023-06', 'disclosed', '2023-07-17T02:00:00Z'),
        cell('2023-07', 'suspended', '2023-08-17T02:00:00Z')),
      row('nbs',
        cell('2023-06', 'disclosed', '2023-07-17T02:00:00Z'),
        cell('2023-07', 'disclosed', '2023-08-17T02:00:00Z')),
    ];
    const idx = disclosureIndex(rows, '2023-05', '2023-08');
    expect(idx.map((m) => [m.month, m.overall.due, m.overall.onSchedule, m.overall.share])).toEqual([
      ['2023-05', 0, 0, null],
      ['2023-06', 1, 1, 1],
      ['2023-07', 2, 2, 1],
      ['2023-08', 2, 1, 0.5],
    ]);
  });

  it('counts each publisher apart, sums them overall, and lists every publisher in every month in id order', () => {
    const rows = [
      row('safe', cell('2023-06', 'disclosed', '2023-07-07T08:00:00Z')),
      row('nbs', cell('2023-06', 'missing', '2023-07-17T02:00:00Z')),
      row('nbs', cell('2023-06', 'disclosed', '2023-07-17T02:00:00Z')),
      row('mof', cell('2023-05', 'disclosed', '2023-06-20T02:00:00Z')),
    ];
    const [m] = disclosureIndex(rows, '2023-07', '2023-07');
    expect(Object.keys(m!.byPublisher)).toEqual(['mof', 'nbs', 'safe']);
    expect(m!.byPublisher).toEqual({
      mof: { due: 0, onSchedule: 0, share: null },
      nbs: { due: 2, onSchedule: 1, share: 0.5 },
      safe: { due: 1, onSchedule: 1, share: 1 },
    });
    expect(m!.overall).toEqual({ due: 3, onSchedule: 2, share: 2 / 3 });
  });

  it.each([
    ['a release at 00:30 in Beijing on 1 August (31 July in UTC)', '2023-07-31T16:30:00Z', 'Asia/Shanghai', '2023-08'],
    ['the same instant read in UTC', '2023-07-31T16:30:00Z', undefined, '2023-07'],
    ['29 February of a leap year', '2024-02-29T02:00:00Z', 'Asia/Shanghai', '2024-02'],
    ['the last minute of a year in New York (already January in UTC)', '2023-12-31T23:59:00-05:00', 'America/New_York', '2023-12'],
    ['a quarter end', '2023-03-31T23:00:00Z', 'UTC', '2023-03'],
  ])('reads the month of %s in the row\'s time zone', (_what, due, timeZone, month) => {
    expect(monthOf(at(due), timeZone)).toBe(month);
    const rows: DisclosureRow[] = [{ publisherId: 'x', grid: [cell('p', 'disclosed', due)], ...(timeZone ? { timeZone } : {}) }];
    const idx = disclosureIndex(rows, '2023-01', '2024-12');
    expect(idx.filter((m) => m.overall.due).map((m) => m.month)).toEqual([month]);
  });

  it('leaves out periods due outside the range and answers nothing when the range is backwards', () => {
    const rows = [row('nbs', cell('2023-06', 'disclosed', '2023-07-17T02:00:00Z'), cell('2023-07', 'disclosed', '2023-08-17T02:00:00Z'))];
    expect(disclosureIndex(rows, '2023-08', '2023-08')[0]!.overall.due).toBe(1);
    expect(disclosureIndex(rows, '2023-09', '2023-08')).toEqual([]);
  });

  it('refuses a malformed month', () => {
    expect(() => disclosureIndex([], '2023-13', '2024-01')).toThrow(RangeError);
    expect(() => disclosureIndex([], '2023-1', '2024-01')).toThrow(RangeError);
  });

  it('settles a month at its end, or later when a release due in it is still within its grace', () => {
    const rows = [row('nbs', cell('2023-06', 'disclosed', '2023-07-17T02:00:00Z'), cell('2023-07', 'late', '2023-08-28T02:00:00Z'))];
    const idx = disclosureIndex(rows, '2023-06', '2023-08');
    expect(idx.map((m) => new Date(m.settledAt).toISOString())).toEqual([
      '2023-07-01T00:00:00.000Z', // nothing due: the end of the month
      '2023-08-01T00:00:00.000Z', // grace ended 24 July, before the month did
      '2023-09-04T02:00:00.000Z', // due 28 August, grace to 4 September
    ]);
  });
});

describe('disclosureTally', () => {
  const rows = [
    row('nbs', cell('2023-06', 'disclosed', '2023-07-17T02:00:00Z'), cell('2023-07', 'late', '2023-08-28T02:00:00Z')),
    row('safe', cell('2023-06', 'disclosed', '2023-07-07T08:00:00Z', { backfilled: true })),
    row('nbs', cell('2023-06', 'suspended', '2023-07-17T02:00:00Z'), cell('2023-07', 'unknown', '2023-08-17T02:00:00Z')),
    row('mof', cell('2023-05', 'not_due', '2023-06-20T02:00:00Z')),
  ];

  it('counts rows added one at a time, in any order, as disclosureIndex counts them all at once', () => {
    const whole = disclosureIndex(rows, '2023-06', '2023-09');
    expect(whole[1]!.overall).toEqual({ due: 3, onSchedule: 1, share: 1 / 3 });
    for (const order of [rows, [...rows].reverse(), [rows[2]!, rows[0]!, rows[3]!, rows[1]!]]) {
      const tally = disclosureTally('2023-06', '2023-09');
      for (const r of order) tally.add(r);
      expect(tally.months()).toEqual(whole);
    }
  });

  it('reads the same due instant in each row\'s own time zone', () => {
    // 17:00 UTC on 31 July is 01:00 on 1 August in Beijing.
    const due = '2023-07-31T17:00:00Z';
    const tally = disclosureTally('2023-07', '2023-08');
    tally.add({ publisherId: 'fred', grid: [cell('2023-06', 'disclosed', due)] });
    tally.add({ publisherId: 'nbs', grid: [cell('2023-07', 'disclosed', due)], timeZone: 'Asia/Shanghai' });
    tally.add({ publisherId: 'fred', grid: [cell('2023-07', 'missing', due)] });
    const [july, august] = tally.months();
    expect([july!.byPublisher.fred!.due, july!.byPublisher.nbs!.due]).toEqual([2, 0]);
    expect([august!.byPublisher.fred!.due, august!.byPublisher.nbs!.due]).toEqual([0, 1]);
  });
});

describe('latestCompleteMonth', () => {
  const rows = [row('nbs',
    cell('2023-05', 'disclosed', '2023-06-15T02:00:00Z'),
    cell('2023-06', 'disclosed', '2023-07-17T02:00:00Z'),
    cell('2023-07', 'late', '2023-08-28T02:00:00Z'),
    cell('2023-08', 'unknown', '2023-09-17T02:00:00Z'))];
  const idx = disclosureIndex(rows, '2023-06', '2023-09');

  it.each([
    ['before any month has ended', '2023-06-20T00:00:00Z', null],
    ['the day June ends', '2023-07-01T00:00:00Z', '2023-06'],
    ['in August, July is complete', '2023-08-02T00:00:00Z', '2023-07'],
    ['in early September August is still within grace', '2023-09-03T00:00:00Z', '2023-07'],
    ['once the grace has passed', '2023-09-05T00:00:00Z', '2023-08'],
    ['September had nothing judged, so August stays the latest', '2023-12-01T00:00:00Z', '2023-08'],
  ])('%s', (_what, now, month) => {
    expect(latestCompleteMonth(idx, at(now))?.month ?? null).toBe(month);
  });
});
