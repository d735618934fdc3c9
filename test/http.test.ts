// The shared HTTP plumbing against a real server on loopback: conditional requests, character
// sets, compression, the size cap, the proxy, and which failures are retried.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttp, type HttpOptions } from '../src/sources/http.js';
import { SourceError } from '../src/sources/errors.js';
import { startReplayServer, type ReplayServer } from './replay-server.js';

let server: ReplayServer;
beforeAll(async () => { server = await startReplayServer(); });
afterAll(async () => { await server.close(); });

const opts = (over: Partial<HttpOptions> = {}): HttpOptions => ({
  userAgent: 'lacuna-test', timeoutMs: 1000, retries: 0, backoffMs: 1, maxBytes: 1 << 20, sleep: async () => {}, ...over,
});

async function failure(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

describe('the HTTP plumbing', () => {
  it('sends If-None-Match and If-Modified-Since, and hands a 304 back as an answer', async () => {
    server.route((r) => (r.url === '/cond' ? (r.headers['if-none-match'] === '"v1"' ? { status: 304 } : { status: 200, headers: { etag: '"v1"' }, body: 'x' }) : undefined));
    const get = createHttp(opts());
    const first = await get({ url: `${server.url}/cond` });
    expect([first.status, first.headers.etag]).toEqual([200, '"v1"']);
    const again = await get({ url: `${server.url}/cond` }, { etag: first.headers.etag, lastModified: 'Mon, 02 Dec 2024 00:00:00 GMT' });
    expect(again.status).toBe(304);
    expect(server.received.at(-1)!.headers['if-modified-since']).toBe('Mon, 02 Dec 2024 00:00:00 GMT');
  });

  it('decodes GBK text and gzip bodies as declared', async () => {
    const gbk = Buffer.from([0xb9, 0xfa, 0xbc, 0xd2, 0xcd, 0xb3, 0xbc, 0xc6, 0xbe, 0xd6]); // 国家统计局 in GBK
    server.on('/gbk', { headers: { 'content-type': 'text/html; charset=GBK', 'content-encoding': 'gzip' }, body: gzipSync(gbk) });
    const a = await createHttp(opts())({ url: `${server.url}/gbk` });
    expect(a.text).toBe('国家统计局');
    expect(a.body.equals(gbk)).toBe(true);
  });

  it('refuses an answer over the size cap, permanently', async () => {
    server.on('/big', { body: Buffer.alloc(4096, 'a') });
    const e = await failure(createHttp(opts({ maxBytes: 1024 }))({ url: `${server.url}/big` }));
    expect([e.code, e.permanent]).toEqual(['too_large', true]);
  });

  it('calls 5xx, 429 and timeouts transient and 4xx permanent', async () => {
    server.on('/s429', { status: 429, body: 'slow down' });
    server.on('/s403', { status: 403, body: 'Forbidden' });
    server.on('/hang', { fault: 'hang' });
    const get = createHttp(opts({ timeoutMs: 200 }));
    expect(await failure(get({ url: `${server.url}/s429` }))).toMatchObject({ code: 'http', permanent: false, httpStatus: 429 });
    expect(await failure(get({ url: `${server.url}/s403` }))).toMatchObject({ code: 'http', permanent: true, httpStatus: 403 });
    expect(await failure(get({ url: `${server.url}/hang` }))).toMatchObject({ code: 'timeout', permanent: false });
  });

  it('calls a refused connection unreachable, and gives up after the configured retries', async () => {
    const closed = await startReplayServer();
    const url = `${closed.url}/gone`;
    await closed.close();
    const waits: number[] = [];
    const e = await failure(createHttp(opts({ retries: 2, backoffMs: 100, sleep: async (ms) => { waits.push(ms); }, random: () => 1 }))({ url }));
    expect([e.code, e.permanent]).toEqual(['unreachable', false]);
    expect(waits).toEqual([150, 300]); // doubling, with the jitter at its 50% maximum
  });

  it('hands any status to a probe that asks for it', async () => {
    server.on('/blocked', { status: 451, body: 'Unavailable For Legal Reasons' });
    const a = await createHttp(opts())({ url: `${server.url}/blocked`, anyStatus: true });
    expect([a.status, a.text]).toEqual([451, 'Unavailable For Legal Reasons']);
  });

  it('goes through HTTP_PROXY when one is set', async () => {
    server.route((r) => (r.headers.host === 'publisher.invalid' ? { body: `proxied ${r.url}` } : undefined));
    const get = createHttp({ ...opts(), proxy: { http: server.url } });
    const a = await get({ url: 'http://publisher.invalid/data?x=1' });
    expect(a.text).toBe('proxied /data?x=1');
    expect(server.received.some((r) => r.method === 'CONNECT' && r.url === 'publisher.invalid:80')).toBe(true);
  });
});
