// The new NBS data portal (data.stats.gov.cn/dg) against its real recorded answers
// (test/fixtures/recorded/nbs-dg: Logoutx/china-consumer-data-dashboard's archive of 17 September
// 2026). Each archive file wraps the portal's answer with the request that brought it; the tests
// serve `response` re-serialised as JSON (the bytes differ from the wire, the content does not).
import { describe, expect, it } from 'vitest';
import { GDP, INDUSTRY_TABLE, UNEMPLOYMENT_TABLE, YOUTH, type Archived } from './nbs-dg-recorded.js';
import { nbsDg, nbsDgCode, type NbsDgRef } from '../../src/sources/nbs-dg.js';
import { failure, judged, only } from './parsed.js';
import type { SourceAnswer, SourceContext, SourceRequest } from '../../src/sources/types.js';
import type { Frequency } from '../../src/core/index.js';

const BASE = 'https://data.stats.gov.cn';
const NOW = Date.parse('2026-09-17T09:23:19Z');
const ref = (r: Record<string, unknown>): NbsDgRef => nbsDg.ref.parse(r);
const YOUTH_REF = ref({ cid: 'ee3b7046b390415b9b7745e3d16f6052', indicator: 'bd6da1abb26046c2acb38aa701d90e86', root: 'e69d8b62991649d4b278e0445bcc0cd0' });
const ctx = (frequency: Frequency = 'monthly', from: string | null = '2026-07'): SourceContext => ({ baseUrl: BASE, frequency, from, apiKey: null, now: NOW });
/** The recorded answer with the request that brought it (the reader hands both to parse). */
const answer = (a: Archived, request?: SourceRequest): SourceAnswer => {
  const text = JSON.stringify(a.response);
  return {
    url: a.url, status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(text), text, receivedAt: NOW, elapsedMs: 1,
    request: request ?? { url: a.url, method: 'POST', json: a.request },
  };
};


describe('nbs_dg period codes and requests', () => {
  it.each([
    ['2026-07', 'monthly', '202607MM'], ['2026-Q2', 'quarterly', '202602SS'], ['2023', 'annual', '2023YY'],
  ] as const)('writes %s (%s) as %s', (p, f, code) => expect(nbsDgCode(p, f)).toBe(code));

  it('asks for the values of an indicator given by id, as the portal\'s client does: the JSON body of the recorded request', () => {
    const r = nbsDg.request(YOUTH_REF, ctx());
    expect(r).toMatchObject({ url: `${BASE}/dg/website/publicrelease/web/external/getEsDataByIndicatorIdAndDa`, method: 'POST', json: YOUTH.request });
  });

  it('asks an indicator given by name in the table\'s own catalogue first', () => {
    const r = nbsDg.request(ref({ cid: 'ee3b7046b390415b9b7745e3d16f6052', indicator_name: '全国城镇25—29岁劳动力失业率', root: 'fc982599aa684be7969d7b90b1bd0e84' }), ctx());
    expect(r.url).toBe(`${BASE}/dg/website/publicrelease/web/external/new/queryIndicatorsByCid?cid=ee3b7046b390415b9b7745e3d16f6052`);
  });

  it('refuses a block naming no indicator', () => {
    expect(nbsDg.ref.safeParse({ cid: 'ee3b7046b390415b9b7745e3d16f6052', root: 'fc982599aa684be7969d7b90b1bd0e84' }).success).toBe(false);
  });
});

