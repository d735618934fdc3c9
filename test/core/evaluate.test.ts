// Facts modelled on the real case: NBS's urban surveyed unemployment rate for ages 16-24 (old
// basis). Values through June 2023 (21.3%), suspension announced 2023-08-15 for July-November
// 2023, replaced on 2024-01-17 by a basis that excludes students, from December 2023.
import { describe, expect, it } from 'vitest';
import {
  buildGrid, dueAt, evaluateSeries, type EventFact, type EventKind, type ObservationFact, type PeriodCell,
  type PeriodState, type ReleaseRule, type SeriesFacts,
} from '../../src/core/index.js';

const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
const LABEL = 'Youth unemployment 16-24';

/** NBS monthly labour release: 17 days after month end, 10:00 Beijing time, 3 days of grace. */
const NBS: ReleaseRule = {
  lagDays: 17, time: '10:00', timeZone: 'Asia/Shanghai', graceDays: 3, janFebCombined: false, calendar: {},
};

// Due instants under NBS (10:00 Beijing = 02:00 UTC).
const JUNE_DUE = at('2023-07-17T02:00:00Z');
const JULY_DUE = at('2023-08-17T02:00:00Z');
const JULY_GRACE_END = at('2023-08-20T02:00:00Z');
const AUGUST_DUE = at('2023-09-17T02:00:00Z');
const DECEMBER_DUE = at('2024-01-17T02:00:00Z');
const JANUARY_2024_DUE = at('2024-02-17T02:00:00Z');
const MARCH_2024_DUE = at('2024-04-17T02:00:00Z'); // 17 April 2024, 10:00 in Beijing
const FEBRUARY_2024_DUE = at('2024-03-17T02:00:00Z');

const VALUES_2023: [string, number][] = [
  ['2023-01', 17.3], ['2023-02', 18.1], ['2023-03', 19.6], ['2023-04', 20.4], ['2023-05', 20.8], ['2023-06', 21.3],
];

/** An observation, by default known at its due instant (as lacuna treats bundled history). */
function obs(period: string, value: number, over: Partial<ObservationFact> = {}, rule = NBS): ObservationFact {
  const known = dueAt(period, 'monthly', rule);
  return { period, value, valueText: String(value), firstSeenAt: known, knownAt: known, revised: false, withdrawn: false, ...over };
}

const SUSPENSION: EventFact = {
  id: 'cn-nbs-youth-1624-suspension-announced-2023-08-15',
  kind: 'suspension_announced',
  date: '2023-08-15',
  from: '2023-07',
  to: '2023-11',
  title: 'NBS suspends the age-group urban unemployment rates from the July 2023 data',
};

const REPLACED: EventFact = {
  id: 'cn-nbs-youth-1624-old-basis-replaced-2024-01-17',
  kind: 'replaced',
  date: '2024-01-17',
  from: '2023-12',
  to: null,
  title: 'Replaced by the rate excluding students from December 2023',
};

/** The old-basis youth series as lacuna would see it; by default checked just now. */
function youth(now: number, over: Partial<SeriesFacts> = {}): SeriesFacts {
  return {
    frequency: 'monthly',
    release: NBS,
    gridFrom: '2023-01',
    recordFrom: '2023-01',
    checkedAt: now,
    paused: false,
    observations: VALUES_2023.map(([p, v]) => obs(p, v)),
    events: [],
    ...over,
  };
}

/** The new basis (excluding students), December 2023 = 14.9, with January folded into January-February. */
function newBasis(now: number, janFebCombined: boolean, over: Partial<SeriesFacts> = {}): SeriesFacts {
  const release = { ...NBS, janFebCombined };
  return {
    frequency: 'monthly',
    release,
    gridFrom: '2023-12',
    recordFrom: '2023-12',
    checkedAt: now,
    paused: false,
    observations: [obs('2023-12', 14.9, {}, release)],
    events: [],
    ...over,
  };
}

