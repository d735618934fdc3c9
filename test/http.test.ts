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

  it('sends a JSON body as application/json with POST, and a form as urlencoded', async () => {
    server.on('/json', { body: 'ok' });
    const get = createHttp(opts());
    await get({ url: `${server.url}/json`, json: { dts: ['202605MM'], cid: 'ee3b7046', das: [] } });
    const sent = server.received.at(-1)!;
    expect([sent.method, sent.headers['content-type']]).toEqual(['POST', 'application/json; charset=UTF-8']);
    expect(JSON.parse(sent.body)).toEqual({ dts: ['202605MM'], cid: 'ee3b7046', das: [] });
    await get({ url: `${server.url}/json`, form: { sBbly: '202607', sCode: '06' } });
    expect([server.received.at(-1)!.headers['content-type'], server.received.at(-1)!.body])
      .toEqual(['application/x-www-form-urlencoded; charset=UTF-8', 'sBbly=202607&sCode=06']);
  });

  it('refuses a request with both a form and a JSON body, naming the URL', async () => {
    const e = await failure(createHttp(opts())({ url: `${server.url}/json`, form: { a: '1' }, json: { a: 1 } }));
    expect([e.code, e.permanent]).toEqual(['config', true]);
    expect(e.message).toMatch(/both a form and a JSON body/);
  });

  it('inflates a compressed answer only up to the size cap: a small bomb is refused, permanently', async () => {
    const bomb = gzipSync(Buffer.alloc(8 << 20)); // 8 MB of zeros in about 8 KB
    expect(bomb.length).toBeLessThan(16 * 1024);
    server.on('/bomb', { headers: { 'content-encoding': 'gzip' }, body: bomb });
    const e = await failure(createHttp(opts({ maxBytes: 64 * 1024 }))({ url: `${server.url}/bomb` }));
    expect([e.code, e.permanent]).toEqual(['too_large', true]);
    expect(e.message).toMatch(/inflates to more than the 65536-byte cap/);
  });
});

describe('redirects', () => {
  it('are followed on the same host, a 303 after a POST as a GET', async () => {
    server.on('/moved', { status: 301, headers: { location: '/here' } });
    server.on('/here', { body: 'arrived' });
    server.route((r) => (r.url === '/form' ? { status: 303, headers: { location: '/here' } } : undefined));
    const get = createHttp(opts());
    expect((await get({ url: `${server.url}/moved` })).text).toBe('arrived');
    expect((await get({ url: `${server.url}/form`, form: { a: '1' } })).text).toBe('arrived');
    expect(server.received.at(-1)!.method).toBe('GET');
  });

  it('are refused to another host unless the source allows it, and never to an internal address', async () => {
    const port = new URL(server.url).port;
    server.on('/elsewhere', { status: 302, headers: { location: `http://localhost:${port}/here` } });
    const e = await failure(createHttp(opts())({ url: `${server.url}/elsewhere` }));
    expect([e.code, e.permanent]).toEqual(['refused', true]);
    expect(e.message).toMatch(/another host than 127\.0\.0\.1/);
    // Allowed to change hosts, a loopback base still may not be sent on to another internal host.
    expect((await failure(createHttp(opts())({ url: `${server.url}/elsewhere`, redirects: 'any-host' }))).message).toMatch(/an internal address/);
  });

  it('from a public publisher to the machine lacuna runs on are refused, and its answer never read', async () => {
    // The publisher is reached through a proxy (this server tunnels to itself); it redirects to 127.0.0.1.
    let internalHits = 0;
    server.route((r) => (r.headers.host === 'publisher.invalid' ? { status: 302, headers: { location: `${server.url}/secret` } } : undefined));
    server.route((r) => (r.url === '/secret' && r.method === 'GET' ? ((internalHits++), { body: 'internal' }) : undefined));
    const get = createHttp({ ...opts(), proxy: { http: server.url } });
    const e = await failure(get({ url: 'http://publisher.invalid/data', redirects: 'any-host' }));
    expect([e.code, e.permanent]).toEqual(['refused', true]);
    expect(e.message).toMatch(/an internal address/);
    expect(internalHits).toBe(0);
  });
});

