// The rules every answer meets before lacuna records it, whatever the source kind.
import { describe, expect, it } from 'vitest';
import { comparePeriods, judgeAnswer, mergeCovers, windowAnswer, type AnswerPage, type Covers } from '../../src/core/index.js';

const v = (period: string, value: number | null) => ({ period, value });
const page = (p: Partial<AnswerPage>): AnswerPage => ({ series: [], ...p });
const A020101 = { key: 'A020101', observations: [v('2024-01', null), v('2024-02', null), v('2024-03', 4.5)], covers: { from: '2024-01', to: '2024-03' } };

describe('judgeAnswer', () => {
  it('gives the observations of the series asked for, what they cover, the unit and the gaps', () => {
    expect(judgeAnswer('A020101', [page({ series: [{ ...A020101, unit: '%' }], others: ['A020102'] })])).toEqual({
      ok: true, observations: A020101.observations, covers: { from: '2024-01', to: '2024-03' }, unit: '%', gaps: 2, valueless: false,
    });
  });

  it('calls a series listed without any value valueless', () => {
    const s = { key: 'x', observations: [v('2024-01', null), v('2024-02', null)], covers: 'all' as const };
    expect(judgeAnswer('x', [page({ series: [s] })])).toMatchObject({ ok: true, gaps: 2, valueless: true });
  });

  it('joins the pages of a paged answer, skipping pages without the series', () => {
    const p1 = page({ series: [], others: ['other'] });
    const p2 = page({ series: [{ key: 'x', observations: [v('2024-01', 1)], covers: { from: '2024-01', to: '2024-01' } }] });
    const p3 = page({ series: [{ key: 'x', observations: [v('2024-02', 2)], covers: { from: '2024-02', to: '2024-02' } }] });
    expect(judgeAnswer('x', [p1, p2, p3])).toMatchObject({ ok: true, observations: [v('2024-01', 1), v('2024-02', 2)], covers: { from: '2024-01', to: '2024-02' } });
  });

  const failures: [string, AnswerPage[], string, RegExp][] = [
    ['an answer with nothing in it', [page({})], 'empty', /^the answer is empty: it holds no series and lists no period \(A020101 asked for\)$/],
    ['an empty data list with the periods listed (NBS)', [page({ periods: ['2024-03', '2024-01', '2024-02'] })], 'absent',
      /^the answer does not hold A020101: it holds no series; it lists the periods 2024-01 to 2024-03$/],
    ['an answer about another indicator', [page({ series: [{ ...A020101, key: 'A020102' }], periods: ['2024-01'] })], 'absent',
      /^the answer does not hold A020101: it holds A020102; it lists the periods 2024-01 to 2024-01$/],
    ['another table with many columns', [page({ others: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] })], 'absent', /it holds a, b, c, d, e and 2 more$/],
    ['the series without a single period', [page({ series: [{ key: 'A020101', observations: [], covers: null }] })], 'empty', /holds A020101 without a single period/],
    ['the series twice on one page (a key that matches two)', [page({ series: [A020101, A020101] })], 'config', /holds 2 series under A020101, not one: the source's key must name a single series/],
    ['a period twice across pages', [page({ series: [A020101] }), page({ series: [A020101] })], 'shape', /gives period 2024-01 of A020101 twice/],
  ];
  it.each(failures)('fails on %s', (_what, pages, code, message) => {
    const verdict = judgeAnswer('A020101', pages);
    expect(verdict).toMatchObject({ ok: false, code });
    expect(verdict.ok ? '' : verdict.message).toMatch(message);
  });
});

describe('mergeCovers', () => {
  const table: [string, Covers[], Covers][] = [
    ['a full history', ['all'], 'all'],
    ['a full history among ranges', [{ from: '2020', to: '2021' }, 'all'], 'all'],
    ['two ranges', [{ from: '2022', to: '2023' }, { from: '2020', to: '2021' }], { from: '2020', to: '2023' }],
    ['a page not known to be complete', [{ from: '2020', to: '2021' }, null], null],
    ['nothing', [], null],
  ];
  it.each(table)('merges %s', (_what, all, merged) => {
    expect(mergeCovers(all)).toEqual(merged);
  });
});

describe('windowAnswer', () => {
  // NBS's youth 16-24 indicator: old basis to 2023-06, nothing for 2023-07 to 2023-11, new basis from 2023-12.
  const youth = { key: 'bd6da1ab', observations: [v('2023-05', 20.8), v('2023-06', 21.3), v('2023-07', null), v('2023-11', null), v('2023-12', 14.9), v('2024-01', 14.6)] };
  const judged = (covers: Covers) => {
    const j = judgeAnswer('bd6da1ab', [page({ series: [{ ...youth, covers }] })]);
    if (!j.ok) throw new Error(j.message);
    return j;
  };
  const cmp = (a: string, b: string) => comparePeriods(a, b, 'monthly');

  it('keeps only the periods inside the window, so the successor never records the old basis', () => {
    const w = windowAnswer(judged({ from: '2023-05', to: '2024-01' }), { since: '2023-12', until: null }, cmp);
    expect(w.observations.map((o) => o.period)).toEqual(['2023-12', '2024-01']);
    expect([w.covers, w.gaps, w.valueless]).toEqual([{ from: '2023-12', to: '2024-01' }, 0, false]);
  });

  it('cuts what the answer covers to the window, so nothing outside it is withdrawn', () => {
    const w = windowAnswer(judged({ from: '2023-05', to: '2024-01' }), { since: null, until: '2023-06' }, cmp);
    expect(w.observations.map((o) => o.period)).toEqual(['2023-05', '2023-06']);
    expect(w.covers).toEqual({ from: '2023-05', to: '2023-06' });
  });

  it('closes a full-history answer at the window, and at the answer\'s own last period where the window is open', () => {
    expect(windowAnswer(judged('all'), { since: '2023-12', until: null }, cmp).covers).toEqual({ from: '2023-12', to: '2024-01' });
    expect(windowAnswer(judged('all'), { since: null, until: null }, cmp).covers).toBe('all');
  });

  it('leaves nothing, and nothing valueless, when the answer holds no period of the window', () => {
    const w = windowAnswer(judged({ from: '2023-05', to: '2024-01' }), { since: '2025-01', until: null }, cmp);
    expect([w.observations, w.covers, w.valueless]).toEqual([[], null, false]);
  });

  it('counts the gaps inside the window only', () => {
    const w = windowAnswer(judged({ from: '2023-05', to: '2024-01' }), { since: '2023-07', until: '2023-11' }, cmp);
    expect([w.gaps, w.valueless]).toEqual([2, true]);
  });
});
