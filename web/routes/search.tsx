// /search?q=: series and events by title (in English or Chinese), id, topic, publisher or account,
// from the search box in every page's header; /api/search?q= answers the same as JSON.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app.js';
import { Layout, StatusBadge } from '../pages/layout.js';
import { parseQuery } from '../query.js';
import { search, type SearchHit } from '../../src/read/search.js';

const qParam = z.string().max(200, 'at most 200 characters').optional();

export function registerSearchRoutes(app: Hono, deps: AppDeps): void {
  app.get('/search', (c) => {
    const q = parseQuery(c.req.query(), { q: qParam }).q ?? '';
    const hits = q ? search(deps.db, q) : [];
    const series = hits.filter((h) => h.kind === 'series');
    const events = hits.filter((h) => h.kind === 'event');
    return c.html(
      <Layout title={q ? `Search: ${q}` : 'Search'} query={q}>
        <h1>Search</h1>
        <form class="filters" method="get" action="/search" role="search">
          <label>Words <input type="search" name="q" value={q} placeholder="youth unemployment, 青年失业率, land" /></label>
          <button type="submit">Search</button>
        </form>
        {q ? <p class="muted">{hits.length ? `${series.length} series and ${events.length} events match “${q}”.` : `Nothing matches “${q}”.`}</p> : (
          <p class="muted">Titles in English and Chinese, series ids, topics, publishers and the accounts of events.</p>
        )}
        {series.length ? <><h2>Series</h2><ul class="search-hits">{series.map((h) => <Hit h={h} />)}</ul></> : null}
        {events.length ? <><h2>Events</h2><ul class="search-hits">{events.map((h) => <Hit h={h} />)}</ul></> : null}
      </Layout>,
    );
  });

  app.get('/api/search', (c) => {
    const q = parseQuery(c.req.query(), { q: qParam }, 'strict').q ?? '';
    return c.json({
      q, results: search(deps.db, q).map((h) => ({
        kind: h.kind, id: h.ref, series_id: h.seriesId, title: h.title, status: h.status, date: h.date,
        url: h.kind === 'series' ? `/series/${encodeURIComponent(h.seriesId)}` : `/series/${encodeURIComponent(h.seriesId)}#event-${encodeURIComponent(h.ref)}`,
      })),
    });
  });
}

function Hit({ h }: { h: SearchHit }) {
  const page = `/series/${encodeURIComponent(h.seriesId)}`;
  return h.kind === 'series'
    ? <li><a href={page}>{h.title}</a> <StatusBadge status={h.status ?? 'new'} /> <code class="series-id">{h.seriesId}</code></li>
    : <li><a href={`${page}#event-${encodeURIComponent(h.ref)}`}>{h.title}</a> <span class="muted">({h.date}, {h.seriesTitle})</span></li>;
}
