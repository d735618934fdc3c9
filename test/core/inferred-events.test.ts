// The events lacuna infers from a read: a line dropped, an access cut or restored.
import { describe, expect, it } from 'vitest';
import { accessChange, inferEvents, type ReadFacts } from '../../src/core/index.js';

const NOW = Date.parse('2025-01-20T04:00:00Z');
const BASE: ReadFacts = {
  seriesId: 'cn.nbs.industry.value_added_yoy', frequency: 'monthly', gridFrom: '2024-01', publisherName: 'National Bureau of Statistics of China',
  now: NOW, runId: 7, url: 'https://data.stats.gov.cn/easyquery.htm', rawHash: 'ab'.repeat(32),
  valueless: false, listed: null, access: false, newest: { period: '2024-12', value: 6.2, valueText: '6.2' },
  before: { value: 5.4 }, after: { period: '2024-12', firstSeenAt: NOW }, standingLineDropped: null,
};

describe('inferring "line dropped"', () => {
  it('infers it when the indicator is still listed but no period has a value, from the period after the last surviving value', () => {
    const [e] = inferEvents({ ...BASE, valueless: true, newest: null, after: { period: '2023-12', firstSeenAt: NOW - 1 } });
    expect(e).toEqual({
      id: 'cn.nbs.industry.value_added_yoy.inferred.line-dropped.2025-01-20', kind: 'line_dropped', date: '2025-01-20', periodFrom: '2024-01',
      title: 'National Bureau of Statistics of China still lists the indicator but gives no values for it',
      description: 'Inferred by lacuna from fetch run 7: every period in the answer is listed without a value. The archived answer is the evidence.',
      citation: { url: `/raw/${'ab'.repeat(32)}`, title: 'Archived answer of fetch run 7 (https://data.stats.gov.cn/easyquery.htm)' },
    });
  });

  it('starts at grid_from when no value survives, and says so when the catalogue stops listing the indicator', () => {
    const [e] = inferEvents({ ...BASE, listed: false, after: null });
    expect(e).toMatchObject({ periodFrom: '2024-01', title: "National Bureau of Statistics of China's catalogue no longer lists the indicator" });
  });

  it('infers it once per silence: not again while the inferred one stands with no newer value', () => {
    const silent = { ...BASE, valueless: true, newest: null };
    expect(inferEvents({ ...silent, standingLineDropped: { recordedAt: NOW - 1 }, after: { period: '2023-12', firstSeenAt: NOW - 2 } })).toEqual([]);
    expect(inferEvents({ ...silent, standingLineDropped: { recordedAt: NOW - 1 }, after: null })).toEqual([]);
    // A value seen after the standing event: the line came back, and this is a new silence.
    expect(inferEvents({ ...silent, standingLineDropped: { recordedAt: NOW - 10 }, after: { period: '2024-06', firstSeenAt: NOW - 5 } })).toHaveLength(1);
  });

  it('infers nothing from an answer with values', () => {
    expect(inferEvents(BASE)).toEqual([]);
  });
});

describe('inferring access changes', () => {
  const probe = (before: number | null, value: number, valueText: string): ReadFacts => ({
    ...BASE, seriesId: 'cn.cnki.access', frequency: 'daily', access: true, url: 'https://cnki.invalid/yearbooks',
    before: before === null ? null : { value: before }, newest: { period: '2026-11-21', value, valueText },
  });

  it('infers a cut when a served resource refuses, and a restoration when it serves again', () => {
    expect(inferEvents(probe(1, 0, 'HTTP 403'))).toMatchObject([{
      id: 'cn.cnki.access.inferred.access-cut.2026-11-21', kind: 'access_cut', periodFrom: '2026-11-21', title: 'Access check failed: HTTP 403',
      description: 'Inferred by lacuna from fetch run 7 of https://cnki.invalid/yearbooks.',
    }]);
    expect(inferEvents(probe(0, 1, 'available'))).toMatchObject([{ kind: 'access_restored', title: 'Access check succeeded again' }]);
  });

  it('infers nothing at the first probe, without a change, or for a series that is not an access series', () => {
    expect(inferEvents(probe(null, 0, 'HTTP 403'))).toEqual([]);
    expect(inferEvents(probe(0, 0, 'HTTP 403'))).toEqual([]);
    expect(inferEvents({ ...probe(1, 0, 'HTTP 403'), access: false })).toEqual([]);
  });

  it.each([[null, 1, null], [1, 1, null], [0, 0, null], [1, 0, 'access_cut'], [0, 1, 'access_restored']] as const)(
    'accessChange(%s, %s) is %s', (prev, next, kind) => { expect(accessChange(prev, next)).toBe(kind); },
  );
});