function cell(grid: PeriodCell[], period: string): PeriodCell {
  const c = grid.find((x) => x.period === period);
  if (!c) throw new Error(`no cell for ${period} in ${grid.map((x) => x.period).join(', ')}`);
  return c;
}

function states(grid: PeriodCell[]): Record<string, PeriodState> {
  return Object.fromEntries(grid.map((c) => [c.period, c.state]));
}

describe('buildGrid: the expected grid', () => {
  it('lays one cell per month from gridFrom to the month in progress, with due instants and grace ends', () => {
    const grid = buildGrid(youth(at('2023-08-01T00:00:00Z')), at('2023-08-01T00:00:00Z'));
    expect(grid.map((c) => c.period)).toEqual(['2023-01', '2023-02', '2023-03', '2023-04', '2023-05', '2023-06', '2023-07', '2023-08']);
    expect(cell(grid, '2023-06')).toMatchObject({ dueAt: JUNE_DUE, graceEndsAt: at('2023-07-20T02:00:00Z') });
    expect(cell(grid, '2023-07')).toMatchObject({ dueAt: JULY_DUE, graceEndsAt: JULY_GRACE_END });
    expect(cell(grid, '2023-08')).toMatchObject({ dueAt: AUGUST_DUE });
  });

  const ends: [string, string, string][] = [
    ['2024-01-31T15:59:59Z', 'Asia/Shanghai', '2024-01'],
    ['2024-01-31T16:00:00Z', 'Asia/Shanghai', '2024-02'],
    ['2024-01-31T17:00:00Z', 'Asia/Shanghai', '2024-02'],
    ['2024-01-31T17:00:00Z', 'UTC', '2024-01'],
    ['2024-03-01T03:00:00Z', 'America/New_York', '2024-02'],
    ['2024-03-01T05:00:00Z', 'America/New_York', '2024-03'],
  ];

  it.each(ends)('ends the grid, as of %s, at the month in progress in %s: %s', (now, timeZone, last) => {
    const facts = youth(at(now), { release: { ...NBS, timeZone } });
    expect(buildGrid(facts, at(now)).at(-1)!.period).toBe(last);
  });

  it('returns an empty grid when the grid starts after the month in progress', () => {
    const now = at('2023-08-01T00:00:00Z');
    const facts = youth(now, { gridFrom: '2023-09', recordFrom: '2023-09', observations: [] });
    expect(buildGrid(facts, now)).toEqual([]);
    const ev = evaluateSeries(facts, now, LABEL);
    expect(ev).toMatchObject({ status: 'no_record', lastDisclosed: null, darkSince: null, daysOverdue: null, nextCheckAt: null });
  });

  it('stretches the grid past the month in progress only for a value already known', () => {
    const now = at('2023-08-01T00:00:00Z');
    const early = obs('2023-09', 1.5, { knownAt: at('2023-07-30T02:00:00Z'), firstSeenAt: at('2023-07-30T02:00:00Z') });
    const later = obs('2023-12', 2.5, { knownAt: DECEMBER_DUE, firstSeenAt: DECEMBER_DUE });
    const withEarly = buildGrid(youth(now, { observations: [...youth(now).observations, early] }), now);
    expect(withEarly.at(-1)).toMatchObject({ period: '2023-09', state: 'disclosed', value: 1.5 });
    const withLater = buildGrid(youth(now, { observations: [...youth(now).observations, later] }), now);
    expect(withLater.at(-1)!.period).toBe('2023-08');
  });
});

