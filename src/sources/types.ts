// The source plug-in contract. A plug-in builds requests and parses answers, and names the key of
// the series a ref asks for; everything that touches the network (timeouts, retries, proxy,
// charset, size cap, conditional requests) lives in http.ts; the rules an answer must meet live in
// the core (answer-rules.ts) and are enforced by the fetch runner (src/fetch); everything that
// writes lives in src/fetch/record.ts. Plug-ins are pure: no I/O, no clock.
import type { z } from 'zod';
import type { AnsweredSeries, AnswerPage, Freshness, Frequency, Period } from '../core/index.js';

export interface SourceRequest {
  /** Absolute URL (query string included). */
  url: string;
  method?: 'GET' | 'POST';
  /** Sent as application/x-www-form-urlencoded with POST. */
  form?: Record<string, string>;
  /** Sent as application/json with POST (a publisher API that takes a JSON body). Not with `form`. */
  json?: unknown;
  headers?: Record<string, string>;
  /** Any HTTP status is an answer (availability probes); otherwise non-2xx is an error. */
  anyStatus?: boolean;
  /**
   * Where a redirect may lead: the same host (the default), or any host, for a publisher that
   * serves its files from another one. Never to an internal address (src/sources/address-policy.ts).
   */
  redirects?: 'same-host' | 'any-host';
}

export interface SourceAnswer {
  url: string;
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body as received (decompressed by the HTTP layer). */
  body: Buffer;
  /** The body decoded with the charset the answer declares (UTF-8 when none). */
  text: string;
  /** When the answer arrived (ms). */
  receivedAt: number;
  /** Milliseconds from request to last byte. */
  elapsedMs: number;
  /** The request that brought it, set by the reader before parsing (a page's parse may build the next from it). */
  request?: SourceRequest;
}

export interface ParsedObservation {
  /** lacuna's canonical period for the series' frequency (see core normalisePeriod). */
  period: Period;
  /** null: the publisher lists the period without a value (NBS hasdata:false, DBnomics "NA", FRED "."): a gap. */
  value: number | null;
  /** The value as the publisher wrote it ('' when missing). */
  valueText: string;
  /** The publisher's SDMX OBS_STATUS or equivalent, as given. */
  obsStatus?: string | null;
}

/** One series as the answer holds it: the publisher's key for it, its observations, what it covers. */
export type ParsedSeries = AnsweredSeries<ParsedObservation>;

/**
 * What one answer (one page) holds, series by series. A plug-in reports what is there and nothing
 * more: the runner then judges it with the same rules for every kind (src/core/answer-rules.ts):
 * the series asked for must be there, an empty answer fails, and a value is withdrawn only inside
 * what that series `covers`.
 */
export interface ParsedPage extends AnswerPage<ParsedObservation> {
  /** The next page, when the answer is paged. */
  next?: SourceRequest | null;
}

export interface SourceContext {
  /** The base URL to use: the environment's override, else the plug-in's default. */
  baseUrl: string;
  frequency: Frequency;
  /** First period wanted; null = the full history (backfill). */
  from: Period | null;
  /** The publisher's credentials from the environment (e.g. FRED_API_KEY), when the plug-in needs one. */
  apiKey: string | null;
  /** Now (ms), for plug-ins that date what they see (availability probes). */
  now: number;
}

export interface SourcePlugin<Ref = unknown> {
  /** The `kind` written in a catalogue series' `source:` block. */
  kind: string;
  /** The rest of the `source:` block, validated at catalogue load. */
  ref: z.ZodType<Ref>;
  /** Default base URL; null when each series' ref carries its own URL. */
  defaultBaseUrl: string | null;
  /** Environment variable holding the API key, when the publisher needs one. */
  apiKeyEnv?: string;
  /** The key only raises the publisher's limits (BLS): without it the source is still read. */
  apiKeyOptional?: boolean;
  /** The first request for a series. */
  request(ref: Ref, ctx: SourceContext): SourceRequest;
  /** The publisher's key of the series the ref asks for, as `parse` reports it (an NBS zb code, an SDMX key, a column). */
  key(ref: Ref): string;
  /**
   * Parses one answer into the series it holds. Throws SourceError (errors.ts) for an error
   * answer or a shape it does not know; an answer without the series asked for is not its
   * concern (the runner fails it as 'absent').
   */
  parse(answer: SourceAnswer, ref: Ref, ctx: SourceContext): ParsedPage;
  /** The series is an access series (1 served, 0 refused): a change of its value is an access event. */
  access?: boolean;
  /** Turns an answer that needs asynchronous decoding (an Excel workbook) into one `parse` reads. */
  prepare?(answer: SourceAnswer, ref: Ref): Promise<SourceAnswer>;
  /**
   * Optional second look: is the indicator still in the publisher's catalogue? An indicator that
   * disappears from it is a "line dropped" event even before its values stop.
   */
  listing?: {
    request(ref: Ref, ctx: SourceContext): SourceRequest | null;
    contains(answer: SourceAnswer, ref: Ref): boolean;
  };
  /**
   * Optional: the source's own word on its freshness (DBnomics indexed_at; FRED last_updated and
   * observation_end), read when the source is a secondary or a mirror: from a request of its own,
   * or from the first page of the answer when there is none.
   */
  freshness?: {
    request?(ref: Ref, ctx: SourceContext): SourceRequest | null;
    read(answer: SourceAnswer, ref: Ref, ctx: SourceContext): Freshness;
  };
}