describe('nbs_dg answers', () => {
  it('reads the youth 16-24 rate: July and August 2026, September listed without a value (a gap, not a zero)', () => {
    const s = only(nbsDg.parse(answer(YOUTH), YOUTH_REF, ctx()));
    expect(s.key).toBe('bd6da1abb26046c2acb38aa701d90e86');
    expect(s.observations).toEqual([
      { period: '2026-07', value: 17.9, valueText: '17.9' }, { period: '2026-08', value: 18.9, valueText: '18.9' }, { period: '2026-09', value: null, valueText: '' },
    ]);
    expect(s.covers).toEqual({ from: '2026-07', to: '2026-09' });
  });

  it('turns the GDP index (previous year = 100) into growth with offset -100, keeping the publisher\'s decimals', () => {
    const r = ref({ cid: 'f9b694c9b79e4ce5958bc88c6410fa67', indicator: '170e7f00f8c24ede863c0526b42ae81f', root: '1b1ce0cfd03646dc9e15103ea4c570f6', offset: -100 });
    const s = only(nbsDg.parse(answer(GDP), r, ctx('quarterly', '2026-Q1')));
    expect(s.observations).toEqual([
      { period: '2026-Q1', value: 5, valueText: '5.0' }, { period: '2026-Q2', value: 4.3, valueText: '4.3' }, { period: '2026-Q3', value: null, valueText: '' },
    ]);
  });

  it('resolves an indicator by the name the table lists, and asks for its values next', () => {
    const r = ref({ cid: 'ee3b7046b390415b9b7745e3d16f6052', indicator_name: '全国城镇30—59岁劳动力失业率', root: 'e69d8b62991649d4b278e0445bcc0cd0' });
    const page = nbsDg.parse(answer(UNEMPLOYMENT_TABLE), r, ctx());
    expect(page.series).toEqual([]);
    expect(page.next).toMatchObject({ method: 'POST', json: { cid: 'ee3b7046b390415b9b7745e3d16f6052', id: 'c03a36c9562246b6bc8aab010951ef1c', dts: ['202607MM', '202608MM', '202609MM'] } });
  });

  it('fails as misconfigured, naming what it looked for and what the table lists, when the name is not in the catalogue', () => {
    const r = ref({ cid: 'ee3b7046b390415b9b7745e3d16f6052', indicator_name: '全国城镇25—34岁劳动力失业率', root: 'e69d8b62991649d4b278e0445bcc0cd0' });
    const e = failure(() => nbsDg.parse(answer(UNEMPLOYMENT_TABLE), r, ctx()));
    expect(e.code).toBe('config');
    expect(e.message).toContain('lists no indicator named "全国城镇25—34岁劳动力失业率"');
    expect(e.message).toContain('全国城镇25—29岁劳动力失业率 (%) (7bc1bd5daeac48ae8bb413c34ece1d08)');
  });

  it('fails as misconfigured when the id and the name given disagree', () => {
    const r = ref({ cid: 'ee3b7046b390415b9b7745e3d16f6052', indicator: '3888eac6062945a79c8a27e5f13d4953', indicator_name: '全国城镇16—24岁劳动力失业率', root: 'e69d8b62991649d4b278e0445bcc0cd0' });
    const e = failure(() => nbsDg.parse(answer(UNEMPLOYMENT_TABLE), r, ctx()));
    expect(e.message).toBe('NBS portal table ee3b7046b390415b9b7745e3d16f6052 lists 3888eac6062945a79c8a27e5f13d4953 as "全国城镇调查失业率 (%)", not "全国城镇16—24岁劳动力失业率"');
  });

  it('checks that the table still lists an indicator given by id', () => {
    const iva = ref({ cid: '3f2e14f0542348ed9fe02476eca3450b', indicator: 'ef1b1765960d45a29b4d7c4ca91be916', root: 'f484811113a5470892cb52b00c2b35c2' });
    expect(nbsDg.listing!.request(iva, ctx())!.url).toContain('queryIndicatorsByCid?cid=3f2e14f0542348ed9fe02476eca3450b');
    expect(nbsDg.listing!.contains(answer(INDUSTRY_TABLE), iva)).toBe(true);
    expect(nbsDg.listing!.contains(answer(INDUSTRY_TABLE), { ...iva, indicator: '3888eac6062945a79c8a27e5f13d4953' })).toBe(false);
  });

  it('says a monthly table answered with quarterly codes is the catalogue\'s mistake (config)', () => {
    expect(failure(() => nbsDg.parse(answer(GDP), YOUTH_REF, ctx('monthly'))).code).toBe('config');
  });

  it('passes on the portal\'s own error (success: false) as the publisher\'s', () => {
    // The recorded envelope, edited to the failure the portal's clients test for.
    const a = answer({ ...YOUTH, response: { ...(YOUTH.response as object), success: false, state: 50000, message: '系统异常', data: null } });
    const e = failure(() => nbsDg.parse(a, YOUTH_REF, ctx()));
    expect([e.code, e.message]).toEqual(['publisher_error', 'NBS portal indicator bd6da1abb26046c2acb38aa701d90e86 (table ee3b7046b390415b9b7745e3d16f6052): 系统异常 (state 50000)']);
  });

  it('calls an unknown id\'s answer (success, no data) empty, so the runner fails it as misconfigured', () => {
    // Public clients note that "unknown IDs ... come back as success: true with empty data".
    const a = answer({ ...YOUTH, response: { ...(YOUTH.response as object), data: [] } });
    expect(judged(nbsDg, YOUTH_REF, nbsDg.parse(a, YOUTH_REF, ctx()))).toMatchObject({ ok: false, code: 'empty' });
  });

  it('calls an HTML page (the firewall\'s challenge) malformed, not data', () => {
    const a = { ...answer(YOUTH), text: '<html><script>var wzwschallenge="x";</script></html>' };
    expect(failure(() => nbsDg.parse(a, YOUTH_REF, ctx())).code).toBe('malformed');
  });

  it('pages a long history in requests of 36 periods', () => {
    const first = nbsDg.request(YOUTH_REF, ctx('monthly', '2023-12'));
    const dts = (first.json as { dts: string[] }).dts;
    expect([dts.length, dts[0], dts.at(-1)]).toEqual([34, '202312MM', '202609MM']);
    const long = nbsDg.request(YOUTH_REF, ctx('monthly', '2018-01'));
    expect((long.json as { dts: string[] }).dts).toHaveLength(36);
    const next = nbsDg.parse(answer(YOUTH, long), YOUTH_REF, ctx('monthly', '2018-01')).next!;
    expect((next.json as { dts: string[] }).dts[0]).toBe('202101MM');
  });
});
