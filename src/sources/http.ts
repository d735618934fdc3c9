// The one place lacuna talks HTTP to publishers: timeouts, retries with backoff and jitter on
// transient failures only, a user agent, conditional requests, a size cap, decompression and
// character sets, HTTPS_PROXY. Every failure leaves as a SourceError that says permanent or not.
import { Agent, EnvHttpProxyAgent, interceptors, request, type Dispatcher } from 'undici';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { SourceError } from './errors.js';
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
  const base: Dispatcher = p.https || p.http
    ? new EnvHttpProxyAgent({ httpProxy: p.http, httpsProxy: p.https, noProxy: p.none })
    : new Agent({ connect: { timeout: opts.timeoutMs } });
  const dispatcher = base.compose(interceptors.redirect({ maxRedirections: 5 }));
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  const random = opts.random ?? Math.random;

  return async (req, conditional) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(dispatcher, req, conditional, opts);
      } catch (e) {
        const err = toSourceError(e, req.url, opts);
        if (err.permanent || attempt >= opts.retries) throw err;
        await sleep(opts.backoffMs * 2 ** attempt * (1 + random() / 2));
      }
    }
  };
}

async function once(dispatcher: Dispatcher, req: SourceRequest, cond: Conditional | undefined, opts: HttpOptions): Promise<SourceAnswer> {
  const started = Date.now();
  const headers: Record<string, string> = {
    'user-agent': opts.userAgent, accept: '*/*', 'accept-encoding': 'gzip, deflate, br', ...req.headers,
  };
  if (cond?.etag) headers['if-none-match'] = cond.etag;
  if (cond?.lastModified) headers['if-modified-since'] = cond.lastModified;
  let body: string | undefined;
  if (req.form) {
    body = new URLSearchParams(req.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
  }
  const res = await request(req.url, {
    method: req.method ?? (req.form ? 'POST' : 'GET'), headers, body, dispatcher,
    signal: AbortSignal.timeout(opts.timeoutMs), headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs,
  });
  const h = flatHeaders(res.headers);
  const declared = Number(h['content-length'] ?? NaN);
  if (declared > opts.maxBytes) {
    res.body.destroy();
    throw new SourceError('too_large', `${req.url}: answer of ${declared} bytes is over the ${opts.maxBytes}-byte cap`, true, res.statusCode);
  }
  const raw = await readCapped(res.body, opts.maxBytes, req.url);
  const status = res.statusCode;
  if (!req.anyStatus && status !== 304 && (status < 200 || status > 299)) {
    const transient = status >= 500 || status === 408 || status === 429;
    throw new SourceError('http', `${req.url}: HTTP ${status}${snippet(raw)}`, !transient, status);
  }
  const decoded = decompress(raw, h['content-encoding'], req.url);
  return {
    url: req.url, status, headers: h, body: decoded, text: decodeText(decoded, h['content-type']),
    receivedAt: Date.now(), elapsedMs: Date.now() - started,
  };
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

function decompress(raw: Buffer, encoding: string | undefined, url: string): Buffer {
  const enc = (encoding ?? '').trim().toLowerCase();
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(raw);
    if (enc === 'deflate') return inflateSync(raw);
    if (enc === 'br') return brotliDecompressSync(raw);
  } catch (e) {
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

function toSourceError(e: unknown, url: string, opts: HttpOptions): SourceError {
  if (e instanceof SourceError) return e;
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
