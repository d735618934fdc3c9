// Errors a source can raise. `permanent` says whether trying again soon can help: network failures,
// timeouts, HTTP 5xx, 408 and 429 are transient (retried with backoff); everything else is not.
// The code is stored with the failed fetch run; src/core/source-health.ts reads it to tell the
// publisher's failures (unreachable, blocked...) from one series' (absent, publisher_error...).
import type { SourceAnswer } from './types.js';

export type SourceErrorCode =
  | 'unreachable' | 'timeout' | 'http' | 'too_large' | 'malformed' | 'shape' | 'publisher_error' | 'config'
  /** A redirect or a name that leads to an internal address, or to another host than allowed. */
  | 'refused'
  /** The answer does not hold the series asked for (another table, an empty data list). */
  | 'absent'
  /** The answer holds nothing: no series, no period. */
  | 'empty'
  /** A firewall or captcha page instead of data. */
  | 'blocked'
  /** lacuna's own error, not the publisher's. */
  | 'internal';

/** What a failure can carry besides its message. */
export interface SourceErrorDetail {
  /** The publisher asked to wait this long before asking again (Retry-After), in ms. */
  retryAfterMs?: number | null;
  /** The refusal as received (a firewall's 403, a captcha page): kept as evidence with the failed run. */
  evidence?: SourceAnswer | null;
}

export class SourceError extends Error {
  readonly retryAfterMs: number | null;
  readonly evidence: SourceAnswer | null;
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly permanent: boolean,
    readonly httpStatus: number | null = null,
    detail: SourceErrorDetail = {},
  ) {
    super(message);
    this.name = 'SourceError';
    this.retryAfterMs = detail.retryAfterMs ?? null;
    this.evidence = detail.evidence ?? null;
  }
}

/** The answer is not valid JSON, XML, CSV... (often an HTML error page or a truncated body). */
export const malformed = (message: string) => new SourceError('malformed', message, true);
/** The answer parses but is not the shape the plug-in knows. */
export const unexpectedShape = (message: string) => new SourceError('shape', message, true);
/** The publisher answered with an error of its own (NBS returncode 501, World Bank message). */
export const publisherError = (message: string) => new SourceError('publisher_error', message, true);

/** Parses JSON or raises a malformed-answer error that quotes the start of the body. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const start = text.trimStart().slice(0, 60).replace(/\s+/g, ' ');
    const html = /^<(!doctype|html)/i.test(text.trimStart()) ? ' (an HTML page)' : '';
    throw malformed(`${what}: not JSON${html}: ${(e as Error).message}; starts ${JSON.stringify(start)}`);
  }
}
