// The NBS plug-in against answers recorded from data.stats.gov.cn (test/fixtures/recorded/nbs).
import { describe, expect, it } from 'vitest';
import { nbs, nbsPeriodCode, nbsRef, parseNbsTree } from '../../src/sources/nbs.js';
import { SourceError } from '../../src/sources/errors.js';
import type { SourceAnswer, SourceContext } from '../../src/sources/types.js';
import { recorded } from '../replay-server.js';
import { judged, only } from './parsed.js';
import type { Frequency } from '../../src/core/index.js';

const text = (file: string) => recorded(`nbs/${file}`).toString('utf8');
const answer = (t: string): SourceAnswer => ({ url: 'x', status: 200, headers: {}, body: Buffer.from(t), text: t, receivedAt: 0, elapsedMs: 1 });
const ctx = (frequency: Frequency = 'monthly', from: string | null = null): SourceContext =>
  ({ baseUrl: 'https://data.stats.gov.cn', frequency, from, apiKey: null, now: Date.parse('2024-03-05T00:00:00Z') });
const ref = (zb: string, db: 'hgyd' | 'hgjd' | 'hgnd' = 'hgyd') => nbsRef.parse({ db, zb });
const thrown = (fn: () => unknown) => { try { fn(); } catch (e) { return e as SourceError; } throw new Error('did not throw'); };

