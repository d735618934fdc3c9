// A route fuzzer: thousands of requests to every route of the app, with path segments, query
// parameters, methods and headers an attacker or a broken client would send (deterministic: a
// seeded generator, so a failure names a request that fails again). No answer may be a 5xx.
import { describe, expect, it } from 'vitest';
import { appAt, at, loadedDb } from '../helpers.js';

const NOW = at('2026-11-20T00:00:00Z');

/** mulberry32: the same sequence every run. */
function rng(seed: number) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEGMENTS = [
  'cn.nbs.unemployment.urban.age16_24', 'cn.nbs.unemployment.urban', 'nbs', 'labour', 'x', '', '.', '..', '%2e%2e', '__proto__',
  'constructor', 'toString', 'hasOwnProperty', '%00', '%ff', '%', '%zz', '国家统计局', '😀', "'", '"', '<script>', 'a'.repeat(3000),
  '2023-07', '2023-13', '2023-Q5', '9999', '-1', '0', 'null', 'undefined', 'NaN', '[]', '{}', 'a/b', 'a%2Fb', '%0d%0aX-Injected:1',
  `${'0'.repeat(64)}`, 'f'.repeat(64), 'series.csv', '.csv', 'x.svg', 'x.json', '.svg', 'x.png',
];
const PARAMS = ['as_of', 'status', 'publisher', 'topic', 'after', 'limit', 'page', 'sort', 'from', 'to', 'group', 'dl', 'bom', 'q', 'series', 'kind', 'quiet', 'v', 'fbclid', 'utm_source', '__proto__', 'constructor'];
const VALUES = [
  '2023-09-01', '2023-02-30', '2023-13-45', '1900-01-01', '9999-12-31', '2023-07', '2015-01', '2030-12', 'dark', 'suspended', 'current', 'bogus',
  '1', '0', '-1', '1e309', '99999999999999999999', '1000', '1001', 'NaN', '', ' ', '%', '%00', "' OR 1=1 --", '"', '<img src=x onerror=alert(1)>',
  '青年', '😀', 'a'.repeat(5000), 'nbs', 'labour', 'publisher', 'topic', 'status', 'name', 'series', '*', 'AND OR NOT', '"unterminated', 'NEAR(a b)',
];
const TEMPLATES = [
  '/', '/gaps', '/gaps.csv', '/calendar', '/disclosure', '/disclosure.csv', '/api/disclosure', '/alerts', '/statuses', '/search', '/api/search',
  '/export.csv', '/events.csv', '/api/series', '/api/events', '/api/openapi.json', '/datapackage.json', '/feed.atom',
  '/series/:s', '/series/:s.csv', '/series/:s/feed.atom', '/series/:s/chart.svg', '/series/:s/chart.png', '/series/:s/values.csv',
  '/series/:s/datapackage.json', '/embed/series/:s', '/api/series/:s', '/api/series/:s/observations', '/api/series/:s/fetch-runs',
  '/badge/series/:s.svg', '/badge/series/:s.json', '/badge/publisher/:s.svg', '/badge/publisher/:s.json', '/topics/:s/feed.atom',
  '/publishers/:s/feed.atom', '/events/:s', '/api/events/:s', '/gaps/:s/:s', '/assets/:s', '/raw/:s', '/:s', '/:s/:s',
];
const HEADERS: Record<string, string>[] = [
  {}, { 'accept-encoding': 'gzip' }, { 'accept-encoding': 'gzip;q=0, *;q=0' }, { 'if-none-match': '*' }, { 'if-none-match': 'W/"x", "' },
  { accept: 'text/html' }, { 'accept-encoding': 'br;q=abc' }, { range: 'bytes=0-10' }, { 'if-modified-since': 'yesterday' },
];

describe('the route fuzzer', () => {
  it('sees no 5xx in 4,000 requests to every route', async () => {
    const { db } = loadedDb(NOW);
    const app = appAt(db, NOW);
    const r = rng(20261201);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const failures: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const path = pick(TEMPLATES).replace(/:s/g, () => pick(SEGMENTS));
      const query = Array.from({ length: Math.floor(r() * 4) }, () => `${encodeURIComponent(pick(PARAMS))}=${encodeURIComponent(pick(VALUES))}`);
      // Sometimes a raw, unencoded value, and repeated keys.
      if (r() < 0.1) query.push(`${pick(PARAMS)}=${pick(VALUES)}`);
      const url = `${path}${query.length ? `?${query.join('&')}` : ''}`;
      const method = r() < 0.85 ? 'GET' : pick(['HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);
      let status: number;
      try {
        const res = await app.request(url, { method, headers: pick(HEADERS) });
        status = res.status;
        await res.arrayBuffer(); // a stream that fails half-way is a failure too
      } catch (e) {
        status = 599;
        failures.push(`${method} ${url.slice(0, 200)}: threw ${(e as Error).message}`);
        continue;
      }
      if (status >= 500) failures.push(`${method} ${url.slice(0, 200)}: ${status}`);
    }
    expect(failures).toEqual([]);
  });
});
