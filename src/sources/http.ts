// The one place lacuna talks HTTP to publishers: timeouts, retries with backoff and jitter on
// transient failures only (a publisher's Retry-After honoured), one request at a time per host with
// a minimum spacing, a user agent, conditional requests, a size cap on the bytes received and on
// the bytes they inflate to, decompression and character sets, HTTPS_PROXY, and redirects followed
// only where address-policy.ts allows. Every failure leaves as a SourceError that says permanent or
// not; a refusal (HTTP 403, 451) carries the answer as evidence.
import { isIP } from 'node:net';
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { InternalAddressError, isInternalAddress, isInternalHost, publicOnlyLookup } from './address-policy.js';
import { SourceError } from './errors.js';
import { redactUrl, scrub, secretsIn } from './redact.js';
import type { SourceAnswer, SourceRequest } from './types.js';

export interface HttpOptions {
  userAgent: string;
  timeoutMs: number;
  /** Attempts after the first, for transient failures only. */
  retries: number;
  /** First backoff (ms); doubles each attempt, with up to 50% random jitter. */
  backoffMs: number;
  maxBytes: number;
  /** Injected so tests need not wait; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected so tests are repeatable; defaults to Math.random. */
  random?: () => number;
  /** HTTPS_PROXY, HTTP_PROXY and NO_PROXY, from the configuration. */
  proxy?: { https?: string | undefined; http?: string | undefined; none?: string | undefined };
  /** Least time (ms) from the end of one request to a host to the start of the next; default 0 (the configuration sets 1000). */
  hostSpacingMs?: number;
  /** Longest Retry-After (ms) waited in place; a longer one fails the read, which the schedule retries later. Default 120 s. */
  maxRetryAfterMs?: number;
  /** Injected so tests need not wait; defaults to Date.now (spacing and Retry-After dates). */
  now?: () => number;
}

export interface Conditional {
  etag?: string | null;
  lastModified?: string | null;
}

export type HttpGet = (req: SourceRequest, conditional?: Conditional) => Promise<SourceAnswer>;

export const DEFAULT_HTTP: Omit<HttpOptions, 'userAgent'> = {
  timeoutMs: 30_000, retries: 3, backoffMs: 1_000, maxBytes: 50 * 1024 * 1024,
};

/** An HTTP client for sources; honours the proxies of `opts.proxy` (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). */
export function createHttp(opts: HttpOptions): HttpGet {
  const p = opts.proxy ?? {};
  const proxied = !!(p.https || p.http);
  // Public hosts are connected through a lookup that refuses internal addresses; a configured host
  // that is itself internal (a mirror, a test server) through one that does not.
  const dispatchers: Dispatchers = proxied
    ? { open: new EnvHttpProxyAgent({ httpProxy: p.http, httpsProxy: p.https, noProxy: p.none }), proxied }
    : { open: new Agent({ connect: { timeout: opts.timeoutMs } }), publicOnly: new Agent({ connect: { timeout: opts.timeoutMs, lookup: publicOnlyLookup } }), proxied };
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 120_000;
  const inTurn = hostQueue(opts.hostSpacingMs ?? 0, sleep, now);

  return async (req, conditional) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await inTurn(hostOf(req.url), () => once(dispatchers, req, conditional, opts, now));
      } catch (e) {
        const err = toSourceError(e, req.url, opts);
        // The message names the URL redacted, and no answer text may carry the secret either.
        err.message = scrub(err.message, secretsIn(req.url));
        if (err.permanent || attempt >= opts.retries) throw err;
        // A publisher that says when to come back is believed; one that asks for longer than
        // lacuna waits in place is read again by the schedule, not held up here.
        if (err.retryAfterMs !== null && err.retryAfterMs > maxRetryAfter) throw err;
        await sleep(Math.max(err.retryAfterMs ?? 0, opts.backoffMs * 2 ** attempt * (1 + random() / 2)));
      }
    }
  };
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/**
 * One request at a time per host, each starting at least `spacingMs` after the previous one to
 * that host ended: publishers (NBS's firewall first) refuse clients that ask in bursts.
 */
