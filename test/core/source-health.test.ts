// A publisher's source health from its recent fetch runs: each run classified by what it ended
// with, and the publisher judged from the streak of failures since it last answered.
import { describe, expect, it } from 'vitest';
import { blockedPage, classifyRun, healthChange, judgeHealth, type PublisherHealth, type RunFact, type RunVerdict } from '../../src/core/index.js';

const failed = (seriesId: string, errorCode: string, httpStatus: number | null = null): RunFact =>
  ({ seriesId, outcome: 'failed', errorCode, httpStatus, error: `${seriesId}: ${errorCode}${httpStatus ? ` ${httpStatus}` : ''}` });
const ok = (seriesId: string): RunFact => ({ seriesId, outcome: 'ok', errorCode: null, httpStatus: null, error: null });

describe('classifyRun', () => {
  const table: [string, RunFact, RunVerdict][] = [
    ['a read', ok('a'), 'answered'],
    ['an unchanged answer', { ...ok('a'), outcome: 'no_change' }, 'answered'],
    ['NBS returncode 501', failed('a', 'publisher_error'), 'series_error'],
    ['an answer without the series', failed('a', 'absent'), 'series_error'],
    ['an answer holding nothing', failed('a', 'empty'), 'series_error'],
    ['a bad source block or a missing key', failed('a', 'config'), 'series_error'],
    ['an answer over the size cap', failed('a', 'too_large'), 'series_error'],
    ['HTTP 404', failed('a', 'http', 404), 'series_error'],
    ['HTTP 400', failed('a', 'http', 400), 'series_error'],
    ['HTTP 403', failed('a', 'http', 403), 'blocked'],
    ['HTTP 451', failed('a', 'http', 451), 'blocked'],
    ['a captcha page', failed('a', 'blocked', 200), 'blocked'],
    ['HTTP 503', failed('a', 'http', 503), 'failing'],
    ['HTTP 500', failed('a', 'http', 500), 'failing'],
    ['HTTP 408', failed('a', 'http', 408), 'failing'],
    ['HTTP 429', failed('a', 'http', 429), 'failing'],
    ['an unreachable host', failed('a', 'unreachable'), 'failing'],
    ['a timeout', failed('a', 'timeout'), 'failing'],
    ['an HTML error page', failed('a', 'malformed'), 'failing'],
    ['an unknown shape', failed('a', 'shape'), 'failing'],
    ["lacuna's own error", failed('a', 'internal'), 'skipped'],
    ['a run a killed process left (no code)', { ...failed('a', 'x'), errorCode: null }, 'skipped'],
    ['a run still going', { ...ok('a'), outcome: null }, 'skipped'],
  ];
  it.each(table)('classifies %s', (_what, run, verdict) => {
    expect(classifyRun(run)).toBe(verdict);
  });
});