describe('the address policy', () => {
  it('calls loopback, private, link-local, metadata and mapped addresses internal, and public ones not', async () => {
    const { isInternalAddress, publicOnlyLookup } = await import('../src/sources/address-policy.js');
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1']) {
      expect(isInternalAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '203.0.113.10', '2001:4860:4860::8888']) expect(isInternalAddress(a), a).toBe(false);
    // At the moment of connecting, a name that resolves to an internal address is refused.
    const err = await new Promise((ok) => publicOnlyLookup('localhost', {}, (e) => ok(e)));
    expect(err).toMatchObject({ code: 'EINTERNALADDRESS' });
  });
});


describe('politeness', () => {
  it('waits as long as a 429 or 503 says in Retry-After, in seconds or as an HTTP date, then asks again', async () => {
    const now = Date.parse('2026-11-20T08:00:00Z');
    server.on('/busy-seconds', { status: 429, headers: { 'retry-after': '7' }, body: 'slow down' }, { body: 'ok' });
    server.on('/busy-date', { status: 503, headers: { 'retry-after': 'Fri, 20 Nov 2026 08:02:00 GMT' }, body: 'maintenance' }, { body: 'ok' });
    const waits: number[] = [];
    const get = createHttp(opts({ retries: 1, backoffMs: 100, random: () => 0, now: () => now, sleep: async (ms) => { waits.push(ms); } }));
    expect((await get({ url: `${server.url}/busy-seconds` })).text).toBe('ok');
    expect((await get({ url: `${server.url}/busy-date` })).text).toBe('ok');
    expect(waits).toEqual([7_000, 120_000]);
  });

  it('does not hold a read for longer than it may wait: a long Retry-After fails the read and says how long', async () => {
    server.on('/busy-hour', { status: 429, headers: { 'retry-after': '3600' }, body: 'come back later' });
    const waits: number[] = [];
    const e = await failure(createHttp(opts({ retries: 3, sleep: async (ms) => { waits.push(ms); } }))({ url: `${server.url}/busy-hour` }));
    expect(e).toMatchObject({ code: 'http', permanent: false, httpStatus: 429, retryAfterMs: 3_600_000 });
    expect(waits).toEqual([]);
  });

  it('sends one request at a time to a host, each starting the configured spacing after the last one ended', async () => {
    let open = 0;
    let most = 0;
    server.route((r) => {
      if (!r.url.startsWith('/one-at-a-time')) return undefined;
      open++;
      most = Math.max(most, open);
      return { body: 'x' };
    });
    // The server counts requests in flight; each answer is written at once, so they finish in turn.
    let clock = 1_000_000;
    const waits: number[] = [];
    const get = createHttp(opts({ hostSpacingMs: 1500, now: () => clock, sleep: async (ms) => { waits.push(ms); clock += ms; } }));
    const done = await Promise.all([1, 2, 3].map(async (n) => {
      const a = await get({ url: `${server.url}/one-at-a-time/${n}` });
      open--;
      return a.status;
    }));
    expect(done).toEqual([200, 200, 200]);
    expect(most).toBe(1);
    // The clock does not move while a request runs here, so each later request waits the whole spacing.
    expect(waits).toEqual([1500, 1500]);
    expect(server.received.filter((r) => r.url.startsWith('/one-at-a-time')).map((r) => r.url)).toEqual(['/one-at-a-time/1', '/one-at-a-time/2', '/one-at-a-time/3']);
  });

  it('keeps a firewall\'s refusal as evidence: its status, the header saying why, and its body', async () => {
    server.on('/waf', { status: 403, headers: { reason: 'UrlACL', 'content-type': 'text/html' }, body: '<html><body>403 Forbidden</body></html>' });
    const e = await failure(createHttp(opts())({ url: `${server.url}/waf` }));
    expect(e).toMatchObject({ code: 'http', httpStatus: 403, permanent: true });
    expect(e.message).toMatch(/HTTP 403 \(reason: UrlACL\)/);
    expect(e.evidence).toMatchObject({ status: 403, headers: { reason: 'UrlACL' }, text: '<html><body>403 Forbidden</body></html>' });
  });

  it('sends a JSON body with POST', async () => {
    server.route((r) => (r.url === '/json' ? { body: `${r.method} ${r.headers['content-type']} ${r.body}` } : undefined));
    const a = await createHttp(opts())({ url: `${server.url}/json`, json: { cid: 'c', dts: ['202607MM'] } });
    expect(a.text).toBe('POST application/json; charset=UTF-8 {"cid":"c","dts":["202607MM"]}');
  });
});