function hostQueue(spacingMs: number, sleep: (ms: number) => Promise<void>, now: () => number) {
  const hosts = new Map<string, { tail: Promise<unknown>; endedAt: number }>();
  return <T>(host: string, run: () => Promise<T>): Promise<T> => {
    const h = hosts.get(host) ?? { tail: Promise.resolve(), endedAt: -Infinity };
    hosts.set(host, h);
    const turn = h.tail.then(async () => {
      const wait = h.endedAt + spacingMs - now();
      if (wait > 0) await sleep(wait);
      try {
        return await run();
      } finally {
        h.endedAt = now();
      }
    });
    h.tail = turn.catch(() => undefined);
    return turn;
  };
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

interface Dispatchers { open: Dispatcher; publicOnly?: Dispatcher; proxied: boolean }

const MAX_REDIRECTS = 5;
const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * Where a redirect from `from` to `to` may go: http(s) only; the same host unless the source allows
 * any; never an internal address, except the configured host itself when that is internal.
 */
function checkRedirect(req: SourceRequest, from: URL, to: URL, internalBase: boolean): void {
  const refuse = (why: string) => new SourceError('refused', `${redactUrl(req.url)}: redirect to ${to.origin}${to.pathname} refused: ${why}`, true);
  if (to.protocol !== 'http:' && to.protocol !== 'https:') throw refuse(`not http(s)`);
  const sameHost = to.hostname === from.hostname;
  if (!sameHost && (req.redirects ?? 'same-host') === 'same-host') throw refuse(`another host than ${from.hostname}`);
  const literal = to.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && isInternalAddress(literal) && !(internalBase && sameHost)) throw refuse('an internal address');
  if (!isIP(literal) && /(^|\.)localhost$/i.test(literal) && !(internalBase && sameHost)) throw refuse('an internal address');
}

async function once(d: Dispatchers, req: SourceRequest, cond: Conditional | undefined, opts: HttpOptions, now: () => number): Promise<SourceAnswer> {
  const started = Date.now();
  const base = new URL(req.url);
  // What messages and the answer name: the URL without its credentials.
  const shown = redactUrl(req.url);
  const host = base.hostname.replace(/^\[|\]$/g, '');
  // Through a proxy, names are the proxy's to resolve; only localhost and IP literals are known here.
  const internalBase = d.proxied ? host === 'localhost' || isInternalAddress(host) : await isInternalHost(host);
  const dispatcher = internalBase || !d.publicOnly ? d.open : d.publicOnly;
  const headers: Record<string, string> = {
    'user-agent': opts.userAgent, accept: '*/*', 'accept-encoding': 'gzip, deflate, br', ...req.headers,
  };
  if (cond?.etag) headers['if-none-match'] = cond.etag;
  if (cond?.lastModified) headers['if-modified-since'] = cond.lastModified;
  const { body: encoded, contentType } = requestBody(req, shown);
  let body = encoded;
  if (contentType) headers['content-type'] ??= contentType;
  let method = req.method ?? (body !== undefined ? 'POST' : 'GET');
  let url = base;
  let res: Dispatcher.ResponseData;
  for (let hop = 0; ; hop++) {
    res = await request(url, {
      method, headers, body, dispatcher,
      signal: AbortSignal.timeout(opts.timeoutMs), headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs,
    });
    const location = res.headers.location;
    if (!REDIRECT.has(res.statusCode) || typeof location !== 'string') break;
    await res.body.dump();
    if (hop >= MAX_REDIRECTS) throw new SourceError('http', `${shown}: more than ${MAX_REDIRECTS} redirects`, true, res.statusCode);
    const next = new URL(location, url);
    checkRedirect(req, url, next, internalBase);
    // As browsers do: 303 (and 301/302 after a POST) continue with a GET and no body.
    if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    url = next;
  }
  const h = flatHeaders(res.headers);
  const declared = Number(h['content-length'] ?? NaN);
  if (declared > opts.maxBytes) {
    res.body.destroy();
    throw new SourceError('too_large', `${shown}: answer of ${declared} bytes is over the ${opts.maxBytes}-byte cap`, true, res.statusCode);
  }
  const raw = await readCapped(res.body, opts.maxBytes, shown);
  const status = res.statusCode;
  const answer = (body: Buffer): SourceAnswer => ({
    url: shown, status, headers: h, body, text: decodeText(body, h['content-type']), receivedAt: Date.now(), elapsedMs: Date.now() - started,
  });
  if (!req.anyStatus && status !== 304 && (status < 200 || status > 299)) {
    const transient = status >= 500 || status === 408 || status === 429;
    const refused = status === 403 || status === 451;
    // A refusal is kept whole, as the publisher sent it: the evidence that it refused lacuna.
    const evidence = refused ? answer(safeDecompress(raw, h['content-encoding'], opts.maxBytes)) : null;
    throw new SourceError('http', `${shown}: HTTP ${status}${refusalMarks(h)}${snippet(raw)}`, !transient, status, {
      retryAfterMs: parseRetryAfter(h['retry-after'], now()), evidence,
    });
  }
  return answer(decompress(raw, h['content-encoding'], shown, opts.maxBytes));
}

