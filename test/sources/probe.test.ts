// The availability probe: one observation per probe (1 available, 0 refused) for the period that
// holds ctx.now; the event a change of it means is the core's (test/core/inferred-events.test.ts).
// The pages are built in the tests (no recorded answer of a refusal exists); they carry no
// numbers, only statuses and text.
import { describe, expect, it } from 'vitest';
import { probe, probeRef, type ProbeRef } from '../../src/sources/probe.js';
import { only } from './parsed.js';
import { SourceError } from '../../src/sources/errors.js';
import type { SourceAnswer, SourceContext } from '../../src/sources/types.js';
import type { Frequency } from '../../src/core/index.js';

const URL_ = 'https://data.cnki.net/yearBook/single?nav=统计年鉴';
// 2023-04-01T23:30Z: already 2 April in Beijing, still 1 April in UTC.
const NOW = Date.UTC(2023, 3, 1, 23, 30);
const PAGE = '<html><head><title>中国统计年鉴 - 统计年鉴数据库</title></head><body>统计年鉴</body></html>';
const REFUSAL = '<html><head><title>统计年鉴</title></head><body>This content is not available in your region.</body></html>';

function ref(extra: Record<string, unknown> = {}): ProbeRef {
  return probeRef.parse({ url: URL_, expect_text: '统计年鉴', refuse_text: 'not available in your region', ...extra });
}
function ctx(frequency: Frequency = 'daily', now = NOW, baseUrl = ''): SourceContext {
  return { baseUrl, frequency, from: null, apiKey: null, now };
}
function answer(status: number, text: string, body: Buffer = Buffer.from(text)): SourceAnswer {
  return { url: URL_, status, headers: {}, body, text, receivedAt: NOW, elapsedMs: 120 };
}
/** The probe's one series: the access series under the probed URL. */
const observe = (a: SourceAnswer, r: ProbeRef = ref(), c: SourceContext = ctx()) => only(probe.parse(a, r, c));

describe('probe ref and request', () => {
  it('asks with the method given (GET by default) and takes any status as an answer', () => {
    expect(probe.defaultBaseUrl).toBeNull();
    expect(probe.request(ref(), ctx())).toEqual({ url: URL_, method: 'GET', anyStatus: true });
    expect(probe.request(ref({ method: 'POST' }), ctx()).method).toBe('POST');
  });

  it('sends the headers the ref declares (a Referer some sites require), names in lower case', () => {
    expect(probe.request(ref({ headers: { Referer: 'https://www.szse.cn/' } }), ctx()).headers).toEqual({ referer: 'https://www.szse.cn/' });
    expect(probeRef.safeParse({ url: URL_, headers: { Host: 'elsewhere' } }).success).toBe(false);
  });

  it('sends the request to another origin when the base URL names one (tests, mirrors)', () => {
    const url = probe.request(ref(), ctx('daily', NOW, 'http://127.0.0.1:4000')).url;
    expect(url).toBe(`http://127.0.0.1:4000${new URL(URL_).pathname}${new URL(URL_).search}`);
    expect(probe.request(ref(), ctx('daily', NOW, 'https://data.cnki.net')).url).toBe(URL_);
  });

  it('rejects an unknown key, a non-HTTP URL and an impossible status', () => {
    expect(probeRef.safeParse({ url: URL_, expect: 200 }).success).toBe(false);
    expect(probeRef.safeParse({ url: 'file:///etc/hosts' }).success).toBe(false);
    expect(probeRef.safeParse({ url: URL_, expect_status: 999 }).success).toBe(false);
  });
});

describe('probe verdicts', () => {
  it('records 1, "available", for the expected status with the expected text and no refusal', () => {
    expect(observe(answer(200, PAGE))).toEqual({
      key: URL_, observations: [{ period: '2023-04-01', value: 1, valueText: 'available' }], covers: null,
    });
    expect(probe.key(ref())).toBe(URL_);
    expect(probe.access).toBe(true);
  });

  it.each([403, 451, 302, 404])('records 0, "HTTP %i", for another status, without throwing', (status) => {
    expect(observe(answer(status, PAGE)).observations).toEqual([{ period: '2023-04-01', value: 0, valueText: `HTTP ${status}` }]);
  });

  it('accepts the status the ref expects, such as a redirect', () => {
    const r = ref({ expect_status: 302, expect_text: undefined, refuse_text: undefined });
    expect(observe(answer(302, ''), r).observations[0]).toMatchObject({ value: 1, valueText: 'available' });
    expect(observe(answer(200, PAGE), r).observations[0]).toMatchObject({ value: 0, valueText: 'HTTP 200' });
  });

  it('records 0 when the expected text is absent, quoting it', () => {
    const o = observe(answer(200, '<html><body>登录</body></html>')).observations[0];
    expect(o).toEqual({ period: '2023-04-01', value: 0, valueText: 'expected text "统计年鉴" absent' });
  });

  it('records 0 when the refusal text is present, even beside the expected text, whatever its case', () => {
    expect(observe(answer(200, REFUSAL)).observations[0]).toMatchObject({ value: 0, valueText: 'refusal text present' });
    expect(observe(answer(200, REFUSAL.replace('not available', 'Not Available'))).observations[0]!.value).toBe(0);
  });

  it('reads the text the HTTP layer decoded with the declared charset (GBK here), not the raw bytes', () => {
    // "统计年鉴" in GBK, the charset many Chinese sites still declare.
    const body = Buffer.from('cdb3bcc6c4eabcf8', 'hex');
    const text = new TextDecoder('gbk').decode(body);
    expect(text).toBe('统计年鉴');
    expect(body.toString('utf8')).not.toContain('统计年鉴');
    expect(observe(answer(200, text, body)).observations[0]).toMatchObject({ value: 1, valueText: 'available' });
  });

  it('counts any page as available when the ref expects no text', () => {
    const r = probeRef.parse({ url: URL_ });
    expect(observe(answer(200, ''), r).observations[0]).toMatchObject({ value: 1, valueText: 'available' });
  });

  it.each([500, 503, 429, 408])('raises a transient error for HTTP %i, which says nothing about access', (status) => {
    let error: unknown;
    try {
      observe(answer(status, 'Service Unavailable'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'http', permanent: false, httpStatus: status });
    expect((error as Error).message).toContain(`HTTP ${status}`);
  });
});

describe('probe periods', () => {
  it('dates the observation by the UTC day of ctx.now, then the period of the series holding it', () => {
    const at = (f: Frequency) => observe(answer(200, PAGE), ref(), ctx(f)).observations[0]!.period;
    expect(at('daily')).toBe('2023-04-01');
    expect(at('weekly')).toBe('2023-W13');
    expect(at('monthly')).toBe('2023-04');
    expect(at('quarterly')).toBe('2023-Q2');
    expect(at('annual')).toBe('2023');
    expect(observe(answer(403, ''), ref(), ctx('daily', Date.UTC(2023, 3, 2, 0, 0))).observations[0]!.period).toBe('2023-04-02');
  });
});
