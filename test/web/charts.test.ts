// Charts that can be taken away: the static chart (SVG and PNG) draws every disclosed value, with
// year ticks, labelled calendar entries and a legend; a shared series link previews it (OpenGraph
// and Twitter cards); the embed page carries the attribution.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { isolatedPoints, niceTicks, yearTicks } from '../../web/chart-svg.js';
import { appAt, at, loadedDb } from '../helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const LAND = 'cn.nbs.real_estate.land_purchase_area.ytd';
const ORIGIN = 'https://lacuna.example';
let app: Hono;
beforeAll(() => { app = appAt(loadedDb(NOW).db, NOW, ORIGIN); });

/** The (x, y) of every drawn value of the main series: polyline vertices and dots in its colour. */
function drawnValues(svg: string): number {
  const lines = [...svg.matchAll(/<polyline points="([^"]+)" fill="none" stroke="#1f5fa8"/g)].map((m) => m[1]!.split(' ').length);
  const dots = [...svg.matchAll(/<circle [^>]*fill="#1f5fa8"/g)].length;
  return lines.reduce((a, b) => a + b, 0) + dots;
}

describe('the static series chart', () => {
  it('draws all ten land-purchase values, the last one (2021-12) as a dot between two gaps', async () => {
    const res = await app.request(`/series/${LAND}/chart.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await res.text();
    expect(drawnValues(svg)).toBe(10);
  });

  it('ticks the time axis at years, labels the calendar entries and lists them in the legend', async () => {
    const svg = await (await app.request(`/series/${YOUTH}/chart.svg`)).text();
    const axis = [...svg.matchAll(/text-anchor="middle" font-size="13" fill="#4b5563">(\d+)</g)].map((m) => m[1]);
    expect(axis).toEqual(['2018', '2019', '2020', '2021', '2022', '2023', '2024', '2025', '2026']);
    expect(svg).toMatch(/rotate\(-90\)" font-size="11" fill="#1e40af">20th National Congress/);
    expect(svg).toContain('>Political calendar</text>');
    expect(svg).toContain('>Method break</text>');
    expect(svg).toContain('>Suspended</text>');
    expect(svg).toContain(`Chart: lacuna · Data: National Bureau of Statistics of China`);
  });

  it('renders the same chart as a PNG, and as a download with ?dl=1', async () => {
    const res = await app.request(`/series/${YOUTH}/chart.png?dl=1&utm_source=x`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${YOUTH}.png"`);
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1200); // IHDR width
    expect(png.readUInt32BE(20)).toBe(630);
  });

  it('says so when a series has no value on record, and answers 404 for an unknown series', async () => {
    expect(await (await app.request('/series/cn.nbs.gdp.real_growth_yoy.quarterly/chart.svg')).text()).toContain('No value on record');
    expect((await app.request('/series/no.such/chart.png')).status).toBe(404);
  });
});

describe('what a shared link previews', () => {
  it('gives a series page OpenGraph and Twitter card tags with the chart image and the status', async () => {
    const html = await (await app.request(`/series/${YOUTH}?fbclid=x`)).text();
    expect(html).toContain(`<meta property="og:image" content="${ORIGIN}/series/${YOUTH}/chart.png"/>`);
    expect(html).toContain(`<meta property="og:url" content="${ORIGIN}/series/${YOUTH}"/>`);
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
    expect(html).toMatch(/<meta property="og:description" content="Discontinued: discontinued since July 2023/);
  });

  it.each(['/', '/gaps', '/disclosure', '/calendar', '/alerts'])('gives %s OpenGraph and Twitter card tags', async (path) => {
    const html = await (await app.request(path)).text();
    expect(html).toMatch(/<meta property="og:title" content="[^"]+ · lacuna"\/>/);
    expect(html).toContain('<meta name="twitter:card"');
    expect(html).toContain('<meta property="og:description"');
  });

  it('offers the chart as PNG, SVG and an embed snippet with the attribution, and the embed page states its source', async () => {
    const html = await (await app.request(`/series/${YOUTH}`)).text();
    expect(html).toContain('id="chart"');
    expect(html).toContain(`href="/series/${YOUTH}/chart.png?dl=1"`);
    expect(html).toContain(`href="/series/${YOUTH}/chart.svg?dl=1"`);
    expect(html).toContain(`&lt;iframe src=&quot;${ORIGIN}/embed/series/${YOUTH}&quot;`);
    const embed = await (await app.request(`/embed/series/${YOUTH}?as_of=2023-09-01`)).text();
    expect(embed).toContain('<svg aria-label=');
    expect(embed).toContain(`href="${ORIGIN}/series/${YOUTH}?as_of=2023-09-01"`);
    expect(embed).toContain('Data: National Bureau of Statistics of China');
  });
});

describe('chart helpers', () => {
  it('finds values with a gap on each side', () => {
    expect(isolatedPoints([1, null, 2, 3, null, 4])).toEqual([0, 5]);
    expect(isolatedPoints([null, 5, null])).toEqual([1]);
  });

  it('ticks every year on a short axis and every fifth on a long one', () => {
    expect(yearTicks(['2022-11', '2022-12', '2023-01', '2023-02']).map((t) => t.year)).toEqual(['2022', '2023']);
    const annual = Array.from({ length: 40 }, (_, i) => String(1990 + i));
    expect(yearTicks(annual).map((t) => t.year)).toEqual(['1990', '1995', '2000', '2005', '2010', '2015', '2020', '2025']);
    expect(niceTicks(9.6, 21.3)).toEqual([7.5, 10, 12.5, 15, 17.5, 20, 22.5]);
  });
});
