// A series chart to take away: /series/:id/chart.svg and chart.png (a link preview's image, a
// download, ?dl=1 as a file) and /embed/series/:id, a small page for an <iframe> with the chart
// and its attribution. Each takes ?as_of=YYYY-MM-DD.
import { createHash } from 'node:crypto';
import { Resvg } from '@resvg/resvg-js';
import type { Context, Hono } from 'hono';
import { raw } from 'hono/html';
import type { AppDeps } from '../app.js';
import { chartData, statusWords, type ChartData } from '../chart-data.js';
import { chartSvg, type ChartMeta } from '../chart-svg.js';
import { href, statusLabel } from '../pages/layout.js';
import { asOfInstant, asOfParam, dlParam, parseQuery } from '../query.js';
import { getSeries, listCalendar, listEvents, relatedSeries, type EvaluatedSeries } from '../../src/read/read-model.js';
import { publicOrigin } from '../links.js';

/** The chart data of a series page, as known at `at` (events up to the as-of date). */
export function seriesChartData(deps: AppDeps, s: EvaluatedSeries, at: number, asOf: string | undefined) {
  const all = relatedSeries(deps.db, s, at);
  const events = listEvents(deps.db, { seriesIds: [s.id, ...all.map((r) => r.series.id)], ...(asOf ? { until: asOf } : {}) });
  // As of a date, a related series lacuna had no record of then (a successor launched later) is a later fact.
  const related = asOf
    ? all.filter((r) => r.series.evaluation.grid.some((c) => c.value !== null) || events.some((e) => e.seriesId === r.series.id))
    : all;
  const calendar = listCalendar(deps.db).filter((c) => !asOf || c.from <= asOf);
  return { related, events: events.filter((e) => e.seriesId === s.id || related.some((r) => r.series.id === e.seriesId)), chart: chartData(s, related, events, calendar) };
}

export function chartMeta(s: EvaluatedSeries, origin: string, asOf: string | null): ChartMeta {
  return {
    title: s.title, subtitle: statusWords(s), publisher: s.publisher.name, asOf,
    pageUrl: `${origin}${href(`/series/${encodeURIComponent(s.id)}`, { as_of: asOf })}`,
  };
}

// Rendering a PNG takes tens of milliseconds: the last ones are kept, by the SVG they draw.
const pngs = new Map<string, Buffer>();
const PNG_KEPT = 64;

export function chartPng(svg: string): Buffer {
  const key = createHash('sha256').update(svg).digest('base64url');
  let png = pngs.get(key);
  if (!png) {
    png = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' }).render().asPng();
    if (pngs.size >= PNG_KEPT) pngs.delete(pngs.keys().next().value!);
    pngs.set(key, png);
  }
  return png;
}

export function registerChartRoutes(app: Hono, deps: AppDeps): void {
  const load = (c: Context, id: string) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam, dl: dlParam });
    const at = asOfInstant(q.as_of, deps.now());
    const s = getSeries(deps.db, id, at);
    return s ? { q, s, chart: seriesChartData(deps, s, at, q.as_of).chart } : null;
  };
  const image = (c: Context, ext: 'svg' | 'png') => {
    const id = c.req.param('id')!;
    const got = load(c, id);
    if (!got) return c.json({ error: `unknown series: ${id}` }, 404);
    const svg = chartSvg(got.chart, chartMeta(got.s, publicOrigin(deps), got.q.as_of ?? null));
    const body = ext === 'svg' ? svg : chartPng(svg);
    return c.body(typeof body === 'string' ? body : new Uint8Array(body), 200, {
      'content-type': ext === 'svg' ? 'image/svg+xml; charset=utf-8' : 'image/png',
      'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff',
      ...(got.q.dl === '1' ? { 'content-disposition': `attachment; filename="${id}${got.q.as_of ? `-as-of-${got.q.as_of}` : ''}.${ext}"` } : {}),
    });
  };
  app.get('/series/:id{.+}/chart.svg', (c) => image(c, 'svg'));
  app.get('/series/:id{.+}/chart.png', (c) => image(c, 'png'));

  app.get('/embed/series/:id{.+}', (c) => {
    const id = c.req.param('id');
    const got = load(c, id);
    if (!got) return c.text(`unknown series: ${id}`, 404);
    return c.html(<EmbedPage s={got.s} chart={got.chart} origin={publicOrigin(deps)} asOf={got.q.as_of ?? null} />);
  });
}

/** The iframe's page: the static chart, its title and status, and the attribution linking back. */
function EmbedPage({ s, chart, origin, asOf }: { s: EvaluatedSeries; chart: ChartData; origin: string; asOf: string | null }) {
  const meta = chartMeta(s, origin, asOf);
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{s.title} · lacuna</title>
          <meta property="og:site_name" content="lacuna" />
          <meta property="og:title" content={`${s.title} · lacuna`} />
          <meta property="og:description" content={statusWords(s)} />
          <meta property="og:url" content={meta.pageUrl} />
          <meta property="og:image" content={`${origin}/series/${encodeURIComponent(s.id)}/chart.png${asOf ? `?as_of=${asOf}` : ''}`} />
          <meta name="twitter:card" content="summary_large_image" />
          <link rel="canonical" href={meta.pageUrl} />
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href="/assets/embed.css" />
        </head>
        <body>
          <main>
            {raw(chartSvg(chart, meta).replace('<svg ', `<svg aria-label="${s.title.replace(/[&"<]/g, '')}: ${statusLabel(s.evaluation.status)}" `))}
            <p>
              <a href={meta.pageUrl} target="_blank" rel="noopener">{s.title}</a>: {statusWords(s)}. Data: {s.publisher.name}. Chart:{' '}
              <a href={origin + '/'} target="_blank" rel="noopener">lacuna</a>{asOf ? `, as known on ${asOf}` : ''}.
            </p>
          </main>
        </body>
      </html>
    </>
  );
}
