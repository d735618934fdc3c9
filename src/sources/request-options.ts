// What a `source:` block may add to its request: headers a publisher requires (SSE and SZSE answer
// only with a Referer of their own site), and, for kinds that take a URL, the method and a body (a
// form or JSON). Validated at catalogue load, so a typo fails at start, not at 3 a.m.
import { z } from 'zod';
import type { SourceRequest } from './types.js';

// RFC 9110 token characters.
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
// http.ts sets these itself (body, compression, conditional requests); a ref may not override them.
const MANAGED = new Set([
  'host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'accept-encoding', 'if-none-match', 'if-modified-since',
]);

const SECRET = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** Header names are case-insensitive: kept in lower case, so `Referer` and `referer` are one header. */
export const requestHeaders = z
  .record(z.string().regex(HEADER_NAME, 'a header name (letters, digits and -)'), z.string().regex(/^[^\r\n]*$/, 'a header value has no line break'))
  .transform((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])))
  .superRefine((h, ctx) => {
    for (const name of Object.keys(h)) {
      if (MANAGED.has(name)) ctx.addIssue({ code: 'custom', path: [name], message: `header ${name} is set by lacuna's HTTP client, not by a source block` });
      // The catalogue is public and committed; credentials live in the environment (src/app/config.ts).
      if (SECRET.has(name)) ctx.addIssue({ code: 'custom', path: [name], message: `header ${name} carries a credential, which belongs in the environment, not in the catalogue` });
    }
  });

/** Method and body of a request to a URL the ref names (the table kind). */
export const requestBodyOptions = {
  method: z.enum(['GET', 'POST']).optional(),
  // YAML reads `sCode: 06` as a number; a form value is text.
  form: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional(),
  json: z.unknown().optional(),
  headers: requestHeaders.optional(),
};

export interface RequestOptions {
  method?: 'GET' | 'POST' | undefined;
  form?: Record<string, string> | undefined;
  json?: unknown;
  headers?: Record<string, string> | undefined;
}

/** Checks the options together: one body at most, and a body only with POST. */
export function bodyProblem(o: RequestOptions): string | null {
  if (o.form && o.json !== undefined) return 'a source sends a form or a JSON body, not both';
  if ((o.form || o.json !== undefined) && o.method === 'GET') return 'a body (form or json) is sent with POST, not GET';
  return null;
}

/** The request with the ref's method, body and headers; the plug-in's own headers win a clash. */
export function withOptions(req: SourceRequest, o: RequestOptions): SourceRequest {
  const out: SourceRequest = { ...req };
  if (o.method) out.method = o.method;
  if (o.form) out.form = o.form;
  if (o.json !== undefined) out.json = o.json;
  if (o.headers) out.headers = { ...o.headers, ...req.headers };
  return out;
}