describe('judgeHealth', () => {
  // Runs are listed oldest first here for reading, and reversed for the function.
  const table: [string, RunFact[], number, PublisherHealth, PublisherHealth][] = [
    ['no runs', [], 3, 'ok', 'ok'],
    ['one series answering 501 among good ones, three passes', [
      ok('a'), failed('b', 'publisher_error'), ok('c'), ok('a'), failed('b', 'publisher_error'), ok('c'), ok('a'), failed('b', 'publisher_error'), ok('c'),
    ], 3, 'ok', 'ok'],
    ['the 501 series fetched last', [ok('a'), ok('c'), failed('b', 'publisher_error')], 3, 'ok', 'ok'],
    ['one 503', [ok('a'), failed('b', 'http', 503)], 3, 'ok', 'ok'],
    ['two 503s of one series while the publisher has three', [failed('a', 'http', 503), failed('a', 'http', 503)], 3, 'ok', 'ok'],
    ['two 503s of two series', [failed('a', 'http', 503), failed('b', 'http', 503)], 3, 'ok', 'failing'],
    ['two timeouts of the only fetched series', [failed('a', 'timeout'), failed('a', 'timeout')], 1, 'ok', 'failing'],
    ['an outage of every series', [failed('a', 'unreachable'), failed('b', 'unreachable'), failed('c', 'unreachable')], 3, 'ok', 'failing'],
    ['an outage, then one answer', [failed('a', 'unreachable'), failed('b', 'unreachable'), ok('c')], 3, 'failing', 'ok'],
    ['an outage, then a series-level error (the publisher answered)', [failed('a', 'unreachable'), failed('b', 'unreachable'), failed('c', 'absent')], 3, 'failing', 'ok'],
    ['failing every other request', [failed('a', 'http', 503), ok('b'), failed('c', 'http', 503), ok('a'), failed('b', 'http', 503)], 3, 'ok', 'ok'],
    ['one failure after an outage was declared (the window cut the rest)', [failed('a', 'timeout')], 3, 'failing', 'failing'],
    ["lacuna's own errors between two failures do not break the streak", [failed('a', 'timeout'), failed('b', 'internal'), failed('c', 'timeout')], 3, 'ok', 'failing'],
    ['403 on two series', [failed('a', 'http', 403), failed('b', 'http', 403)], 3, 'ok', 'blocked'],
    ['a captcha page, then a 403', [failed('a', 'blocked', 200), failed('b', 'http', 403)], 2, 'ok', 'blocked'],
    ['a 503, then a 403: the newest says blocked', [failed('a', 'http', 503), failed('b', 'http', 403)], 2, 'ok', 'blocked'],
    ['a 403, then a timeout: the newest says failing', [failed('a', 'http', 403), failed('b', 'timeout')], 2, 'blocked', 'failing'],
  ];
  it.each(table)('judges %s', (_what, oldestFirst, fetched, current, health) => {
    expect(judgeHealth([...oldestFirst].reverse(), fetched, current).health).toBe(health);
  });

  it('keeps the newest failure as the last error while not ok, and none once ok', () => {
    const runs = [failed('b', 'http', 503), failed('a', 'unreachable')];
    expect(judgeHealth(runs, 2, 'ok')).toEqual({ health: 'failing', lastError: 'b: http 503' });
    expect(judgeHealth([ok('a'), ...runs], 2, 'failing')).toEqual({ health: 'ok', lastError: null });
  });
});

describe('healthChange', () => {
  it('is a change only when the judged health differs', () => {
    expect(healthChange('ok', 'ok')).toBeNull();
    expect(healthChange('ok', 'failing')).toEqual({ from: 'ok', to: 'failing' });
    expect(healthChange('failing', 'blocked')).toEqual({ from: 'failing', to: 'blocked' });
  });
});

describe('blockedPage', () => {
  const html = (body: string) => `<!DOCTYPE html><html><head><title>t</title></head><body>${body}</body></html>`;
  const table: [string, Record<string, string>, string, string | null][] = [
    ['a Cloudflare challenge title', {}, '<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>', 'a Cloudflare challenge'],
    ['a Cloudflare block page', {}, '<html><head><title>Attention Required! | Cloudflare</title></head></html>', 'a Cloudflare challenge'],
    ["Cloudflare's challenge header", { 'cf-mitigated': 'challenge' }, '{}', 'a Cloudflare challenge'],
    ['an Incapsula page', {}, html('Request unsuccessful. Incapsula incident ID: 123'), 'an Imperva Incapsula block'],
    ['a reCAPTCHA form', {}, html('<div class="g-recaptcha" data-sitekey="x"></div>'), 'a captcha'],
    ['a Chinese slider captcha', {}, html('请完成滑动验证'), 'a captcha'],
    ['a page asking for a verification code', {}, html('请输入验证码'), 'a captcha'],
    ['a plain maintenance page', {}, html('系统维护'), null],
    ['an HTML page that only says "blocked"', {}, html('This request was blocked.'), null],
    ['a JSON answer that mentions a captcha', {}, '{"note":"captcha"}', null],
    ['a CSV table', {}, '月份,验证码\n2026-01,1\n', null],
    // The marks, not recorded pages: the WZWS challenge's script names and NBS's block header.
    ['a WZWS firewall challenge script', {}, '<html><head><script>var wzwschallenge="x";</script></head></html>', 'a WZWS firewall challenge'],
    ['the header NBS\'s firewall blocks with', { reason: 'UrlACL' }, '', 'a web firewall block (reason: UrlACL)'],
  ];
  it.each(table)('recognises %s conservatively', (_what, headers, text, why) => {
    expect(blockedPage(headers, text)).toBe(why);
  });
});
