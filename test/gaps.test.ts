// The gaps timeline: runs of periods on one time axis, their spans, links and tooltips, the CSV,
// the as-of view and bad parameters.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGrid, type SeriesFacts } from '../src/core/index.js';
import { runsOf } from '../web/gaps-model.js';
import { createApp } from '../web/app.js';
import { at, badParameter, loadedDb } from './helpers.js';

const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');
const NOW = at('2024-03-01T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';

describe('runsOf', () => {
  const facts: SeriesFacts = {
    frequency: 'quarterly',
    release: { lagDays: 20, time: '10:00', timeZone: 'Asia/Shanghai', graceDays: 5, janFebCombined: false, calendar: {} },
    gridFrom: '2022-Q1', recordFrom: '2022-Q1', checkedAt: at('2023-06-01T00:00:00Z'), paused: false,
    observations: ['2022-Q1', '2022-Q2'].map((period, i) => ({ period, value: i, valueText: String(i), firstSeenAt: 0, knownAt: 0, revised: false, withdrawn: false })),
    events: [],
  };

  it('merges periods with the same state and spans each quarter over its three months', () => {
    const grid = buildGrid(facts, at('2023-06-01T00:00:00Z'));
    const runs = runsOf(grid, 'quarterly', at('2022-01-01T00:00:00Z'), at('2023-07-01T00:00:00Z'));
    expect(runs.map((r) => [r.state, r.from, r.to, new Date(r.start).toISOString().slice(0, 10), new Date(r.end).toISOString().slice(0, 10)])).toEqual([
      ['disclosed', '2022-Q1', '2022-Q2', '2022-01-01', '2022-07-01'],
      ['missing', '2022-Q3', '2023-Q1', '2022-07-01', '2023-04-01'],
      ['not_due', '2023-Q2', '2023-Q2', '2023-04-01', '2023-07-01'],
    ]);
  });

  it('clips runs to the window', () => {
    const grid = buildGrid(facts, at('2023-06-01T00:00:00Z'));
    const runs = runsOf(grid, 'quarterly', at('2022-02-01T00:00:00Z'), at('2022-05-01T00:00:00Z'));
    expect(runs.map((r) => [r.from, r.to, new Date(r.start).toISOString().slice(0, 10), new Date(r.end).toISOString().slice(0, 10)])).toEqual([
      ['2022-Q1', '2022-Q2', '2022-02-01', '2022-05-01'],
    ]);
  });
});

describe('/gaps', () => {
  const { db } = loadedDb(NOW);
  const app = createApp({ db, now: () => NOW });

  it('draws every series, the youth series with its suspension linked to the event and its discontinuation', async () => {
    const html = await (await app.request('/gaps')).text();
    const total = (await (await app.request('/api/series?limit=1000')).json() as { total: number }).total;
    expect(html.match(/<tr data-series="/g)).toHaveLength(total);
    const row = html.slice(html.indexOf(`<tr data-series="${YOUTH}"`), html.indexOf('</tr>', html.indexOf(`<tr data-series="${YOUTH}"`)));
    expect(row).toMatch(/href="\/series\/cn\.nbs\.unemployment\.urban\.age16_24#event-cn-nbs-youth-1624-suspension-announced-2023-08-15"><rect[^>]*data-state="suspended"><title>[^<]*July 2023 – November 2023, Suspended — NBS suspends/);
    expect(row).toMatch(/data-state="discontinued"><title>[^<]*December 2023 – /);
    expect(row).toContain('url(#gap-hatch)'); // suspended reads without colour too
  });

  it('groups by topic, a series under each of its topics', async () => {
    const html = await (await app.request('/gaps?group=topic')).text();
    expect(html).toContain('<h2 id="g-youth">youth');
    expect(html.split(`<tr data-series="${YOUTH}"`).length - 1).toBe(2); // labour and youth
  });

  it('shows what lacuna knew on an earlier date', async () => {
    const html = await (await app.request('/gaps?as_of=2023-08-01')).text();
    const start = html.indexOf(`<tr data-series="${YOUTH}"`);
    expect(start).toBeGreaterThan(-1);
    const row = html.slice(start, html.indexOf('</tr>', start));
    expect(row).toContain('data-state="disclosed"');
    expect(row).not.toContain('data-state="suspended"');
  });

  it('refuses a malformed month naming the parameter', async () => {
    const res = await app.request('/gaps?from=2015-13');
    expect(res.status).toBe(400);
    expect(await badParameter(res)).toBe('from');
    expect((await app.request('/gaps?group=colour')).status).toBe(400);
    // A window that ends before it starts, for the page and the CSV alike.
    for (const path of ['/gaps?from=2024-02&to=2024-01', '/gaps.csv?from=2024-02&to=2024-01']) {
      const bad = await app.request(path);
      expect(bad.status, path).toBe(400);
      expect(await badParameter(bad)).toBe('from');
    }
  });
});

describe('/gaps at scale: pages and filters', () => {
  // The bundled series plus copies, so the timeline runs to a second page (100 a page).
  const { db } = loadedDb(NOW);
  const sqlite = db.$client;
  sqlite.exec(`CREATE TEMP TABLE copy AS SELECT * FROM series WHERE id = '${YOUTH}'`);
  const columns = (sqlite.prepare('PRAGMA table_info(series)').all() as { name: string }[]).map((c) => c.name);
  const insert = sqlite.prepare(`INSERT INTO series (${columns.join(', ')}) SELECT ${columns.map((c) => (c === 'id' ? '?' : c)).join(', ')} FROM copy`);
  for (let i = 0; i < 60; i++) insert.run(`zz.copy.${String(i).padStart(2, '0')}`);
  const app = createApp({ db, now: () => NOW });
  const ids = (html: string) => [...html.matchAll(/<tr data-series="([^"]+)"/g)].map((m) => m[1]!);

  it('draws 100 series a page and links to the next by keyset, every series exactly once over the pages', async () => {
    const total = (await (await app.request('/api/series?limit=1000')).json() as { total: number }).total;
    expect(total).toBeGreaterThan(100);
    const first = await (await app.request('/gaps')).text();
    expect(ids(first)).toHaveLength(100);
    expect(first).toContain(`100 shown of ${total} series, 100 a page.`);
    const next = first.match(/<a rel="next" href="([^"]+)"/)![1]!.replaceAll('&amp;', '&');
    expect(next).toMatch(/^\/gaps\?after=/);
    const second = await (await app.request(next)).text();
    expect(second).not.toContain('rel="next"');
    expect(second).toContain('href="/gaps">← First page');
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(total);
  });

  it('keeps the window, the grouping and the filters in the next page link and the CSV link', async () => {
    const html = await (await app.request('/gaps?group=topic&from=2020-01&to=2024-01')).text();
    const next = html.match(/<a rel="next" href="([^"]+)"/)![1]!.replaceAll('&amp;', '&');
    expect(Object.fromEntries(new URLSearchParams(next.split('?')[1]))).toMatchObject({ group: 'topic', from: '2020-01', to: '2024-01' });
    const youth = await (await app.request('/gaps?group=topic&from=2020-01&to=2024-01&topic=youth')).text();
    const csv = youth.match(/<a href="(\/gaps\.csv[^"]+)"/)![1]!.replaceAll('&amp;', '&');
    expect(new URLSearchParams(csv.split('?')[1])).toEqual(new URLSearchParams('from=2020-01&to=2024-01&topic=youth&dl=1'));
  });

  it('shows only the series a filter asks for, with their statuses', async () => {
    const api = await (await app.request('/api/series?status=suspended&limit=1000')).json() as { series: { id: string }[] };
    expect(api.series.length).toBeGreaterThan(0);
    const html = await (await app.request('/gaps?status=suspended')).text();
    expect(ids(html).sort()).toEqual(api.series.map((s) => s.id).sort());
    expect(html).toContain('<option value="suspended" selected="">');
    const nbs = await (await app.request('/gaps?publisher=nbs&topic=youth')).text();
    expect(ids(nbs).length).toBeGreaterThan(60);
    expect((await app.request('/gaps?status=gone')).status).toBe(400);
    expect((await app.request('/gaps?after=NOT AN ID')).status).toBe(400);
  });

  const seriesOf = (text: string) => text.trim().split('\r\n').slice(1).map((l) => l.split(',')[0]!);
  const apiIds = async (query: string) =>
    ((await (await app.request(`/api/series?limit=1000&${query}`)).json()) as { series: { id: string }[] }).series.map((s) => s.id).sort();

  it('writes the CSV a chunk of series at a time: each series in one block, in id order, every period of the window', async () => {
    const rows = seriesOf(await (await app.request('/gaps.csv?from=2023-01&to=2023-12')).text());
    const blocks = rows.filter((id, i) => id !== rows[i - 1]);
    expect(blocks.length).toBeGreaterThan(100); // three chunks of 50
    expect(blocks).toEqual([...new Set(blocks)].sort());
    for (const id of [YOUTH, 'zz.copy.00', 'zz.copy.59']) expect(rows.filter((r) => r === id), id).toHaveLength(12);
    const known = new Set(await apiIds(''));
    expect(blocks.filter((id) => !known.has(id))).toEqual([]);
    expect(seriesOf(await (await app.request('/gaps.csv?status=suspended')).text()).filter((id, i, a) => id !== a[i - 1]))
      .toEqual(await apiIds('status=suspended'));
  });

  it('filters by the status of the as-of date, in the page and the CSV', async () => {
    const then = await apiIds('as_of=2023-08-01&status=current');
    expect(then).toContain(YOUTH); // current then, discontinued now
    expect(await apiIds('status=current')).not.toContain(YOUTH);
    const page = await (await app.request('/gaps?as_of=2023-08-01&status=current')).text();
    expect(ids(page).sort()).toEqual(then);
    const csv = seriesOf(await (await app.request('/gaps.csv?as_of=2023-08-01&status=current')).text());
    expect([...new Set(csv)]).toEqual(then);
  });
});

describe('/gaps.csv', () => {
  it('writes one row per series and period in the window, exactly', async () => {
    const { db } = loadedDb(at('2023-09-01T00:00:00Z'), MINI);
    const res = await createApp({ db, now: () => at('2023-09-01T00:00:00Z') }).request('/gaps.csv?from=2023-05&to=2023-08&dl=1');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="lacuna-gaps.csv"');
    expect(await res.text()).toBe(
      'series_id,publisher,frequency,period,state,sdmx_obs_status,event_id,event_title,country\r\n' +
      'test.youth,nbs,monthly,2023-05,disclosed,A,,,CN\r\n' +
      'test.youth,nbs,monthly,2023-06,disclosed,A,,,CN\r\n' +
      'test.youth,nbs,monthly,2023-07,suspended,L,test-youth-suspension,NBS suspends age-group unemployment rates,CN\r\n' +
      'test.youth,nbs,monthly,2023-08,suspended,L,test-youth-suspension,NBS suspends age-group unemployment rates,CN\r\n',
    );
  });
});
