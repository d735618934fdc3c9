// A publisher's source health, as a pure function of its recent fetch runs. "lacuna could not
// reach the publisher" must never read as "the publisher did not publish", and a problem of one
// series' reference (an unknown code, an answer without that series) must never blame the
// publisher: that series' source is misconfigured, shown on its own page.
//
// Each run, by what it ended with:
// | outcome / error code                                          | the run says               |
// |---------------------------------------------------------------|----------------------------|
// | ok, no_change                                                 | answered                   |
// | publisher_error, absent, empty, config, too_large             | answered (series-level)    |
// | http 4xx other than 403, 408, 429, 451                        | answered (series-level)    |
// | http 403 or 451; blocked (a firewall or captcha page)         | blocked                    |
// | unreachable, timeout, http 5xx, 408, 429; malformed; shape    | failing                    |
// | internal (lacuna's own error), abandoned, still running        | nothing (skipped)          |
//
// The publisher, from the newest run back to the last one in which it answered:
// | the streak of blocked/failing runs since it last answered                 | health          |
// |---------------------------------------------------------------------------|-----------------|
// | none: its newest judged run answered                                      | ok              |
// | >= 2 runs, over >= 2 distinct series (or it has one fetched series only)  | the newest's kind (failing or blocked) |
// | shorter                                                                   | unchanged       |
// So one bad series among good ones never flips it, an outage flips it once, and an unsteady
// publisher that fails every other request does not flap.

export type PublisherHealth = 'ok' | 'failing' | 'blocked';
export type RunVerdict = 'answered' | 'series_error' | 'failing' | 'blocked' | 'skipped';

export interface RunFact {
  seriesId: string;
  outcome: string | null;
  /** The SourceError code of a failed run. */
  errorCode: string | null;
  httpStatus: number | null;
  error?: string | null;
}

const SERIES_LEVEL = new Set(['publisher_error', 'absent', 'empty', 'config', 'too_large']);
const FAILING = new Set(['unreachable', 'timeout', 'malformed', 'shape']);
/** The fewest publisher-level failures in a row that make a publisher failing or blocked. */
export const FAILURE_STREAK = 2;

export function classifyRun(r: RunFact): RunVerdict {
  if (r.outcome === 'ok' || r.outcome === 'no_change') return 'answered';
  if (r.outcome !== 'failed' || r.errorCode === null) return 'skipped';
  if (SERIES_LEVEL.has(r.errorCode)) return 'series_error';
  if (r.errorCode === 'blocked') return 'blocked';
  if (FAILING.has(r.errorCode)) return 'failing';
  if (r.errorCode === 'http' && r.httpStatus !== null) {
    if (r.httpStatus === 403 || r.httpStatus === 451) return 'blocked';
    if (r.httpStatus >= 500 || r.httpStatus === 408 || r.httpStatus === 429) return 'failing';
    if (r.httpStatus >= 400) return 'series_error';
  }
  return r.errorCode === 'http' ? 'failing' : 'skipped';
}

/** Whether the publisher answered in this run, whatever it said about the series. */
export const publisherAnswered = (v: RunVerdict) => v === 'answered' || v === 'series_error';

export interface HealthJudgement {
  health: PublisherHealth;
  /** The newest publisher-level failure's error, while the health is not ok. */
  lastError: string | null;
}

/**
 * The publisher's health from its runs, newest first (enough of them to reach the last one in
 * which it answered), given how many of its series are fetched and its health so far.
 */
export function judgeHealth(runsNewestFirst: readonly RunFact[], fetchedSeries: number, current: PublisherHealth): HealthJudgement {
  const streak: { run: RunFact; verdict: 'failing' | 'blocked' }[] = [];
  for (const run of runsNewestFirst) {
    const verdict = classifyRun(run);
    if (verdict === 'skipped') continue;
    if (publisherAnswered(verdict)) break;
    streak.push({ run, verdict });
  }
  if (streak.length === 0) return { health: 'ok', lastError: null };
  const newest = streak[0]!;
  const distinct = new Set(streak.map((s) => s.run.seriesId)).size;
  const enough = streak.length >= FAILURE_STREAK && (fetchedSeries < 2 || distinct >= 2);
  const health = enough ? newest.verdict : current;
  return { health, lastError: health === 'ok' ? null : newest.run.error ?? null };
}

export interface HealthChange { from: PublisherHealth; to: PublisherHealth }

/** The change to record (a source flip), or null when the health stays. */
export function healthChange(current: PublisherHealth, judged: PublisherHealth): HealthChange | null {
  return current === judged ? null : { from: current, to: judged };
}

// Firewall and captcha pages seen in front of publishers: their vendors' own marks, and a captcha
// only on an HTML page. Conservative: a page that merely mentions "blocked" is not one.
const BLOCK_MARKS: [RegExp, string][] = [
  [/<title>\s*(Just a moment\.\.\.|Attention Required! \| Cloudflare)\s*<\/title>/i, 'a Cloudflare challenge'],
  [/\bcf-chl-|\/cdn-cgi\/challenge-platform\//i, 'a Cloudflare challenge'],
  [/Incapsula incident ID|_Incapsula_Resource/i, 'an Imperva Incapsula block'],
  [/errors\.edgesuite\.net|Reference&#32;&#35;/i, 'an Akamai block'],
  [/Sucuri WebSite Firewall/i, 'a Sucuri firewall block'],
  // The JavaScript challenge of the WZWS firewall in front of data.stats.gov.cn ("403 WZWS").
  [/wzwschallenge|wzwstemplate|\/WZWSRE/i, 'a WZWS firewall challenge'],
  [/g-recaptcha|h-captcha|hcaptcha\.com|geetest|验证码|滑动验证|人机验证/i, 'a captcha'],
];

/** Why an answer is a firewall or captcha page rather than data, or null. */
export function blockedPage(headers: Readonly<Record<string, string>>, text: string): string | null {
  if (/challenge/i.test(headers['cf-mitigated'] ?? '')) return 'a Cloudflare challenge';
  // NBS's firewall names its URL block in a header (akshare PR #7260: "响应头 reason:UrlACL").
  if (/urlacl/i.test(headers.reason ?? '')) return 'a web firewall block (reason: UrlACL)';
  const start = text.trimStart().replace(/^\uFEFF/, '').slice(0, 200).toLowerCase();
  if (!start.startsWith('<') || !/<(!doctype html|html|head|body|title|script|meta)\b/.test(start)) return null;
  const page = text.slice(0, 20_000);
  return BLOCK_MARKS.find(([re]) => re.test(page))?.[1] ?? null;
}
