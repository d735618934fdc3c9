// Stable addresses an article can cite: an event (/events/:id, /api/events/:id) and a period
// or gap of a series (/gaps/:seriesId/:period). The pages carry the anchors they point to:
// id="event-<eventId>" on each event of the timeline, id="period-<period>" on each row of the
// periods table (web/pages/series.tsx).
import type { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { NotFoundPage } from '../pages/not-found.js';
import { eventJson } from '../event-json.js';
import { href } from '../pages/layout.js';
import { asOfInstant, asOfParam, parseQuery } from '../query.js';
import { getSeries, listEvents, type EventView } from '../../src/read/read-model.js';

/** An event with its citations, or null; with `until` ('YYYY-MM-DD'), only if dated on or before it. */
function findEvent(deps: AppDeps, id: string, until?: string): EventView | null {
  return listEvents(deps.db, { ids: [id], ...(until ? { until } : {}) })[0] ?? null;
}

/** The series page address of an event or a period: /series/<id>[?as_of=...]#<anchor>. */
function seriesAnchor(seriesId: string, anchor: string, asOf?: string): string {
  return `${href(`/series/${encodeURIComponent(seriesId)}`, { as_of: asOf })}#${encodeURIComponent(anchor)}`;
}

export function registerPermalinkRoutes(app: Hono, deps: AppDeps): void {
  app.get('/events/:id', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam });
    const e = findEvent(deps, c.req.param('id'), q.as_of);
    if (!e) return c.html(<NotFoundPage what={`event ${c.req.param('id')}`} />, 404);
    return c.redirect(seriesAnchor(e.seriesId, `event-${e.id}`, q.as_of), 302);
  });

  app.get('/api/events/:id', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam }, 'strict');
    const e = findEvent(deps, c.req.param('id'), q.as_of);
    if (!e) return c.json({ error: `unknown event: ${c.req.param('id')}` }, 404);
    return c.json({ ...eventJson(e), series_url: seriesAnchor(e.seriesId, `event-${e.id}`, q.as_of) });
  });

  app.get('/gaps/:seriesId/:period', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam });
    const { seriesId, period } = c.req.param();
    const s = getSeries(deps.db, seriesId, asOfInstant(q.as_of, deps.now()));
    if (!s) return c.html(<NotFoundPage what={`series ${seriesId}`} />, 404);
    // Only periods the series' grid holds have a row (and an anchor) on its page.
    if (!s.evaluation.grid.some((g) => g.period === period)) {
      return c.html(<NotFoundPage what={`period ${period} of series ${seriesId}`} />, 404);
    }
    return c.redirect(seriesAnchor(s.id, `period-${period}`, q.as_of), 302);
  });
}
