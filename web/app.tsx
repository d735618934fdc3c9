// The HTTP app. createApp(deps) returns it and never listens (server.ts does); tests call app.request().
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { readAsset } from './assets.js';
import { csvResponse, csvStream } from './csv.js';
import { EVENT_COLUMNS, GRID_COLUMNS, gridRows } from '../src/formats/csv.js';
import { asOfInstant, asOfParam, bomParam, countryParam, dlParam, idParam, isDataPath, limitParam, pageParam, parseQuery, QueryError, statusParam, topicParam } from './query.js';
import { BOARD_SORTS, boardRows } from '../src/read/board.js';
import { BadRequestPage } from './pages/bad-request.js';
import {
  boardSummary, evaluateAll, exportChunk, getSeries, listEvents, listFetchRuns, rawAnswer, listSeries, observationHistory, relatedSeries, storedObservations, warmAsOfHelper, withSparklines, type EvaluatedSeries,
} from '../src/read/read-model.js';
import { registerDisclosureRoutes } from './routes/disclosure.js';
import { registerBadgeRoutes } from './routes/badges.js';
import { registerPermalinkRoutes } from './routes/permalinks.js';
import { registerChartRoutes, seriesChartData } from './routes/charts.js';
import { registerGlossaryRoutes } from './routes/glossary.js';
import { registerDownloadRoutes } from './routes/downloads.js';
import { registerSearchRoutes } from './routes/search.js';
import { eventJson } from './event-json.js';
import { openApi } from './openapi.js';
import { createPageCache, type PageCache } from './page-cache.js';
import { compress } from 'hono/compress';
import { disclosureHeadline, headlineAsOfWindow, headlineWindow } from '../src/read/disclosure.js';
import { registerGapsRoutes } from './routes/gaps.js';
import { registerCalendarRoutes } from './routes/calendar.js';
import { registerPromiseRoutes } from './routes/promises.js';
import { promiseViews, listCalendarReads } from '../src/read/promises.js';
import { AlertsPage } from './pages/alerts.js';
import { atomFeed } from './feeds.js';
import { alertMessages, channelViews, type FlipFilter } from '../src/read/alerts.js';
import { feedEvents } from '../src/read/feed-events.js';
import { BoardPage, SPARK_CELLS } from './pages/board.js';
import { SeriesPage } from './pages/series.js';
import { NotFoundPage } from './pages/not-found.js';
import { observationsJson } from '../src/formats/grid-format.js';
import { acceptsGzip, storedAnswer } from './stored-answer.js';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { AlertOptions } from '../src/core/index.js';
import { publicOrigin } from './links.js';
import { securityHeaders } from './security.js';
import { createGate, everySeriesAsOf, type Gate } from './heavy.js';

/** Series per chunk of /export.csv: most are stored answers; as of a date each is evaluated, so fewer. */
const EXPORT_BATCH = 50;
const AS_OF_EXPORT_BATCH = 10;

/** Route modules, each `(app, deps) => void`, registered in this order before the pages. */
const ROUTE_MODULES: ((app: Hono, deps: AppDeps) => void)[] = [
  registerGapsRoutes, registerCalendarRoutes, registerDisclosureRoutes, registerBadgeRoutes, registerPermalinkRoutes, registerChartRoutes, registerGlossaryRoutes, registerDownloadRoutes, registerSearchRoutes, registerPromiseRoutes,
];

export interface AppDeps {
  db: Db;
  /** The clock, injected so tests control time. */
  now: () => number;
  /** Base URL of links that leave a page (LACUNA_PUBLIC_URL or the listening address); never the Host header. */
  publicUrl?: string;
  /** The alert options in force, for the /alerts page's table of rules. */
  alertOptions?: AlertOptions;
  /** Rendered pages kept between requests (createApp makes one). */
  pages?: PageCache;
  /** One heavy computation at a time (createApp makes one). */
  gate?: Gate;
  /** How long heavy work runs before it hands the event loop back (ms); 40 by default. */
  sliceMs?: number;
}

// Built once: parseQuery keeps one zod object per set of field schemas, which a schema built per request would defeat.
const sortParam = z.enum(BOARD_SORTS).optional();

const notFoundJson = (what: string) =>
  new HTTPException(404, { res: Response.json({ error: `unknown series: ${what}` }, { status: 404 }) });

