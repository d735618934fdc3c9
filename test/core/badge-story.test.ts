// A series badge's story, read from hand-built grids modelled on real cases: NBS's youth
// unemployment rate (suspended from July 2023, replaced by a basis excluding students from
// December 2023), the land purchase lines dropped from NBS's release, and plain missing months.
import { describe, expect, it } from 'vitest';
import { badgeStory, shortPeriodLabel, type StorySeries } from '../../src/core/badge-story.js';
import { periodRange } from '../../src/core/period.js';
import type { EventKind, Frequency, PeriodCell, PeriodState, SeriesStatus } from '../../src/core/types.js';

/**
 * A grid from a compact spec: [from, to, state, eventId?, marks?] runs, consecutive periods.
 * Due dates do not matter to the story.
 */
type Run = [string, string, PeriodState, string?, Partial<PeriodCell['marks']>?];
function grid(f: Frequency, ...runs: Run[]): PeriodCell[] {
  return runs.flatMap(([from, to, state, eventId, marks]) => periodRange(from, to, f).map((period, i) => ({
    period, state, dueAt: 0, graceEndsAt: 0, value: state === 'disclosed' ? 1 : null, valueText: null, firstSeenAt: null, obsStatus: null,
    // Marks given for a run apply to its first period only (a break starts there).
    marks: { break: false, revised: false, backfilled: false, ...(i === 0 ? marks : {}) },
    eventId: eventId ?? null,
  })));
}

function series(id: string, status: SeriesStatus, cells: PeriodCell[], eventKinds: Record<string, EventKind> = {}, f: Frequency = 'monthly'): StorySeries {
  return { id, frequency: f, status, grid: cells, eventKinds };
}

const KINDS: Record<string, EventKind> = {
  suspension: 'suspension_announced', replaced: 'replaced', dropped: 'line_dropped', stopped: 'discontinued',
  change: 'method_change', cut: 'access_cut',
};

const OLD_BASIS = grid('monthly',
  ['2023-01', '2023-06', 'disclosed'],
  ['2023-07', '2023-11', 'suspended', 'suspension'],
  ['2023-12', '2024-03', 'discontinued', 'replaced'],
);
const EXCL_STUDENTS = series('youth.excl_students', 'current', grid('monthly', ['2023-12', '2024-03', 'disclosed', undefined, { break: true }]), {});

