// Links shared on social media and in newsletters come back with tracking parameters (fbclid,
// utm_source, a cache-buster ?v=2): pages, CSVs, badges and feeds answer them as if they were not
// there; a malformed known parameter on a page gets a page that says so; the JSON API stays strict.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { appAt, at, loadedDb } from '../helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
let app: Hono;
beforeAll(() => { app = appAt(loadedDb(NOW).db, NOW); });

describe('links that survive sharing', () => {
  it.each([
    [`/series/${YOUTH}?fbclid=x`, 'text/html'],
    ['/?utm_source=newsletter&utm_medium=email', 'text/html'],
    ['/gaps?ref=twitter', 'text/html'],
    ['/disclosure?utm_campaign=x', 'text/html'],
    ['/calendar?fbclid=y', 'text/html'],
    ['/alerts?utm_source=x', 'text/html'],
    [`/series/${YOUTH}.csv?utm_source=x`, 'text/csv'],
    ['/export.csv?fbclid=1', 'text/csv'],
    ['/events.csv?ref=x', 'text/csv'],
    ['/gaps.csv?fbclid=1', 'text/csv'],
    ['/disclosure.csv?utm_source=x', 'text/csv'],
    [`/badge/series/${YOUTH}.svg?v=2`, 'image/svg+xml'],
    [`/badge/series/${YOUTH}.json?v=2`, 'application/json'],
    ['/badge/publisher/nbs.svg?v=2', 'image/svg+xml'],
    ['/feed.atom?utm_source=x', 'application/atom+xml'],
    [`/series/${YOUTH}/feed.atom?fbclid=x`, 'application/atom+xml'],
  ])('answers %s as if the unknown parameters were not there', async (path, type) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(type);
    const clean = await app.request(path.replace(/\?.*$/, ''));
    expect(await res.text()).toBe(await clean.text());
  });

  it('keeps the known parameters of a shared link that also carries unknown ones', async () => {
    const res = await app.request(`/series/${YOUTH}?as_of=2023-09-01&fbclid=x`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('As of 2023-09-01');
  });

  it('answers a malformed known parameter on a page with a readable HTML page that links to the page without it', async () => {
    const res = await app.request(`/series/${YOUTH}?as_of=2023-02-30&utm_source=x`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<code>as_of=2023-02-30</code>: no such date');
    expect(html).toContain(`href="/series/${YOUTH}?utm_source=x"`);
    const board = await app.request('/?status=bogus');
    expect([board.status, board.headers.get('content-type')]).toEqual([400, 'text/html; charset=UTF-8']);
  });

  it('keeps the JSON API strict: an unknown parameter is a 400 naming it', async () => {
    for (const path of ['/api/series?utm_source=x', `/api/series/${YOUTH}?fbclid=x`, `/api/series/${YOUTH}/observations?v=2`, '/api/events?ref=x', '/api/disclosure?x=1']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(400);
      const body = await res.json() as { parameter: string };
      expect(body.parameter, path).toMatch(/utm_source|fbclid|v|ref|x/);
    }
  });

  it('answers a malformed parameter of a CSV as JSON, not as a page', async () => {
    const res = await app.request(`/series/${YOUTH}.csv?dl=yes`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ parameter: 'dl' });
  });
});
