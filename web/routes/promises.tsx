// Promise against delivery as data: /api/series/:id/promises (JSON, every version with its archived
// answer) and /series/:id/promises.csv (one row per promised period), as of a date when asked.
import type { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { csvResponse, csvStream } from '../csv.js';
import { iso } from '../../src/formats/csv.js';
import { asOfInstant, asOfParam, bomParam, dlParam, parseQuery } from '../query.js';
import { getSeries } from '../../src/read/read-model.js';
import { promiseViews } from '../../src/read/promises.js';

export const PROMISE_COLUMNS = [
  'series_id', 'period', 'source', 'state', 'first_promised_at', 'first_promised', 'promised_at', 'promised', 'moved',
  'delivered_at', 'days_late', 'period_state', 'reason',
] as const;

const isoOrEmpty = (t: number | null) => (t === null ? '' : iso(t));

export function registerPromiseRoutes(app: Hono, deps: AppDeps): void {
  app.get('/api/series/:id{.+}/promises', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam }, 'strict');
    const at = asOfInstant(q.as_of, deps.now());
    const s = getSeries(deps.db, c.req.param('id'), at);
    if (!s) return c.json({ error: `unknown series: ${c.req.param('id')}` }, 404);
    return c.json({
      series_id: s.id, calendar: s.calendar, as_of: q.as_of ?? null,
      promises: promiseViews(deps.db, s, at).map((p) => ({
        period: p.period, source: p.source, state: p.state,
        first_promised_at: p.firstAt === null ? null : iso(p.firstAt), first_promised: p.versions[0]?.written ?? null,
        promised_at: p.latestAt === null ? null : iso(p.latestAt), promised: p.latestWritten, moved: p.moved,
        delivered_at: p.deliveredAt === null ? null : iso(p.deliveredAt), days_late: p.daysLate, period_state: p.periodState, reason: p.reason,
        versions: p.versions.map((v) => ({
          promised_at: v.dueAt === null ? null : iso(v.dueAt), promised: v.written, state: v.state, reason: v.reason,
          first_seen_at: iso(v.seenAt), source: v.source, raw_answer: v.raw,
        })),
      })),
    });
  });

  app.get('/series/:id{.+}/promises.csv', (c) => {
    const q = parseQuery(c.req.query(), { as_of: asOfParam, dl: dlParam, bom: bomParam });
    const id = c.req.param('id');
    const at = asOfInstant(q.as_of, deps.now());
    const s = getSeries(deps.db, id, at);
    if (!s) return c.json({ error: `unknown series: ${id}` }, 404);
    let sent = false;
    const stream = csvStream(PROMISE_COLUMNS, () => (sent ? null : ((sent = true), promiseViews(deps.db, s, at).map((p) => [
      s.id, p.period, p.source, p.state, isoOrEmpty(p.firstAt), p.versions[0]?.written ?? '', isoOrEmpty(p.latestAt), p.latestWritten ?? '',
      p.moved ? '1' : '0', isoOrEmpty(p.deliveredAt), p.daysLate === null ? '' : String(p.daysLate), p.periodState ?? '', p.reason ?? '',
    ]))));
    return csvResponse(stream, `${id}-promises.csv`, q.dl === '1', q.bom === '1');
  });
}