describe('badgeStory', () => {
  it('tells the youth unemployment story: suspended, then resumed by its successor on a new method', () => {
    const story = badgeStory(series('youth.old', 'discontinued', OLD_BASIS, KINDS), EXCL_STUDENTS);
    expect(story.message).toBe('suspended Jul 2023 · resumed Dec 2023 (new method)');
    expect(story.status).toBe('discontinued');
    expect(story.history).toEqual([
      { kind: 'dark', state: 'suspended', eventKind: 'suspension_announced', eventId: 'suspension', from: '2023-07', to: '2023-11', words: 'suspended Jul 2023' },
      { kind: 'resumed', period: '2023-12', seriesId: 'youth.excl_students', methodBreak: true, words: 'resumed Dec 2023 (new method)' },
    ]);
  });

  it.each<[string, StorySeries, StorySeries | null, string]>([
    ['a replaced series whose successor has not disclosed anything yet',
      series('youth.old', 'discontinued', OLD_BASIS, KINDS),
      series('youth.new', 'new', grid('monthly', ['2023-12', '2024-03', 'unknown'])),
      'suspended Jul 2023 · replaced Dec 2023'],
    ['a replaced series with no successor on record', series('youth.old', 'discontinued', OLD_BASIS, KINDS), null,
      'suspended Jul 2023 · replaced Dec 2023'],
    ['a successor on the same method', series('youth.old', 'discontinued', OLD_BASIS, KINDS),
      series('youth.new', 'current', grid('monthly', ['2023-12', '2024-03', 'disclosed'])),
      'suspended Jul 2023 · resumed Dec 2023 (new series)'],
    ['a successor that was published before the series went dark (a proxy, not a resumption)',
      series('youth.old', 'discontinued', OLD_BASIS, KINDS),
      series('youth.new', 'current', grid('monthly', ['2023-01', '2024-03', 'disclosed'])),
      'suspended Jul 2023 · replaced Dec 2023'],
    ['a series replaced outright', series('x', 'discontinued', grid('monthly', ['2023-01', '2023-11', 'disclosed'], ['2023-12', '2024-02', 'discontinued', 'replaced']), KINDS),
      EXCL_STUDENTS, 'replaced Dec 2023 · resumed Dec 2023 (new method)'],
  ])('tells %s', (_what, s, successor, message) => {
    expect(badgeStory(s, successor).message).toBe(message);
  });

  it.each<[string, StorySeries, string]>([
    ['a series that never went dark', series('x', 'current', grid('monthly', ['2023-01', '2023-06', 'disclosed'])), 'current'],
    ['a series on a new method, with no gap', EXCL_STUDENTS, 'current · new method since Dec 2023'],
    ['a series with nothing on record', series('x', 'new', grid('monthly', ['2023-01', '2023-03', 'unknown'])), 'new'],
    ['a series that stopped without a word',
      series('x', 'overdue', grid('monthly', ['2024-01', '2025-02', 'disclosed'], ['2025-03', '2025-06', 'missing'], ['2025-07', '2025-07', 'late'])),
      'missing since Mar 2025'],
    ['a series that came back after missing months',
      series('x', 'current', grid('monthly', ['2019-01', '2019-02', 'disclosed'], ['2019-03', '2019-04', 'missing'], ['2019-05', '2019-06', 'disclosed'])),
      'current · missing Mar 2019 · resumed May 2019'],
    ['a series that came back on a new method after a suspension',
      series('x', 'current', grid('monthly', ['2023-01', '2023-06', 'disclosed'], ['2023-07', '2023-12', 'suspended', 'suspension'],
        ['2024-01', '2024-03', 'disclosed', undefined, { break: true }]), KINDS),
      'current · suspended Jul 2023 · resumed Jan 2024 (new method)'],
    ['lines dropped from a release (NBS land purchase area)',
      series('x', 'discontinued', grid('monthly', ['2019-01', '2022-01', 'disclosed'], ['2022-02', '2023-04', 'discontinued', 'dropped']), KINDS),
      'dropped Feb 2022'],
    ['a series discontinued by the publisher', series('x', 'discontinued', grid('monthly', ['2023-01', '2023-03', 'disclosed'], ['2023-04', '2023-09', 'discontinued', 'stopped']), KINDS),
      'discontinued Apr 2023'],
    ['a discontinued state with no event behind it', series('x', 'discontinued', grid('monthly', ['2023-01', '2023-03', 'disclosed'], ['2023-04', '2023-05', 'discontinued'])),
      'discontinued Apr 2023'],
    ['access cut off', series('x', 'suspended', grid('monthly', ['2023-01', '2023-03', 'disclosed'], ['2023-04', '2023-05', 'access_cut', 'cut']), KINDS),
      'access cut since Apr 2023'],
    ['a paused series that had gone dark',
      series('x', 'paused', grid('monthly', ['2024-01', '2024-02', 'disclosed'], ['2024-03', '2024-04', 'missing'])), 'paused · missing since Mar 2024'],
    ['a quarterly series', series('x', 'overdue', grid('quarterly', ['2022-Q1', '2023-Q2', 'disclosed'], ['2023-Q3', '2023-Q4', 'missing']), {}, 'quarterly'),
      'missing since 2023 Q3'],
    ['an annual series', series('x', 'suspended', grid('annual', ['2015', '2019', 'disclosed'], ['2020', '2021', 'suspended', 'suspension']), KINDS, 'annual'),
      'suspended 2020'],
    ['the latest of several dark spells',
      series('x', 'overdue', grid('monthly', ['2019-01', '2019-01', 'missing'], ['2019-02', '2023-01', 'disclosed'], ['2023-02', '2023-03', 'missing'])),
      'missing since Feb 2023'],
    ['a method break after an old gap, as the latest news',
      series('x', 'current', grid('monthly', ['2019-01', '2019-01', 'missing'], ['2019-02', '2023-12', 'disclosed'], ['2024-01', '2024-02', 'disclosed', undefined, { break: true }])),
      'current · new method since Jan 2024'],
  ])('tells %s', (_what, s, message) => {
    expect(badgeStory(s).message).toBe(message);
  });

  it('keeps one dark spell across a January folded into February', () => {
    const s = series('x', 'suspended', grid('monthly',
      ['2023-10', '2023-11', 'disclosed'], ['2023-12', '2023-12', 'suspended', 'suspension'],
      ['2024-01', '2024-01', 'not_expected'], ['2024-02', '2024-03', 'suspended', 'suspension']), KINDS);
    const story = badgeStory(s);
    expect(story.message).toBe('suspended Dec 2023');
    expect(story.history).toMatchObject([{ kind: 'dark', from: '2023-12', to: '2024-03' }]);
  });

  it('does not claim a resumption when the periods after a gap have no record', () => {
    const s = series('x', 'current', grid('monthly',
      ['2019-01', '2019-02', 'disclosed'], ['2019-03', '2019-03', 'missing'], ['2019-04', '2019-05', 'unknown'], ['2019-06', '2019-07', 'disclosed']));
    const story = badgeStory(s);
    expect(story.message).toBe('current · missing Mar 2019');
    expect(story.history.map((c) => c.kind)).toEqual(['dark']);
  });

  it('splits a dark spell where the wording changes and keeps every spell in the history, oldest first', () => {
    const s = series('x', 'discontinued', grid('monthly',
      ['2018-01', '2018-01', 'disclosed'], ['2018-02', '2018-02', 'missing'], ['2018-03', '2018-03', 'disclosed', undefined, { break: true }],
      ['2018-04', '2018-05', 'suspended', 'suspension'], ['2018-06', '2018-07', 'discontinued', 'stopped']), KINDS);
    const story = badgeStory(s);
    expect(story.message).toBe('suspended Apr 2018 · discontinued Jun 2018');
    expect(story.history.map((c) => c.words)).toEqual([
      'missing Feb 2018', 'resumed Mar 2018 (new method)', 'suspended Apr 2018', 'discontinued Jun 2018',
    ]);
  });
});

describe('shortPeriodLabel', () => {
  it.each<[string, Frequency, string]>([
    ['2023-07', 'monthly', 'Jul 2023'],
    ['2024-02', 'monthly', 'Feb 2024'],
    ['2023-Q3', 'quarterly', '2023 Q3'],
    ['2023', 'annual', '2023'],
    ['2023-W05', 'weekly', '2023-W05'],
    ['2024-02-29', 'daily', '2024-02-29'],
  ])('writes %s (%s) as %s', (p, f, label) => {
    expect(shortPeriodLabel(p, f)).toBe(label);
  });
});
