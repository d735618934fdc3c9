import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../web/app.js';
import { at, badParameter, loadedDb } from './helpers.js';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');
const NOW = at('2023-09-01T00:00:00Z');

function app() {
  const { db } = loadedDb(NOW, MINI);
  return createApp({ db, now: () => NOW });
}

describe('the HTTP app', () => {
  it('lists series with their status as JSON', async () => {
    const res = await app().request('/api/series');
    expect(res.status).toBe(200);
    const body = await res.json() as { total: number; series: { id: string; status: string; last_disclosed: string; dark_since: string }[] };
    expect(body.total).toBe(1);
    expect(body.series[0]).toMatchObject({ id: 'test.youth', status: 'suspended', last_disclosed: '2023-06', dark_since: '2023-07' });
  });

  it('filters by status and answers as of a past date', async () => {
    const a = app();
    expect((await (await a.request('/api/series?status=current')).json() as { total: number }).total).toBe(0);
    const asOf = await (await a.request('/api/series?as_of=2023-08-01')).json() as { series: { status: string }[] };
    expect(asOf.series[0]!.status).toBe('current');
  });

  it('gives one series with its events and citations', async () => {
    const body = await (await app().request('/api/series/test.youth')).json() as { events: { id: string; citations: { url: string }[] }[] };
    expect(body.events.map((e) => e.id)).toEqual(['test-youth-suspension']);
    expect(body.events[0]!.citations[0]!.url).toBe('https://www.ecns.cn/news/economy/2023-08-15/detail-ihcsemmm4541146.shtml');
  });

  it('gives the period grid with states, SDMX codes and the explaining event', async () => {
    const body = await (await app().request('/api/series/test.youth/observations')).json() as { periods: { period: string; state: string; sdmx_obs_status: string; event_id: string | null; value_text: string | null }[] };
    expect(body.periods.map((p) => [p.period, p.state, p.sdmx_obs_status, p.event_id, p.value_text])).toEqual([
      ['2023-03', 'disclosed', 'A', null, '19.6'],
      ['2023-04', 'disclosed', 'A', null, '20.4'],
      ['2023-05', 'disclosed', 'A', null, '20.8'],
      ['2023-06', 'disclosed', 'A', null, '21.3'],
      ['2023-07', 'suspended', 'L', 'test-youth-suspension', null],
      // Not due yet, but already covered by the announced suspension.
      ['2023-08', 'suspended', 'L', 'test-youth-suspension', null],
      ['2023-09', 'suspended', 'L', 'test-youth-suspension', null],
    ]);
  });

  it('lists events, optionally for one series', async () => {
    const a = app();
    expect(((await (await a.request('/api/events')).json()) as { events: unknown[] }).events).toHaveLength(1);
    expect(((await (await a.request('/api/events?series=test.youth')).json()) as { events: unknown[] }).events).toHaveLength(1);
  });

  it.each([
    ['/api/series/no.such.series', 'unknown series: no.such.series'],
    ['/api/series/no.such.series/observations', 'unknown series: no.such.series'],
    ['/series/no.such.series.csv', 'unknown series: no.such.series'],
    ['/api/events?series=no.such.series', 'unknown series: no.such.series'],
  ])('answers 404 with a JSON message for an unknown series at %s', async (path, message) => {
    const res = await app().request(path);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: message });
  });

  it.each([
    ['/api/series?status=gone', 'status'],
    ['/api/series?as_of=2023-02-30', 'as_of'],
    ['/api/series?as_of=yesterday', 'as_of'],
    ['/api/series?limit=0', 'limit'],
    ['/api/series?colour=red', 'colour'],
    ['/series/test.youth.csv?dl=yes', 'dl'],
    ['/export.csv?as_of=2023-9-1', 'as_of'],
    ['/?status=bogus', 'status'],
  ])('answers 400 naming the parameter for %s', async (path, param) => {
    const res = await app().request(path);
    expect(res.status).toBe(400);
    expect(await badParameter(res.clone())).toBe(param);
    if (path.startsWith('/api/')) expect((await res.json() as { error: string }).error).toContain(`"${param}"`);
  });

  it('serves Chart.js and the annotation plugin locally', async () => {
    const a = app();
    for (const name of ['chart.umd.min.js', 'chartjs-plugin-annotation.min.js', 'series-chart.js', 'style.css']) {
      const res = await a.request(`/assets/${name}`);
      expect(res.status, name).toBe(200);
      expect((await res.arrayBuffer()).byteLength, name).toBeGreaterThan(100);
    }
    expect((await a.request('/assets/../package.json')).status).toBe(404);
  });

  it('shows the board and a series page as HTML, and a 404 page for an unknown series', async () => {
    const a = app();
    const board = await a.request('/');
    expect(board.status).toBe(200);
    expect(await board.text()).toContain('Youth unemployment 16-24 (test copy)');
    const page = await (await a.request('/series/test.youth')).text();
    expect(page).toContain('NBS suspends age-group unemployment rates');
    expect(page).toContain('https://www.ecns.cn/news/economy/2023-08-15/detail-ihcsemmm4541146.shtml');
    expect((await a.request('/series/no.such.series')).status).toBe(404);
  });
});

describe('the board as of a past date', () => {
  it('counts and filters by the statuses lacuna would have given then', async () => {
    const { db } = loadedDb(at('2024-03-01T00:00:00Z'), join(import.meta.dirname, 'fixtures', 'mini-catalogue'));
    const app = createApp({ db, now: () => at('2024-03-01T00:00:00Z') });
    const before = await (await app.request('/api/series?status=current&as_of=2023-08-01')).json() as { total: number; series: { id: string }[] };
    expect(before.series.map((s) => s.id)).toEqual(['test.youth']);
    const dark = await (await app.request('/api/series?status=dark&as_of=2023-08-01')).json() as { total: number };
    expect(dark.total).toBe(0);
    const page = await (await app.request('/?as_of=2023-08-01')).text();
    expect(page).toMatch(/<strong class="dark-count">0<\/strong>/);
    const today = await (await app.request('/')).text();
    expect(today).toMatch(/<strong class="dark-count">1<\/strong>/);
  });
});
