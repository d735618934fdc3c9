// NBS's combined January-February release on the dates NBS really published it. Each year's
// February is given its sourced release date (the rule's 10:00 Beijing time is the catalogue's
// estimate, not sourced); January, February and March are then judged just before the release,
// just after it, and past the grace, for a series whose February figure carries January-February
// (`janFebCombined: true`, year to date) and one whose combined figure is neither month's
// (`'both'`, monthly growth such as industrial value added).
import { describe, expect, it } from 'vitest';
import { buildGrid, dueAt, type PeriodState, type ReleaseRule, type SeriesFacts } from '../../src/core/index.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Release dates of NBS's January-February national economy figures, each with where it is reported. */
const RELEASES: [year: number, date: string, source: string][] = [
  // NBS, "Overall National Economy Maintained Stable in the First Two Months", dated 14 March 2019:
  // https://www.marketscreener.com/news/National-Bureau-of-Statistics-of-China-Overall-National-Economy-Maintained-Stable-in-the-First-Two--28161710/
  [2019, '2019-03-14', 'marketscreener copy of the NBS release'],
  // "the country's national statistics office said on Monday" (16 March 2020), EFE:
  // https://www.laprensalatina.com/chinas-30-year-low-industrial-production-falls-13-5-over-covid-19/
  [2020, '2020-03-16', 'EFE, Beijing, 16 March 2020'],
  // SCIO press conference on the January-February 2021 economy, 15 March 2021:
  // http://english.scio.gov.cn/pressroom/2021-03/15/content_77310134.htm
  [2021, '2021-03-15', 'SCIO press room, 15 March 2021'],
  // "official data showed Tuesday", published 15 March 2022:
  // https://www.urdupoint.com/en/miscellaneous/chinas-industrial-output-up-75-pct-in-first-1483560.html
  [2022, '2022-03-15', 'UrduPoint (Xinhua), 15 March 2022'],
  // "data from the National Bureau of Statistics (NBS) showed Wednesday", 15 March 2023:
  // http://ecns.cn/news/2023-03-15/detail-ihcmpfii8997094.shtml
  [2023, '2023-03-15', 'ecns.cn (Xinhua), 15 March 2023'],
  // "official data showed Monday", published 18 March 2024:
  // https://www.urdupoint.com/en/world/chinas-industrial-output-accelerates-pace-in-1806318.html
  [2024, '2024-03-18', 'UrduPoint (APP), 18 March 2024'],
  // "BEIJING, March 17 (Xinhua) ... official data showed on Monday":
  // http://en.people.cn/n3/2025/0317/c90000-20290303.html
  [2025, '2025-03-17', "People's Daily Online (Xinhua), 17 March 2025"],
];

function rule(year: number, date: string, janFebCombined: ReleaseRule['janFebCombined']): ReleaseRule {
  return { lagDays: 17, time: '10:00', timeZone: 'Asia/Shanghai', graceDays: 7, janFebCombined, calendar: { [`${year}-02`]: date } };
}

/** January to March of `year`, nothing on record, checked at `now`, judged at `now`. */
function states(year: number, r: ReleaseRule, now: number, values: string[] = []): PeriodState[] {
  const facts: SeriesFacts = {
    frequency: 'monthly', release: r, gridFrom: `${year}-01`, recordFrom: `${year}-01`, checkedAt: now, paused: false,
    observations: values.map((period) => ({
      period, value: 1, valueText: '1', firstSeenAt: now, knownAt: now, revised: false, withdrawn: false,
    })),
    events: [],
  };
  return buildGrid(facts, now).slice(0, 3).map((c) => c.state);
}

/** 10:00 Beijing time (02:00 UTC) on a local date. */
const releaseInstant = (date: string) => Date.parse(`${date}T02:00:00Z`);

describe.each(RELEASES)('the combined January-February release of %i (%s, %s)', (year, date, _source) => {
  const release = releaseInstant(date);
  const before = release - MINUTE;
  const after = release + MINUTE;
  const pastGrace = release + 7 * DAY + MINUTE;

  it('is when January and February are both due, under either form of the rule', () => {
    for (const form of [true, 'both'] as const) {
      expect(dueAt(`${year}-01`, 'monthly', rule(year, date, form))).toBe(release);
      expect(dueAt(`${year}-02`, 'monthly', rule(year, date, form))).toBe(release);
    }
  });

  it('leaves January and February of a growth series (both) not expected before, after and past grace, March not due', () => {
    const r = rule(year, date, 'both');
    expect(states(year, r, before)).toEqual(['not_expected', 'not_expected', 'not_due']);
    expect(states(year, r, after)).toEqual(['not_expected', 'not_expected', 'not_due']);
    expect(states(year, r, pastGrace)).toEqual(['not_expected', 'not_expected', 'not_due']);
  });

  it('owes February of a year-to-date series (true) from the release: not due, then late, then missing; January never', () => {
    const r = rule(year, date, true);
    expect(states(year, r, before)).toEqual(['not_expected', 'not_due', 'not_due']);
    expect(states(year, r, after)).toEqual(['not_expected', 'late', 'not_due']);
    expect(states(year, r, pastGrace)).toEqual(['not_expected', 'missing', 'not_due']);
  });

  it('still shows a value on record for a month that is not expected on its own', () => {
    expect(states(year, rule(year, date, 'both'), after, [`${year}-02`])).toEqual(['not_expected', 'disclosed', 'not_due']);
    expect(states(year, rule(year, date, true), after, [`${year}-01`, `${year}-02`])).toEqual(['disclosed', 'disclosed', 'not_due']);
  });
});