function seriesJson(s: EvaluatedSeries, now: number) {
  const e = s.evaluation;
  return {
    id: s.id, title: s.title, title_local: s.titleLocal, publisher: s.publisher.id, publisher_name: s.publisher.name,
    country: s.country?.code ?? null, country_name: s.country?.name ?? null, unit: s.unit, frequency: s.frequency, topics: s.topics, status: e.status, reason: e.reason,
    last_disclosed: e.lastDisclosed, dark_since: e.darkSince?.period ?? null,
    due_at: e.darkSince ? new Date(e.darkSince.dueAt).toISOString() : null, days_overdue: e.daysOverdue,
    next_check_at: e.nextCheckAt === null ? null : new Date(e.nextCheckAt).toISOString(),
    checked_at: s.checkedAt === null ? null : new Date(Math.min(s.checkedAt, now)).toISOString(),
    successor: s.successorId, proxies: s.proxies, source_health: s.publisher.health, check_error: s.checkError,
  };
}

export function createApp(appDeps: AppDeps) {
  const pages = appDeps.pages ?? createPageCache(appDeps.db, appDeps.now);
  const deps: AppDeps = { ...appDeps, pages, gate: appDeps.gate ?? createGate() };
  const { db } = deps;
  warmAsOfHelper(db, deps.now());
  const app = new Hono();
  app.use('*', securityHeaders);

  app.onError((err, c) => {
    if (err instanceof QueryError) {
      if (isDataPath(c.req.path)) return err.json();
      const url = new URL(c.req.url);
      const value = url.searchParams.get(err.parameter) ?? '';
      url.searchParams.delete(err.parameter);
      return c.html(<BadRequestPage parameter={err.parameter} value={value} reason={err.reason} without={url.pathname + url.search} />, 400);
    }
    if (err instanceof HTTPException) return err.getResponse();
    console.error(err);
    return c.json({ error: 'internal error' }, 500);
  });
  // Scripts and notebooks on other sites may read the API and the downloads (CORS, no
  // credentials): one header on every answer, and a preflight for clients that send one.
  app.options('*', (c) => (isDataPath(c.req.path)
    ? c.body(null, 204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, HEAD, OPTIONS', 'access-control-allow-headers': c.req.header('access-control-request-headers') ?? '', 'access-control-max-age': '86400' })
    : c.body(null, 405)));
  app.use('*', async (c, next) => {
    await next();
    if (isDataPath(c.req.path)) {
      c.res.headers.set('access-control-allow-origin', '*');
      c.res.headers.set('access-control-expose-headers', 'ETag');
    }
  });
  // The API's JSON, feeds, SVG and the pages not kept go compressed to clients that accept it.
  // CSVs stream as they are (an export of millions of rows is read faster than it would be
  // gzipped); stored answers and kept pages are compressed already.
  const compressor = compress();
  const compressible = (p: string) => p.startsWith('/api/') || p.startsWith('/embed/') || /\.(atom|svg|json)$/.test(p) || p === '/alerts' || p === '/search';
  app.use('*', (c, next) => (compressible(c.req.path) ? compressor(c, next) : next()));
  app.notFound((c) => (c.req.path.startsWith('/api/')
    ? c.json({ error: `no such endpoint: ${c.req.path}` }, 404)
    : c.html(<NotFoundPage what={c.req.path} />, 404)));

  app.get('/assets/:name', (c) => {
    const asset = readAsset(c.req.param('name'));
    if (!asset) return c.text('not found', 404);
    return c.body(new Uint8Array(asset.body), 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' });
  });

  // Archived publisher answers, as received (evidence behind values and inferred events).
  app.get('/raw/:hash{[0-9a-f]{64}}', (c) => {
    const raw = rawAnswer(db, c.req.param('hash'));
    if (!raw) return c.json({ error: `no archived answer ${c.req.param('hash')}` }, 404);
    const type = raw.contentType && /^[\w.+-]+\/[\w.+-]+/.test(raw.contentType) ? raw.contentType : 'application/octet-stream';
    // Sent as stored (gzip) to a client that takes gzip; inflated as a stream for one that does not,
    // so no request inflates a whole answer in memory.
    const gzip = acceptsGzip(c.req.header('accept-encoding'));
    const body = gzip ? new Uint8Array(raw.gz) : Readable.toWeb(Readable.from([raw.gz]).pipe(createGunzip())) as ReadableStream<Uint8Array>;
    return c.body(body, 200, {
      ...(gzip ? { 'content-encoding': 'gzip' } : {}), vary: 'accept-encoding',
      // Served as a download, never rendered: a publisher's HTML must not run on lacuna's origin.
      'content-type': type, 'content-disposition': `attachment; filename="${c.req.param('hash').slice(0, 16)}"`,
      'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'public, max-age=31536000, immutable',
    });
  });

  app.get('/api/openapi.json', (c) => {
    parseQuery(c.req.query(), {}, 'strict');
    return c.json(openApi(publicOrigin(deps)));
  });

  app.get('/api/series/:id/fetch-runs', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam }, 'strict');
    const at = asOfInstant(q.as_of, deps.now());
    const s = getSeries(db, c.req.param('id'), at);
    if (!s) return c.json({ error: `unknown series: ${c.req.param('id')}` }, 404);
    // As of a date: the runs started by its end, and no next read (that is today's plan).
    const next = q.as_of || s.nextFetchAt === null ? null : new Date(s.nextFetchAt).toISOString();
    return c.json({
      series_id: s.id, source: s.source, as_of: q.as_of ?? null, next_fetch_at: next,
      runs: listFetchRuns(db, s.id, { until: q.as_of ? at : undefined }).map((r) => ({
        id: r.id, started_at: new Date(r.startedAt).toISOString(), finished_at: r.finishedAt === null ? null : new Date(r.finishedAt).toISOString(),
        outcome: r.outcome, trigger: r.trigger, http_status: r.httpStatus, url: r.url, bytes: r.bytes, error: r.error, error_code: r.errorCode,
        added: r.added, revised: r.revised, withdrawn: r.withdrawn, unchanged: r.unchanged, gaps: r.gaps,
        raw_answers: (JSON.parse(r.rawHashes) as string[]).map((h) => `/raw/${h}`),
        // Which source the run read (its values are attributed to it), and what that source says of its freshness.
        source_index: r.sourceIndex, source_role: r.sourceRole ?? 'official', source_label: r.sourceLabel,
        source_updated_at: r.sourceUpdatedAt === null ? null : new Date(r.sourceUpdatedAt).toISOString(), stale: r.stale,
      })),
    });
  });

  // --- alerts: the page and the Atom feeds (the same changes the channels are sent) ---
  app.get('/alerts', (c) => {
    const q = parseQuery(c.req.query(), { series: idParam, kind: z.enum(['status', 'source', 'reminder', 'promise']).optional(), quiet: dlParam });
    const messages = alertMessages(db, { series: q.series, kind: q.kind, quiet: q.quiet === '1' }, publicOrigin(deps), deps.now());
    return c.html(<AlertsPage messages={messages} channels={channelViews(db)} now={deps.now()} filter={{ series: q.series, kind: q.kind }}
      {...(deps.alertOptions ? { options: deps.alertOptions } : {})} />);
  });
  const feed = (c: Context, filter: FlipFilter, title: string) => {
    const origin = publicOrigin(deps);
    const events = feedEvents(db, { ...(filter.series ? { series: filter.series } : {}), ...(filter.topic ? { topic: filter.topic } : {}), ...(filter.publisher ? { publisher: filter.publisher } : {}) });
    const xml = atomFeed(alertMessages(db, filter, origin, deps.now(), 100), {
      id: `${origin}${c.req.path}`, title: `lacuna: ${title}`, selfUrl: `${origin}${c.req.path}`, siteUrl: origin,
    }, events.filter((e) => Date.parse(`${e.date}T00:00:00Z`) <= deps.now()));
    return c.body(xml, 200, { 'content-type': 'application/atom+xml; charset=utf-8' });
  };
  app.get('/feed.atom', (c) => feed(c, {}, 'every series that stopped or came back'));
  app.get('/series/:id{.+}/feed.atom', (c) => {
    const s = getSeries(db, c.req.param('id'), deps.now());
    return s ? feed(c, { series: s.id }, s.title) : c.json({ error: `unknown series: ${c.req.param('id')}` }, 404);
  });
  app.get('/topics/:tag/feed.atom', (c) => feed(c, { topic: c.req.param('tag') }, `topic ${c.req.param('tag')}`));
  app.get('/publishers/:id/feed.atom', (c) => feed(c, { publisher: c.req.param('id') }, `publisher ${c.req.param('id')}`));

  // --- the atlas: gaps timeline, disclosure index, badges and permalinks (web/routes/) ---
  for (const register of ROUTE_MODULES) register(app, deps);

  // --- pages ---
  app.get('/', (c) => {
    const q = parseQuery(c.req.query(), {
      status: statusParam, publisher: idParam, topic: topicParam, country: countryParam, as_of: asOfParam, sort: sortParam, page: pageParam,
    });
    const at = asOfInstant(q.as_of, deps.now());
    const render = () => pages.page(c, q, () => {
      const filter = { status: q.status, publisher: q.publisher, topic: q.topic, country: q.country };
      // As of a date, the counts, the order and the headline are recomputed for it, from one evaluation of every series.
      const everything = q.as_of ? evaluateAll(db, at) : undefined;
      const all = everything?.filter((s) => (!filter.publisher || s.publisher.id === filter.publisher) && (!filter.topic || s.topics.includes(filter.topic))
        && (!filter.country || s.country?.code === filter.country));
      const sort = q.sort ?? 'dark';
      const page = boardRows(db, filter, at, { sort, page: q.page ?? 1, limit: 100, gridTail: SPARK_CELLS, ...(all ? { all } : {}) });
      // Every series was evaluated over the headline's months only: the rows shown get their sparklines.
      if (q.as_of) page.rows = withSparklines(db, page.rows, at, SPARK_CELLS);
      return <BoardPage summary={boardSummary(db, everything)} page={page} filter={filter} sort={sort}
        now={at} asOf={q.as_of ?? null} headline={disclosureHeadline(db, at, everything ? { live: everything, liveFrom: headlineWindow(at).from } : {})} />;
    });
    // Each series evaluated over what the board reads of every series: its status and the headline's months.
    return q.as_of ? everySeriesAsOf(deps, c, at, render, headlineAsOfWindow(at)) : render();
  });

  app.get('/series/:id{.+\\.csv}', (c) => {
    const id = c.req.param('id').replace(/\.csv$/, '');
    const q = parseQuery(c.req.query(), { as_of: asOfParam, dl: dlParam, bom: bomParam });
    const s = getSeries(db, id, asOfInstant(q.as_of, deps.now()));
    if (!s) throw notFoundJson(id);
    let sent = false;
    const stream = csvStream(GRID_COLUMNS, () => (sent ? null : ((sent = true), gridRows(s.id, s.evaluation.grid, s.country?.code ?? null))));
    return csvResponse(stream, `${id}.csv`, q.dl === '1', q.bom === '1');
  });

  app.get('/series/:id', (c) => {
    const id = c.req.param('id');
    const q = parseQuery(c.req.query(), { as_of: asOfParam });
    return pages.page(c, { id, ...q }, () => {
      const at = asOfInstant(q.as_of, deps.now());
      const s = getSeries(db, id, at);
      if (!s) return c.html(<NotFoundPage what={`series ${id}`} />, 404);
      const { related, events, chart } = seriesChartData(deps, s, at, q.as_of);
      return (
        <SeriesPage
          s={s} related={related} events={events.filter((e) => e.seriesId === s.id)}
          relatedEvents={events.filter((e) => e.seriesId !== s.id)}
          chart={chart} history={observationHistory(db, s.id)}
          fetchRuns={listFetchRuns(db, s.id, { until: q.as_of ? at : undefined })} now={at} asOf={q.as_of ?? null} origin={publicOrigin(deps)}
          promises={promiseViews(db, s, at, 12)} calendarReads={listCalendarReads(db, s.id, { until: q.as_of ? at : undefined, limit: 10 })}
        />
      );
    });
  });

  // --- CSV ---
  app.get('/export.csv', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam, dl: dlParam, bom: bomParam });
    const at = asOfInstant(q.as_of, deps.now());
    // Keyset pagination over series ids, a batch of series per chunk, each series' rows as the
    // status check stored them where its evaluation holds: memory stays flat whatever the size.
    let after = '';
    const stream = csvStream(GRID_COLUMNS, () => {
      const chunk = exportChunk(db, after, at, q.as_of ? AS_OF_EXPORT_BATCH : EXPORT_BATCH);
      if (!chunk) return null;
      after = chunk.last;
      return chunk.csv;
    });
    return csvResponse(stream, 'lacuna-export.csv', q.dl === '1', q.bom === '1');
  });

  app.get('/events.csv', (c) => {
    const q = parseQuery(c.req.query(), { series: idParam, as_of: asOfParam, dl: dlParam, bom: bomParam });
    if (q.series && !getSeries(db, q.series, deps.now())) throw notFoundJson(q.series);
    const events = listEvents(db, { ...(q.series ? { seriesIds: [q.series] } : {}), ...(q.as_of ? { until: q.as_of } : {}) });
    let sent = false;
    const stream = csvStream(EVENT_COLUMNS, () => {
      if (sent) return null;
      sent = true;
      return events.flatMap((e) => e.citations.map((ct, i) => [
        e.id, e.seriesId, e.kind, e.date, e.dateApproximate ? '1' : '', e.periodFrom ?? '', e.periodTo ?? '', e.title,
        e.evidenceKind, e.confidence, String(i + 1), ct.url, ct.title, ct.publisher, ct.date ?? '', ct.quote ?? '', e.country ?? '',
      ]));
    });
    return csvResponse(stream, 'lacuna-events.csv', q.dl === '1', q.bom === '1');
  });

  // --- JSON API ---
  app.get('/api/series', (c) => {
    const q = parseQuery(c.req.query(), {
      status: statusParam, publisher: idParam, topic: topicParam, country: countryParam, as_of: asOfParam, after: idParam, limit: limitParam,
    }, 'strict');
    const at = asOfInstant(q.as_of, deps.now());
    const answer = () => {
      const page = listSeries(db, { status: q.status, publisher: q.publisher, topic: q.topic, country: q.country }, at, { after: q.after, limit: q.limit ?? 200, asOf: !!q.as_of });
      return c.json({ total: page.total, next_after: page.nextCursor, as_of: q.as_of ?? null, series: page.rows.map((s) => seriesJson(s, at)) });
    };
    // As of a date, a status filter needs every series' status then (the board's window holds it).
    return q.as_of && q.status ? everySeriesAsOf(deps, c, at, answer, { cells: SPARK_CELLS, since: headlineWindow(at).since }) : answer();
  });

  app.get('/api/series/:id', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam }, 'strict');
    const at = asOfInstant(q.as_of, deps.now());
    const s = getSeries(db, c.req.param('id'), at);
    if (!s) throw notFoundJson(c.req.param('id'));
    return c.json({
      ...seriesJson(s, at),
      // The series' own source, now (not as of): misconfigured when the publisher answered, but not for it.
      source_state: s.sourceState.state, source_error: s.sourceState.error,
      source_error_at: s.sourceState.since === null ? null : new Date(s.sourceState.since).toISOString(),
      // Where it is watched from: every source in order of preference, and the last read that answered.
      sources: s.sources.map((b) => ({ ...b, role: b.role ?? 'official' })),
      last_read_at: s.lastRead ? new Date(s.lastRead.at).toISOString() : null, last_read_source: s.lastRead?.source ?? null,
      // As of a date, today's description and notes may tell of later events: left out.
      description: q.as_of ? null : s.description, notes: q.as_of ? null : s.notes, release: s.release,
      // The publisher's release calendar, and the promise the latest period breaks (its date passed without the release).
      calendar: s.calendar,
      broken_promise: s.evaluation.brokenPromise
        ? { period: s.evaluation.brokenPromise.period, promised_at: new Date(s.evaluation.brokenPromise.dueAt).toISOString(), source: s.evaluation.brokenPromise.source }
        : null,
      ...(q.as_of ? { later_text_omitted: true } : {}),
      retracted_at: s.retractedAt === null ? null : new Date(s.retractedAt).toISOString(),
      related: relatedSeries(db, s, at).map((r) => ({ role: r.role, id: r.series.id, title: r.series.title })),
      events: listEvents(db, { seriesIds: [s.id], ...(q.as_of ? { until: q.as_of } : {}) }).map((e) => eventJson(e, q.as_of)),
    });
  });

  app.get('/api/series/:id/observations', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam }, 'strict');
    const now = deps.now();
    // The status check stored this answer with the evaluation; as-of views are written here.
    const stored = q.as_of ? null : storedObservations(db, c.req.param('id'), now);
    if (stored) return storedAnswer(c, stored, 'application/json');
    const at = asOfInstant(q.as_of, now);
    const s = getSeries(db, c.req.param('id'), at);
    if (!s) throw notFoundJson(c.req.param('id'));
    const body = observationsJson({ seriesId: s.id, unit: s.unit, frequency: s.frequency, asOf: q.as_of ?? null }, s.evaluation.grid);
    return c.body(body, 200, { 'content-type': 'application/json' });
  });

  app.get('/api/events', (c) => {
    const q = parseQuery(c.req.query(), { series: idParam, as_of: asOfParam }, 'strict');
    if (q.series && !getSeries(db, q.series, deps.now())) throw notFoundJson(q.series);
    return c.json({ events: listEvents(db, { ...(q.series ? { seriesIds: [q.series] } : {}), ...(q.as_of ? { until: q.as_of } : {}) }).map((e) => eventJson(e, q.as_of)) });
  });

  return app;
}