describe('buildGrid: period states of the youth series', () => {
  it('shows January-June 2023 disclosed and July not due on 1 August 2023', () => {
    const now = at('2023-08-01T00:00:00Z');
    const grid = buildGrid(youth(now, { events: [SUSPENSION, REPLACED] }), now);
    expect(states(grid)).toEqual({
      '2023-01': 'disclosed', '2023-02': 'disclosed', '2023-03': 'disclosed', '2023-04': 'disclosed',
      '2023-05': 'disclosed', '2023-06': 'disclosed', '2023-07': 'not_due', '2023-08': 'not_due',
    });
    expect(cell(grid, '2023-06')).toMatchObject({
      value: 21.3, valueText: '21.3', firstSeenAt: JUNE_DUE, eventId: null,
      marks: { break: false, revised: false, backfilled: false },
    });
    expect(cell(grid, '2023-07')).toMatchObject({ value: null, valueText: null, firstSeenAt: null, eventId: null });
  });

  const julyWithoutEvent: [string, PeriodState][] = [
    ['2023-08-17T01:59:59Z', 'not_due'],
    ['2023-08-17T02:00:00Z', 'late'],
    ['2023-08-18T00:00:00Z', 'late'],
    ['2023-08-20T01:59:59Z', 'late'],
    ['2023-08-20T02:00:00Z', 'missing'],
    ['2023-08-20T12:00:00Z', 'missing'],
  ];

  it.each(julyWithoutEvent)('marks July 2023, with no event on record, as of %s: %s', (now, state) => {
    const grid = buildGrid(youth(at(now)), at(now));
    expect(cell(grid, '2023-07')).toMatchObject({ state, eventId: null });
  });

  it('marks July 2023 suspended, with the event id, once the suspension of 15 August is known', () => {
    const now = at('2023-08-20T12:00:00Z');
    const grid = buildGrid(youth(now, { events: [SUSPENSION] }), now);
    expect(cell(grid, '2023-07')).toMatchObject({ state: 'suspended', eventId: SUSPENSION.id });
    // August is not due yet, but the announcement already settles it: suspended.
    expect(cell(grid, '2023-08')).toMatchObject({ state: 'suspended', eventId: SUSPENSION.id });
  });

  it('marks July to November 2023 suspended on 20 December 2023, and December not due', () => {
    const now = at('2023-12-20T00:00:00Z');
    const grid = buildGrid(youth(now, { events: [SUSPENSION, REPLACED] }), now);
    for (const p of ['2023-07', '2023-08', '2023-09', '2023-10', '2023-11']) {
      expect(cell(grid, p)).toMatchObject({ state: 'suspended', eventId: SUSPENSION.id });
    }
    expect(cell(grid, '2023-12')).toMatchObject({ state: 'not_due', eventId: null });
  });

  it('marks December 2023 onward discontinued once the replacement of 17 January 2024 is known', () => {
    const now = at('2024-02-01T00:00:00Z');
    const grid = buildGrid(youth(now, { events: [SUSPENSION, REPLACED] }), now);
    expect(cell(grid, '2023-11')).toMatchObject({ state: 'suspended', eventId: SUSPENSION.id });
    expect(cell(grid, '2023-12')).toMatchObject({ state: 'discontinued', eventId: REPLACED.id });
    // Not due yet, but the replacement was announced: nothing more will come on the old basis.
    expect(cell(grid, '2024-01')).toMatchObject({ state: 'discontinued', dueAt: JANUARY_2024_DUE, eventId: REPLACED.id });
    expect(cell(grid, '2024-02')).toMatchObject({ state: 'discontinued' });

    const later = at('2024-06-30T00:00:00Z');
    const laterGrid = buildGrid(youth(later, { events: [SUSPENSION, REPLACED] }), later);
    for (const p of ['2023-12', '2024-01', '2024-02', '2024-03', '2024-04', '2024-05']) {
      expect(cell(laterGrid, p)).toMatchObject({ state: 'discontinued', eventId: REPLACED.id });
    }
  });

  it('ignores an event dated after now, and uses it from its date on', () => {
    const lateNotice = { ...SUSPENSION, date: '2023-08-25' };
    const before = at('2023-08-20T12:00:00Z');
    expect(cell(buildGrid(youth(before, { events: [lateNotice] }), before), '2023-07')).toMatchObject({ state: 'missing', eventId: null });
    const after = at('2023-08-25T00:00:00Z');
    expect(cell(buildGrid(youth(after, { events: [lateNotice] }), after), '2023-07')).toMatchObject({ state: 'suspended', eventId: SUSPENSION.id });
  });

  it('uses an event from the start of its local date in the publisher zone, not from UTC midnight', () => {
    const notice = { ...SUSPENSION, date: '2023-08-18' };
    const lastMinuteOf17th = at('2023-08-17T15:59:59Z'); // 23:59:59 on 17 August in Beijing
    const midnightOf18th = at('2023-08-17T16:00:00Z'); // 00:00 on 18 August in Beijing
    expect(cell(buildGrid(youth(lastMinuteOf17th, { events: [notice] }), lastMinuteOf17th), '2023-07').state).toBe('late');
    expect(cell(buildGrid(youth(midnightOf18th, { events: [notice] }), midnightOf18th), '2023-07').state).toBe('suspended');
  });

  it('lets a later-dated event win over an earlier one for the periods they share', () => {
    const stopped: EventFact = { id: 'stopped', kind: 'discontinued', date: '2023-10-20', from: '2023-10', to: null, title: 'Stopped' };
    const now = at('2024-01-01T00:00:00Z');
    const grid = buildGrid(youth(now, { events: [stopped, SUSPENSION] }), now);
    expect(states(grid)).toMatchObject({
      '2023-07': 'suspended', '2023-08': 'suspended', '2023-09': 'suspended',
      '2023-10': 'discontinued', '2023-11': 'discontinued', '2023-12': 'discontinued',
    });
    expect(cell(grid, '2023-10').eventId).toBe('stopped');
  });

  const kinds: [EventKind, PeriodState, boolean][] = [
    ['suspension_announced', 'suspended', true],
    ['delayed', 'late', true],
    ['discontinued', 'discontinued', true],
    ['replaced', 'discontinued', true],
    ['line_dropped', 'discontinued', true],
    ['access_cut', 'access_cut', true],
    ['method_change', 'missing', false],
    ['resumed', 'unknown', true], // released again, but no value on record
    ['access_restored', 'missing', false],
  ];

  it.each(kinds)('gives July 2023, covered by a %s event, the state %s', (kind, state, explains) => {
    const now = at('2023-08-25T00:00:00Z');
    const e: EventFact = { id: `e-${kind}`, kind, date: '2023-08-15', from: '2023-07', to: '2023-07', title: kind };
    expect(cell(buildGrid(youth(now, { events: [e] }), now), '2023-07')).toMatchObject({ state, eventId: explains ? e.id : null });
  });

  it('lets an event without a first period cover nothing', () => {
    const now = at('2023-08-25T00:00:00Z');
    const e: EventFact = { ...SUSPENSION, from: null, to: null };
    expect(cell(buildGrid(youth(now, { events: [e] }), now), '2023-07').state).toBe('missing');
  });

  it('keeps a value on record disclosed even where an event covers it', () => {
    const now = at('2023-08-25T00:00:00Z');
    const facts = youth(now, { events: [SUSPENSION], observations: [...youth(now).observations, obs('2023-07', 21.5)] });
    expect(cell(buildGrid(facts, now), '2023-07')).toMatchObject({ state: 'disclosed', value: 21.5, eventId: null });
  });

  it('marks a period before recordFrom without a value unknown, unless an event explains it', () => {
    const now = at('2023-08-01T00:00:00Z');
    const cut: EventFact = { id: 'cut', kind: 'access_cut', date: '2023-01-05', from: '2022-11', to: '2022-11', title: 'Cut' };
    const grid = buildGrid(youth(now, { gridFrom: '2022-10', events: [cut] }), now);
    expect(states(grid)).toMatchObject({ '2022-10': 'unknown', '2022-11': 'access_cut', '2022-12': 'unknown', '2023-01': 'disclosed' });
  });

  it('marks a period due after the last check unknown, never missing, because lacuna did not look', () => {
    const now = at('2023-08-25T00:00:00Z');
    const grid = buildGrid(youth(now, { checkedAt: at('2023-08-10T00:00:00Z') }), now);
    expect(cell(grid, '2023-07')).toMatchObject({ state: 'unknown', eventId: null });
  });

  it('keeps a period late when the last check came within its grace, even after the grace has passed', () => {
    const now = at('2023-08-25T00:00:00Z');
    const grid = buildGrid(youth(now, { checkedAt: at('2023-08-18T00:00:00Z') }), now);
    expect(cell(grid, '2023-07').state).toBe('late');
  });

  it('marks every period without a value or an event unknown when lacuna never checked', () => {
    const now = at('2023-08-25T00:00:00Z');
    const never = youth(now, { checkedAt: null, observations: [] });
    expect(states(buildGrid(never, now))).toEqual({
      '2023-01': 'unknown', '2023-02': 'unknown', '2023-03': 'unknown', '2023-04': 'unknown',
      '2023-05': 'unknown', '2023-06': 'unknown', '2023-07': 'unknown', '2023-08': 'not_due',
    });
    const withEvent = buildGrid({ ...never, events: [SUSPENSION] }, now);
    expect(cell(withEvent, '2023-07')).toMatchObject({ state: 'suspended', eventId: SUSPENSION.id });
    expect(cell(withEvent, '2023-06').state).toBe('unknown');
  });

  const backfills: [string, boolean][] = [
    ['2023-08-17T02:00:00Z', false],
    ['2023-08-20T02:00:00Z', false],
    ['2023-08-20T02:00:01Z', true],
    ['2023-09-01T00:00:00Z', true],
  ];

  it.each(backfills)('marks July 2023, known at %s (grace ends 2023-08-20T02:00Z), backfilled: %s', (known, backfilled) => {
    const now = at('2023-09-10T00:00:00Z');
    const july = obs('2023-07', 21.5, { knownAt: at(known), firstSeenAt: at(known) });
    const c = cell(buildGrid(youth(now, { observations: [...youth(now).observations, july] }), now), '2023-07');
    expect(c).toMatchObject({ state: 'disclosed', value: 21.5, firstSeenAt: at(known), marks: { backfilled }, eventId: null });
  });

  it('keeps the event id on a backfilled value that an event had explained', () => {
    const now = at('2024-03-10T00:00:00Z');
    const july = obs('2023-07', 21.5, { knownAt: at('2024-03-01T00:00:00Z'), firstSeenAt: at('2024-03-01T00:00:00Z') });
    const c = cell(buildGrid(youth(now, { events: [SUSPENSION], observations: [...youth(now).observations, july] }), now), '2023-07');
    expect(c).toMatchObject({ state: 'disclosed', marks: { backfilled: true }, eventId: SUSPENSION.id });
  });

  it('keeps the revised mark of a revised observation', () => {
    const now = at('2023-08-01T00:00:00Z');
    const observations = VALUES_2023.map(([p, v]) => obs(p, v, { revised: p === '2023-05' }));
    const grid = buildGrid(youth(now, { observations }), now);
    expect(cell(grid, '2023-05').marks).toEqual({ break: false, revised: true, backfilled: false });
    expect(cell(grid, '2023-06').marks.revised).toBe(false);
  });

  it('marks a withdrawn observation withdrawn and keeps its value', () => {
    const now = at('2023-08-01T00:00:00Z');
    const observations = VALUES_2023.map(([p, v]) => obs(p, v, { withdrawn: p === '2023-06' }));
    expect(cell(buildGrid(youth(now, { observations }), now), '2023-06')).toMatchObject({ state: 'withdrawn', value: 21.3 });
  });

  it('marks a method break on the first period of a method change, once known, and not on a plain resumption', () => {
    const change: EventFact = { id: 'mc', kind: 'method_change', date: '2024-01-17', from: '2023-12', to: null, title: 'Students excluded' };
    const before = at('2024-01-16T00:00:00Z');
    const after = at('2024-01-18T00:00:00Z');
    const facts = newBasis(after, false, { gridFrom: '2023-10', recordFrom: '2023-12', events: [change] });
    expect(buildGrid(facts, before).filter((c) => c.marks.break)).toEqual([]);
    const grid = buildGrid(facts, after);
    expect(grid.filter((c) => c.marks.break).map((c) => c.period)).toEqual(['2023-12']);
    expect(cell(grid, '2023-12')).toMatchObject({ state: 'disclosed', value: 14.9, eventId: null });

    const resumed: EventFact = { ...change, id: 'res', kind: 'resumed' };
    expect(buildGrid({ ...facts, events: [resumed] }, after).filter((c) => c.marks.break)).toEqual([]);
  });

  it('marks January not_expected when January is folded into January-February', () => {
    const now = at('2024-02-20T12:00:00Z');
    expect(states(buildGrid(newBasis(now, true), now))).toEqual({ '2023-12': 'disclosed', '2024-01': 'not_expected', '2024-02': 'not_due' });
    expect(states(buildGrid(newBasis(now, false), now))).toEqual({ '2023-12': 'disclosed', '2024-01': 'missing', '2024-02': 'not_due' });
  });

  it('shows a January value disclosed even when January is folded into January-February', () => {
    const now = at('2024-03-20T00:00:00Z');
    const jan = obs('2024-01', 14.6, { knownAt: FEBRUARY_2024_DUE, firstSeenAt: FEBRUARY_2024_DUE });
    const facts = newBasis(now, true, { observations: [...newBasis(now, true).observations, jan] });
    expect(cell(buildGrid(facts, now), '2024-01')).toMatchObject({ state: 'disclosed', value: 14.6 });
  });

  it('ignores an observation known after now (the as-of view)', () => {
    const july = obs('2023-07', 21.5);
    const facts = (now: number) => youth(now, { observations: [...youth(now).observations, july] });
    const before = at('2023-08-17T01:59:59Z');
    expect(cell(buildGrid(facts(before), before), '2023-07')).toMatchObject({ state: 'not_due', value: null });
    expect(cell(buildGrid(facts(JULY_DUE), JULY_DUE), '2023-07')).toMatchObject({ state: 'disclosed', value: 21.5 });
  });
});

