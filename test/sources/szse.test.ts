// The SZSE report plug-in against real recorded answers (test/fixtures/recorded/szse): 深股通交易日报
// (SGT_SGTJYRB) for 2026-08-04, and the same report asked for 2026-08-05 before it was published.
import { describe, expect, it } from 'vitest';
import { recorded } from '../replay-server.js';
import { szse, szseRef, type SzseRef } from '../../src/sources/szse.js';
import { failure, judged, only } from './parsed.js';
import type { SourceAnswer, SourceContext } from '../../src/sources/types.js';
import type { Frequency } from '../../src/core/index.js';

const DAY_TEXT = recorded('szse/worldmonitor-szse-SGT_SGTJYRB-20260804.json').toString('utf8');
const UNPUBLISHED = recorded('szse/worldmonitor-szse-SGT_SGTJYRB-20260805-unpublished.json').toString('utf8');
const TURNOVER = '当日交易总额（亿元人民币）';
const REF: SzseRef = szseRef.parse({ catalog: 'SGT_SGTJYRB', label: TURNOVER });
const BASE = 'https://www.szse.cn';
// 10:00 in Beijing on Wednesday 5 August 2026 (02:00 UTC).
const NOW = Date.parse('2026-08-05T02:00:00Z');
const ctx = (frequency: Frequency = 'daily', now = NOW): SourceContext => ({ baseUrl: BASE, frequency, from: null, apiKey: null, now });
const urlFor = (day: string) => `${BASE}/api/report/ShowReport/data?SHOWTYPE=JSON&CATALOGID=SGT_SGTJYRB&TABKEY=tab1&txtDate=${day}`;
const answer = (text: string, day: string): SourceAnswer =>
  ({ url: urlFor(day), status: 200, headers: {}, body: Buffer.from(text), text, receivedAt: NOW, elapsedMs: 1 });
const parse = (text: string, day: string, r: SzseRef = REF, c: SourceContext = ctx()) => szse.parse(answer(text, day), r, c);

describe('szse ref and request', () => {
  it("asks for today's report in Beijing, with the exchange's Referer", () => {
    expect(szse.request(REF, ctx())).toEqual({ url: urlFor('2026-08-05'), headers: { referer: 'https://www.szse.cn/' } });
    // 23:30 UTC on 4 August is already 5 August in Beijing.
    expect(szse.request(REF, ctx('daily', Date.parse('2026-08-04T23:30:00Z'))).url).toBe(urlFor('2026-08-05'));
  });

  it('defaults the tab, the value column and the lookback, and refuses a catalogue id with URL syntax', () => {
    expect(REF).toEqual({ catalog: 'SGT_SGTJYRB', tab: 'tab1', label: TURNOVER, column: 'total', lookback_days: 14 });
    expect(szseRef.safeParse({ catalog: 'SGT_SGTJYRB&TABKEY=tab2', label: TURNOVER }).success).toBe(false);
    expect(szseRef.safeParse({ catalog: 'SGT_SGTJYRB', label: TURNOVER, lookback_days: 90 }).success).toBe(false);
  });
});

describe('szse answers', () => {
  it("reads the labelled row's total for the day the report names, covering that day only", () => {
    const page = parse(DAY_TEXT, '2026-08-04');
    expect(only(page)).toEqual({
      key: TURNOVER, observations: [{ period: '2026-08-04', value: 1609.09, valueText: '1,609.09' }], covers: { from: '2026-08-04', to: '2026-08-04' },
    });
    expect(page.others).toEqual(['当日交易总笔数（万笔）', '当日ETF交易总额（亿元人民币）']);
  });

  it('asks for the day before when the day is not published yet, and fails as empty once the lookback is spent', () => {
    expect(parse(UNPUBLISHED, '2026-08-05')).toEqual({ series: [], next: { url: urlFor('2026-08-04'), headers: { referer: 'https://www.szse.cn/' } } });
    const short = szseRef.parse({ catalog: 'SGT_SGTJYRB', label: TURNOVER, lookback_days: 1 });
    const e = failure(() => parse(UNPUBLISHED, '2026-08-05', short));
    expect([e.code, e.message]).toEqual(['empty', 'SZSE SGT_SGTJYRB: no day published from 2026-08-05 to 2026-08-05']);
  });

  it('names the rows there are when the label is not among them, which the runner refuses as absent', () => {
    const r = szseRef.parse({ catalog: 'SGT_SGTJYRB', label: '当日买入成交额（亿元人民币）' });
    expect(judged(szse, r, parse(DAY_TEXT, '2026-08-04', r))).toEqual({
      ok: false, code: 'absent',
      message: 'the answer does not hold 当日买入成交额（亿元人民币）: it holds 当日交易总额（亿元人民币）, 当日交易总笔数（万笔）, 当日ETF交易总额（亿元人民币）',
    });
  });

  it('reports the error the exchange gives (an edited copy of the recorded answer with its error field set)', () => {
    const edited = DAY_TEXT.replace('"error":null', '"error":"查询日期格式不正确"');
    expect(edited).not.toBe(DAY_TEXT);
    const e = failure(() => parse(edited, '2026-08-04'));
    expect([e.code, e.message]).toEqual(['publisher_error', 'SZSE SGT_SGTJYRB: "查询日期格式不正确"']);
  });

  it('answers for another report are not the series asked for', () => {
    const r = szseRef.parse({ catalog: '1837_xxpl', label: TURNOVER });
    expect(judged(szse, r, parse(DAY_TEXT, '2026-08-04', r))).toEqual({ ok: false, code: 'absent', message: `the answer does not hold ${TURNOVER}: it holds report SGT_SGTJYRB` });
  });

  it('fails on an HTML page, a truncated answer, an empty body and a series that is not daily', () => {
    const html = failure(() => parse('<!DOCTYPE html><html><body>访问被拒绝</body></html>', '2026-08-04'));
    expect([html.code, /\(an HTML page\)/.test(html.message)]).toEqual(['malformed', true]);
    expect(failure(() => parse(DAY_TEXT.slice(0, DAY_TEXT.length / 2), '2026-08-04')).code).toBe('malformed');
    expect(failure(() => parse('', '2026-08-04')).code).toBe('malformed');
    expect(failure(() => parse(DAY_TEXT, '2026-08-04', REF, ctx('monthly'))).code).toBe('config');
  });
});
