// The source plug-in contract. A plug-in builds requests and parses answers; everything that
// touches the network (timeouts, retries, proxy, charset, size cap, conditional requests) lives in
// http.ts, and everything that writes lives in db/record-fetch.ts. Plug-ins are pure: no I/O, no clock.
import type { z } from 'zod';
import type { Frequency, Period } from '../core/index.js';

export interface SourceRequest {
  /** Absolute URL (query string included). */
  url: string;
  method?: 'GET' | 'POST';
  /** Sent as application/x-www-form-urlencoded with POST. */
  form?: Record<string, string>;
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

export interface ParsedPage {
  observations: ParsedObservation[];
  /**
   * Which periods this answer covers completely, so that a period lacuna holds and the answer
   * lacks (or lists without a value) inside it was withdrawn: 'all' for a full history, a range
   * for a window query, null when the answer is not known to be complete.
   */
  covers: { from: Period; to: Period } | 'all' | null;
  /** The unit the publisher states, when it states one. */
  unit?: string | null;
  /** The publisher still lists the indicator but gave no value in the whole answer. */
  listedButEmpty?: boolean;
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
  /** The first request for a series. */
  request(ref: Ref, ctx: SourceContext): SourceRequest;
  /** Parses one answer. Throws SourceError (errors.ts) for an error answer or an unexpected shape. */
  parse(answer: SourceAnswer, ref: Ref, ctx: SourceContext): ParsedPage;
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
}