describe('evaluateSeries: the status of the youth series', () => {
  it('calls the series current on 1 August 2023, with the next check at July\'s due instant', () => {
    const now = at('2023-08-01T00:00:00Z');
    const ev = evaluateSeries(youth(now, { events: [SUSPENSION, REPLACED] }), now, LABEL);
    expect(ev).toMatchObject({
      status: 'current', lastDisclosed: '2023-06', darkSince: null, daysOverdue: null, nextCheckAt: JULY_DUE,
      reason: `${LABEL}: June 2023 disclosed`,
    });
    expect(cell(ev.grid, '2023-07').state).toBe('not_due');
  });

  it('marks a monthly series late when its release is past due but within grace, and checks again at grace end', () => {
    const now = at('2023-08-18T00:00:00Z');
    const ev = evaluateSeries(youth(now), now, LABEL);
    expect(ev).toMatchObject({
      status: 'late', lastDisclosed: '2023-06', darkSince: { period: '2023-07', dueAt: JULY_DUE }, daysOverdue: 0,
      nextCheckAt: JULY_GRACE_END,
      reason: `${LABEL}: July 2023 due 2023-08-17, not yet published (within grace)`,
    });
  });

  it('says a period past its grace is delayed, not "within grace", when a reported delay covers it', () => {
    const now = at('2023-09-01T00:00:00Z');
    const delay: EventFact = { id: 'd', kind: 'delayed', date: '2023-08-18', from: '2023-07', to: '2023-07', title: 'July figures delayed' };
    const ev = evaluateSeries(youth(now, { events: [delay] }), now, LABEL);
    expect(ev).toMatchObject({ status: 'late', reason: `${LABEL}: July 2023 due 2023-08-17, not yet published (delayed); July figures delayed (2023-08-18)` });
  });

  it('marks a monthly series overdue one grace period after its expected release', () => {
    const now = at('2023-08-20T12:00:00Z');
    const ev = evaluateSeries(youth(now), now, LABEL);
    expect(ev).toMatchObject({
      status: 'overdue', lastDisclosed: '2023-06', darkSince: { period: '2023-07', dueAt: JULY_DUE }, daysOverdue: 3,
      nextCheckAt: AUGUST_DUE,
      reason: `${LABEL}: July 2023 due by 2023-08-17, not published`,
    });
  });

  const overdueDays: [string, number][] = [
    ['2023-08-20T02:00:00Z', 3],
    ['2023-08-21T01:59:59Z', 3],
    ['2023-08-21T02:00:00Z', 4],
    ['2023-09-16T12:00:00Z', 30],
    ['2023-10-01T00:00:00Z', 44],
  ];

  it.each(overdueDays)('counts whole days overdue from July\'s due instant: as of %s, %i', (now, days) => {
    const ev = evaluateSeries(youth(at(now)), at(now), LABEL);
    expect(ev.status).toBe('overdue');
    expect(ev.darkSince).toEqual({ period: '2023-07', dueAt: JULY_DUE });
    expect(ev.daysOverdue).toBe(days);
  });

  it('calls the series suspended once the suspension is known, citing the event', () => {
    const now = at('2023-08-20T12:00:00Z');
    const ev = evaluateSeries(youth(now, { events: [SUSPENSION] }), now, LABEL);
    expect(ev).toMatchObject({
      status: 'suspended', lastDisclosed: '2023-06', darkSince: { period: '2023-07', dueAt: JULY_DUE }, daysOverdue: 3,
      reason: `${LABEL}: suspended since July 2023 (due 2023-08-17); ${SUSPENSION.title} (2023-08-15)`,
    });
  });

  it('calls the series discontinued on 1 February 2024, dark since July 2023', () => {
    const now = at('2024-02-01T00:00:00Z');
    const ev = evaluateSeries(youth(now, { events: [SUSPENSION, REPLACED] }), now, LABEL);
    expect(ev).toMatchObject({
      // Nothing more is expected from a discontinued series: it is not "overdue" by any number of days.
      status: 'discontinued', lastDisclosed: '2023-06', darkSince: { period: '2023-07', dueAt: JULY_DUE }, daysOverdue: null,
      nextCheckAt: MARCH_2024_DUE, // every period to February is settled by the announcement
      reason: `${LABEL}: discontinued since July 2023 (due 2023-08-17); ${REPLACED.title} (2024-01-17)`,
    });
    expect(cell(ev.grid, '2023-12')).toMatchObject({ state: 'discontinued', dueAt: DECEMBER_DUE });
  });

  it('calls the series overdue when its latest value was withdrawn', () => {
    const now = at('2023-08-01T00:00:00Z');
    const observations = VALUES_2023.map(([p, v]) => obs(p, v, { withdrawn: p === '2023-06' }));
    const ev = evaluateSeries(youth(now, { observations }), now, LABEL);
    expect(ev).toMatchObject({
      status: 'overdue', lastDisclosed: '2023-05', darkSince: { period: '2023-06', dueAt: JUNE_DUE }, daysOverdue: 14,
    });
  });

  it('calls a series unchecked, not current, when a period due after its last value has no record', () => {
    const now = at('2023-08-25T00:00:00Z');
    const ev = evaluateSeries(youth(now, { checkedAt: at('2023-08-10T00:00:00Z') }), now, LABEL);
    expect(ev).toMatchObject({ status: 'unchecked', lastDisclosed: '2023-06', darkSince: null, daysOverdue: null, nextCheckAt: AUGUST_DUE });
    // July was due after the last check and nobody has looked since.
    expect(ev.uncheckedFrom).toBe('2023-07');
    expect(ev.reason).toBe(`${LABEL}: last disclosed June 2023; no record since, and not checked with the publisher`);
  });

  it('calls a series current only when the latest period due is disclosed', () => {
    const now = at('2023-07-20T00:00:00Z'); // June is due on 17 July
    expect(evaluateSeries(youth(now), now, LABEL).status).toBe('current');
  });

  it('has nothing unchecked when the record reaches now', () => {
    const now = at('2023-08-25T00:00:00Z');
    expect(evaluateSeries(youth(now), now, LABEL).uncheckedFrom).toBeNull();
  });

  it('calls a series never checked and without values or events "no record", not "new"', () => {
    const now = at('2023-08-25T00:00:00Z');
    const ev = evaluateSeries(youth(now, { checkedAt: null, observations: [] }), now, LABEL);
    expect(ev).toMatchObject({ status: 'no_record', lastDisclosed: null, darkSince: null, daysOverdue: null, reason: `${LABEL}: no value or event on record` });
  });

  it('calls a paused series paused whatever its grid says', () => {
    const now = at('2023-08-20T12:00:00Z');
    const ev = evaluateSeries(youth(now, { paused: true }), now, LABEL);
    expect(ev.status).toBe('paused');
    expect(ev.reason).toBe(`${LABEL}: paused by a user`);
    expect(cell(ev.grid, '2023-07').state).toBe('missing');
  });

  it('calls a series whose access was cut suspended', () => {
    const now = at('2023-08-25T00:00:00Z');
    const cut: EventFact = { id: 'cut', kind: 'access_cut', date: '2023-08-15', from: '2023-07', to: null, title: 'Portal closed to foreign users' };
    expect(evaluateSeries(youth(now, { events: [cut] }), now, LABEL).status).toBe('suspended');
  });

  it('calls a series with an announced delay late, and schedules no grace check for the delayed period', () => {
    const now = at('2023-08-25T00:00:00Z');
    const delay: EventFact = { id: 'delay', kind: 'delayed', date: '2023-08-15', from: '2023-07', to: '2023-07', title: 'Release postponed' };
    const ev = evaluateSeries(youth(now, { events: [delay] }), now, LABEL);
    expect(ev.status).toBe('late');
    expect(cell(ev.grid, '2023-07')).toMatchObject({ state: 'late', eventId: 'delay' });
    expect(ev.nextCheckAt).toBe(AUGUST_DUE);
  });

  it('does not make a series late for a January folded into January-February', () => {
    const now = at('2024-02-20T12:00:00Z');
    const folded = evaluateSeries(newBasis(now, true), now, LABEL);
    expect(folded).toMatchObject({ status: 'current', lastDisclosed: '2023-12', darkSince: null, nextCheckAt: FEBRUARY_2024_DUE });
    const separate = evaluateSeries(newBasis(now, false), now, LABEL);
    expect(separate).toMatchObject({ status: 'overdue', darkSince: { period: '2024-01', dueAt: JANUARY_2024_DUE } });
  });

  it('schedules the next check at February\'s release when the month in progress is a folded January', () => {
    const now = at('2024-01-20T00:00:00Z');
    const ev = evaluateSeries(newBasis(now, true), now, LABEL);
    expect(states(ev.grid)).toEqual({ '2023-12': 'disclosed', '2024-01': 'not_expected' });
    expect(ev.nextCheckAt).toBe(FEBRUARY_2024_DUE);
  });

  it('schedules the next check at the earliest of the next due instant and a running grace end', () => {
    const now = at('2023-09-18T00:00:00Z');
    // July was published late; August is within its grace; September is not due.
    const july = obs('2023-07', 21.5, { knownAt: at('2023-08-30T00:00:00Z') });
    const ev = evaluateSeries(youth(now, { observations: [...youth(now).observations, july] }), now, LABEL);
    expect(states(ev.grid)).toMatchObject({ '2023-07': 'disclosed', '2023-08': 'late', '2023-09': 'not_due' });
    expect(ev.nextCheckAt).toBe(AUGUST_DUE + 3 * DAY);
  });

  it('uses the publisher zone for the month in progress when the UTC date is still the previous month', () => {
    const now = at('2024-01-31T17:00:00Z'); // already 1 February in Beijing
    const ev = evaluateSeries(youth(now, { events: [SUSPENSION, REPLACED] }), now, LABEL);
    expect(ev.grid.at(-1)!.period).toBe('2024-02');
    expect(ev.nextCheckAt).toBe(MARCH_2024_DUE);
  });
});
