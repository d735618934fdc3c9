// Answers stored gzip-compressed (the status check writes the observations answer of every
// series): sent as they are to clients that accept gzip, which is every browser and HTTP library,
// and inflated for the rest. The ETag comes from the gzip trailer (CRC-32 and length of the
// uncompressed answer), so a client that asks again with If-None-Match gets a 304. It is weak:
// the gzip and the inflated bytes share it, and a strong validator must differ between codings
// (RFC 9110 8.8.3).
import { gunzipSync } from 'node:zlib';
import type { Context } from 'hono';

/** Whether an Accept-Encoding header admits gzip (RFC 9110 12.5.3: a coding, or "*", with q > 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzip: number | null = null;
  let star: number | null = null;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    const weight = Number.isFinite(q) ? q : 0;
    if (coding === 'gzip' || coding === 'x-gzip') gzip = weight;
    else if (coding === '*') star = weight;
  }
  return (gzip ?? star ?? 0) > 0;
}

/** The opaque tag of a gzip member: its trailer's CRC-32 and size of the uncompressed bytes. */
export function gzipEtag(gz: Uint8Array): string {
  const t = Buffer.from(gz.buffer, gz.byteOffset + gz.byteLength - 8, 8);
  return `"${t.readUInt32LE(0).toString(16).padStart(8, '0')}${t.readUInt32LE(4).toString(16).padStart(8, '0')}"`;
}

const opaque = (tag: string) => tag.replace(/^W\//, '');

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  // Weak comparison (RFC 9110 13.1.2), as If-None-Match uses: W/"x" matches "x".
  return ifNoneMatch.split(',').some((t) => { const s = t.trim(); return s === '*' || opaque(s) === opaque(etag); });
}

/** The response for a stored gzip answer: 304, the compressed bytes, or the inflated ones. */
export function storedAnswer(c: Context, gz: Uint8Array, contentType: string, knownEtag?: string): Response {
  const etag = knownEtag ?? `W/${gzipEtag(gz)}`;
  const headers = { etag, vary: 'accept-encoding' };
  if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  if (acceptsGzip(c.req.header('accept-encoding'))) {
    return c.body(gz as Uint8Array<ArrayBuffer>, 200, { ...headers, 'content-type': contentType, 'content-encoding': 'gzip' });
  }
  return c.body(gunzipSync(gz) as Uint8Array<ArrayBuffer>, 200, { ...headers, 'content-type': contentType });
}