/** Headers by which firewalls say why they refused (NBS's answers `reason: UrlACL`). */
const REFUSAL_HEADERS = ['reason', 'server', 'x-iinfo', 'cf-mitigated'] as const;

function refusalMarks(h: Record<string, string>): string {
  const marks = REFUSAL_HEADERS.flatMap((k) => (h[k] ? [`${k}: ${h[k]!.slice(0, 60)}`] : []));
  return marks.length ? ` (${marks.join('; ')})` : '';
}

function safeDecompress(raw: Buffer, encoding: string | undefined, max: number): Buffer {
  try {
    return decompress(raw, encoding, '', max);
  } catch {
    return raw;
  }
}

/** The request's body and its content type: a form (urlencoded) or a JSON body, never both. */
function requestBody(req: SourceRequest, shown: string): { body?: string; contentType?: string } {
  if (req.form && req.json !== undefined) throw new SourceError('config', `${shown}: a request with both a form and a JSON body`, true);
  if (req.form) return { body: new URLSearchParams(req.form).toString(), contentType: 'application/x-www-form-urlencoded; charset=UTF-8' };
  if (req.json !== undefined) return { body: JSON.stringify(req.json), contentType: 'application/json; charset=UTF-8' };
  return {};
}

async function readCapped(stream: AsyncIterable<Buffer> & { destroy(): void }, max: number, url: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    size += c.length;
    if (size > max) {
      stream.destroy();
      throw new SourceError('too_large', `${url}: answer is over the ${max}-byte cap`, true);
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/** Inflates as declared, never past `max` bytes: a small bomb must not become a huge answer. */
function decompress(raw: Buffer, encoding: string | undefined, url: string, max: number): Buffer {
  const enc = (encoding ?? '').trim().toLowerCase();
  const cap = { maxOutputLength: max };
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(raw, cap);
    if (enc === 'deflate') return inflateSync(raw, cap);
    if (enc === 'br') return brotliDecompressSync(raw, cap);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw new SourceError('too_large', `${url}: answer inflates to more than the ${max}-byte cap`, true);
    }
    throw new SourceError('malformed', `${url}: ${enc} body does not decompress (truncated?): ${(e as Error).message}`, true);
  }
  return raw;
}

/** Decodes with the declared charset (GBK and GB18030 included); UTF-8 when none is declared. */
export function decodeText(body: Buffer, contentType: string | undefined): string {
  const label = /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(body);
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function snippet(raw: Buffer): string {
  const s = raw.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ').trim();
  return s ? `: ${s.slice(0, 120)}` : '';
}

const TRANSIENT_CODES = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_CONNECT_TIMEOUT)$/;

function toSourceError(e: unknown, rawUrl: string, opts: HttpOptions): SourceError {
  if (e instanceof SourceError) return e;
  const url = redactUrl(rawUrl);
  const internal = e instanceof InternalAddressError ? e : (e as { cause?: unknown }).cause instanceof InternalAddressError ? (e as { cause: InternalAddressError }).cause : null;
  if (internal) return new SourceError('refused', `${url}: refused: ${internal.message}`, true);
  const err = e as Error & { code?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code ?? '';
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || /TIMEOUT/.test(code)) {
    return new SourceError('timeout', `${url}: no complete answer within ${opts.timeoutMs} ms`, false);
  }
  if (TRANSIENT_CODES.test(code) || /other side closed|socket/i.test(err.message)) {
    return new SourceError('unreachable', `${url}: ${code || 'connection failed'}: ${err.cause?.message ?? err.message}`, false);
  }
  return new SourceError('unreachable', `${url}: ${err.message}`, false);
}
