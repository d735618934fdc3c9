// The rules every answer meets before lacuna records it, whatever the source kind.
import { describe, expect, it } from 'vitest';
import { judgeAnswer, mergeCovers, type AnswerPage, type Covers } from '../../src/core/index.js';

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
