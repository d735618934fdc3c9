// Embeddable status badges: /badge/series/:id.svg|.json, /badge/publisher/:id.svg|.json and
// /badge/country/:code.svg|.json (CN, US, GB...).
// The JSON is the shields.io endpoint format ({ schemaVersion: 1, label, message, color }) plus
// lacuna's own fields (status, history, url), so shields.io can restyle the same badge.
import type { Context, Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { badgeStory, type StoryChapter, type StorySeries } from '../../src/core/badge-story.js';
import { DARK_STATUSES } from '../../src/core/types.js';
import { badgeSvg, CLEAR_COLOR, DARK_COLOR, STATUS_COLOR } from '../badge-svg.js';
import { href } from '../pages/layout.js';
import { asOfInstant, asOfParam, parseQuery } from '../query.js';
import { countrySeries, eventKindsBySeries, getSeries, publisherSeries, type EvaluatedSeries } from '../../src/read/read-model.js';
import { publicOrigin } from '../links.js';

const SERIES_LABEL = 'lacuna';
const CACHE = 'max-age=300';

interface Badge {
  label: string;
  message: string;
  color: string;
  status: string;
  history: unknown[];
  url: string;
}

function storyOf(s: EvaluatedSeries, kinds: Map<string, StorySeries['eventKinds']>): StorySeries {
  return { id: s.id, frequency: s.frequency, status: s.evaluation.status, grid: s.evaluation.grid, eventKinds: kinds.get(s.id) ?? {} };
}

function chapterJson(c: StoryChapter) {
  switch (c.kind) {
    case 'dark':
      return { kind: c.kind, state: c.state, event_kind: c.eventKind, event_id: c.eventId, from: c.from, to: c.to, words: c.words };
    case 'resumed':
      return { kind: c.kind, period: c.period, series_id: c.seriesId, method_break: c.methodBreak, words: c.words };
    case 'break':
      return { kind: c.kind, period: c.period, words: c.words };
  }
}

function seriesBadge(deps: AppDeps, id: string, at: number, url: string): Badge | null {
  const s = getSeries(deps.db, id, at);
  if (!s) return null;
  // An embedded badge of a series that left the catalogue says so rather than breaking.
  if (s.retractedAt !== null) return { label: SERIES_LABEL, message: 'left the catalogue', color: STATUS_COLOR.paused, status: 'retracted', history: [], url };
  const successor = s.successorId ? getSeries(deps.db, s.successorId, at) : null;
  const kinds = eventKindsBySeries(deps.db, [s.id, ...(successor ? [successor.id] : [])]);
  const story = badgeStory(storyOf(s, kinds), successor ? storyOf(successor, kinds) : null);
  return {
    label: SERIES_LABEL, message: story.message, color: STATUS_COLOR[story.status], status: story.status,
    history: story.history.map(chapterJson), url,
  };
}

/** A group's badge (a publisher's, a country's): how many of its series are dark, and which. */
function groupBadge(label: string, all: readonly EvaluatedSeries[], url: string): Badge {
  const dark = all.filter((s) => DARK_STATUSES.has(s.evaluation.status));
  return {
    label,
    message: `${dark.length} of ${all.length} series dark`,
    color: dark.length ? DARK_COLOR : CLEAR_COLOR,
    status: dark.length ? 'dark' : 'clear',
    history: dark.map((s) => ({ series_id: s.id, status: s.evaluation.status, dark_since: s.evaluation.darkSince?.period ?? null })),
    url,
  };
}

function publisherBadge(deps: AppDeps, id: string, at: number, url: string): Badge | null {
  const pub = publisherSeries(deps.db, id, at);
  return pub ? groupBadge(pub.id.toUpperCase(), pub.series, url) : null;
}

function countryBadge(deps: AppDeps, code: string, at: number, url: string): Badge | null {
  const country = countrySeries(deps.db, code, at);
  return country ? groupBadge(country.name, country.series, url) : null;
}

function send(c: Context, badge: Badge, ext: string): Response {
  if (ext === 'json') {
    const { label, message, color, ...lacuna } = badge;
    return c.json({ schemaVersion: 1, label, message, color, ...lacuna }, 200, { 'cache-control': CACHE });
  }
  return c.body(badgeSvg(badge), 200, {
    'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': CACHE, 'x-content-type-options': 'nosniff',
  });
}

/** 'cn.nbs.x.svg' -> ['cn.nbs.x', 'svg']. */
function splitExt(file: string): [string, 'svg' | 'json'] {
  const m = /^(.+)\.(svg|json)$/.exec(file)!;
  return [m[1]!, m[2] as 'svg' | 'json'];
}

export function registerBadgeRoutes(app: Hono, deps: AppDeps): void {

  app.get('/badge/series/:file{.+\\.(?:svg|json)}', (c) => {
    const [id, ext] = splitExt(c.req.param('file'));
    const q = parseQuery(c.req.query(), { as_of: asOfParam });
    const at = asOfInstant(q.as_of, deps.now());
    const badge = seriesBadge(deps, id, at, publicOrigin(deps) + href(`/series/${encodeURIComponent(id)}`, { as_of: q.as_of }));
    return badge ? send(c, badge, ext) : c.json({ error: `unknown series: ${id}` }, 404);
  });

  app.get('/badge/publisher/:file{.+\\.(?:svg|json)}', (c) => {
    const [id, ext] = splitExt(c.req.param('file'));
    const q = parseQuery(c.req.query(), { as_of: asOfParam });
    const at = asOfInstant(q.as_of, deps.now());
    const badge = publisherBadge(deps, id, at, publicOrigin(deps) + href('/', { publisher: id, as_of: q.as_of }));
    return badge ? send(c, badge, ext) : c.json({ error: `unknown publisher: ${id}` }, 404);
  });

  app.get('/badge/country/:file{[A-Z]{2}\\.(?:svg|json)}', (c) => {
    const [code, ext] = splitExt(c.req.param('file'));
    const q = parseQuery(c.req.query(), { as_of: asOfParam });
    const at = asOfInstant(q.as_of, deps.now());
    const badge = countryBadge(deps, code, at, publicOrigin(deps) + href('/', { country: code, as_of: q.as_of }));
    return badge ? send(c, badge, ext) : c.json({ error: `no series of country ${code}` }, 404);
  });
}