describe('the NBS data portal plug-in', () => {
  it('asks for the indicator and an explicit list of periods by form POST', () => {
    const req = nbs.request(ref('A020101'), ctx('monthly', '2023-11'));
    expect(req).toMatchObject({ url: 'https://data.stats.gov.cn/easyquery.htm', method: 'POST' });
    expect(req.form).toMatchObject({ m: 'QueryData', dbcode: 'hgyd', rowcode: 'zb', colcode: 'sj', wds: '[]' });
    expect(JSON.parse(req.form!.dfwds!)).toEqual([
      { wdcode: 'zb', valuecode: 'A020101' }, { wdcode: 'sj', valuecode: '202311,202312,202401,202402,202403' },
    ]);
  });

  it('writes quarters the NBS way (A to D)', () => {
    expect(nbsPeriodCode('2019-Q2', 'quarterly')).toBe('2019B');
    expect(nbsPeriodCode('2019-Q4', 'quarterly')).toBe('2019D');
    expect(nbsPeriodCode('2019-06', 'monthly')).toBe('201906');
  });

  it('reads strdata as published, hasdata:false as a gap (not zero), the unit and the window covered', () => {
    const page = only(nbs.parse(answer(text('cnstats-vcr-hgyd-A020101-2024.body.json')), ref('A020101'), ctx()));
    expect(page.key).toBe('A020101');
    expect(page.observations.slice(0, 3)).toEqual([
      { period: '2024-01', value: null, valueText: '' },
      { period: '2024-02', value: null, valueText: '' },
      { period: '2024-03', value: 4.5, valueText: '4.5' },
    ]);
    expect(page.observations.at(-1)).toEqual({ period: '2024-12', value: 6.2, valueText: '6.2' });
    expect(page).toMatchObject({ unit: '%', covers: { from: '2024-01', to: '2024-12' } });
  });

  it('keeps the published decimals of a large value (M2, 亿元)', () => {
    const page = only(nbs.parse(answer(text('cnstats-vcr-hgyd-A0D0101-202112-202201.body.json')), ref('A0D0101'), ctx()));
    expect(page.observations).toEqual([
      { period: '2021-12', value: 2382899.56, valueText: '2382899.56' },
      { period: '2022-01', value: 2431022.72, valueText: '2431022.72' },
    ]);
    expect(page.unit).toBe('亿元');
  });

  it('reads a national answer that ignored a region filter', () => {
    const page = only(nbs.parse(answer(text('cnstats-vcr-hgyd-A020101-202312-with-reg-wds.body.json')), ref('A020101'), ctx()));
    expect(page.observations).toEqual([{ period: '2023-12', value: 6.8, valueText: '6.8' }]);
  });

  it('reads an empty datanodes list as an answer without the indicator, which the runner refuses as absent', () => {
    const r = ref('A01010101', 'hgnd');
    const page = nbs.parse(answer(text('cnstats-vcr-csnd-rowcode-reg-empty-datanodes.body.json')), r, ctx('annual'));
    // The indicator node itself is null in this answer; only the periods are listed.
    expect(page).toEqual({ series: [], others: [], periods: ['2021', '2022', '2023', '2024', '2025'] });
    expect(judged(nbs, r, page)).toEqual({
      ok: false, code: 'absent', message: 'the answer does not hold A01010101: it holds no series; it lists the periods 2021 to 2025',
    });
  });

  it('names the indicator an answer holds instead of the one asked for', () => {
    const other = text('cnstats-vcr-hgyd-A020101-2024.body.json').replaceAll('A020101', 'A020102');
    const page = nbs.parse(answer(other), ref('A020101'), ctx());
    expect(page.series).toEqual([]);
    expect(page.others).toEqual(['A020102']);
    expect(judged(nbs, ref('A020101'), page)).toMatchObject({ ok: false, code: 'absent', message: expect.stringMatching(/holds A020102; it lists the periods 2024-01 to 2024-12$/) });
  });

  it('gives every listed period of an indicator that lost all its values, which the runner judges valueless', () => {
    const doc = JSON.parse(text('cnstats-vcr-hgyd-A020101-2024.body.json'));
    for (const n of doc.returndata.datanodes) n.data = { data: 0, dotcount: 1, hasdata: false, strdata: '' };
    const page = nbs.parse(answer(JSON.stringify(doc)), ref('A020101'), ctx());
    expect(only(page).observations.every((o) => o.value === null)).toBe(true);
    expect(judged(nbs, ref('A020101'), page)).toMatchObject({ ok: true, gaps: 12, valueless: true, covers: { from: '2024-01', to: '2024-12' } });
  });

  it('raises the portal\'s own error (HTTP 200, returncode 501) with its message', () => {
    const e = thrown(() => nbs.parse(answer(text('cnstats-vcr-hgyd-invalid-zb-returncode-501.body.json')), ref('INVALID'), ctx()));
    expect(e).toMatchObject({ code: 'publisher_error', permanent: true });
    expect(e.message).toBe('NBS INVALID: returncode 501: 对不起，未能找到符合查询条件的信息。');
  });

  it('refuses a period code of the wrong frequency and a database that does not match the series', () => {
    const monthlyAnswer = text('cnstats-vcr-hgyd-A020101-2024.body.json');
    expect(thrown(() => nbs.parse(answer(monthlyAnswer), ref('A020101'), ctx('quarterly')))).toMatchObject({ code: 'config', message: expect.stringMatching(/hgyd is monthly but the series is quarterly/) });
    const asQuarterly = monthlyAnswer.replace(/"202412"/g, '"2024X"');
    expect(thrown(() => nbs.parse(answer(asQuarterly), ref('A020101'), ctx())).message).toMatch(/period code "2024X" is not monthly/);
  });

  it('lists the indicators of a catalogue node (m=getTree)', () => {
    const ids = parseNbsTree(answer(text('cnstats-vcr-getTree-hgyd-A0101.body.json')));
    expect(ids).toHaveLength(21);
    expect(ids.slice(0, 3)).toEqual(['A01010J', 'A01010G', 'A010101']);
    expect(nbs.listing!.contains(answer(text('cnstats-vcr-getTree-hgyd-A0101.body.json')), nbsRef.parse({ db: 'hgyd', zb: 'A010101', parent: 'A0101' }))).toBe(true);
    expect(nbs.listing!.request(ref('A010101'), ctx())).toBeNull();
    expect(thrown(() => parseNbsTree(answer('{"returncode":200}'))).code).toBe('shape');
  });
});
