// The board's order: it leads with the stories. By default the series that went dark most
// recently come first (the date their first missing period was due), then those late, unchecked,
// current and with no record; readers can sort by name, publisher or status instead. Pages are
// numbered (offset): the board shows 100 rows of at most some thousands.
import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { publishers, series } from '../../db/schema.js';
import { DARK_STATUSES, type SeriesStatus } from '../core/index.js';
import { evaluateRows, filterWhere, type EvaluatedSeries, type SeriesFilter } from './read-model.js';

export const BOARD_SORTS = ['dark', 'name', 'publisher', 'status'] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];

/** Status order when sorting by status: the darkest news first, "no record" last. */
const STATUS_RANK: Record<SeriesStatus, number> = {
  discontinued: 0, suspended: 1, overdue: 2, late: 3, unchecked: 4, current: 5, no_record: 6, new: 7, paused: 8,
};
const rankSql = sql`CASE ${series.status} ${sql.join(Object.entries(STATUS_RANK).map(([s, r]) => sql`WHEN ${s} THEN ${r}`), sql` `)} ELSE 9 END`;
const darkSql = sql`CASE WHEN ${series.status} IN (${sql.join([...DARK_STATUSES].map((s) => sql`${s}`), sql`, `)}) THEN 0 ELSE 1 END`;

const ORDER: Record<BoardSort, SQL[]> = {
  dark: [darkSql, sql`${series.darkSinceDueAt} DESC`, rankSql, asc(series.id)],
  name: [asc(series.title), asc(series.id)],
  publisher: [asc(publishers.name), asc(series.title), asc(series.id)],
  status: [rankSql, desc(series.darkSinceDueAt), asc(series.id)],
};

/** The same order over series evaluated in memory (as-of boards). */
function compare(sort: BoardSort): (a: EvaluatedSeries, b: EvaluatedSeries) => number {
  const dark = (s: EvaluatedSeries) => (DARK_STATUSES.has(s.evaluation.status) ? 0 : 1);
  const due = (s: EvaluatedSeries) => s.evaluation.darkSince?.dueAt ?? -Infinity;
  const rank = (s: EvaluatedSeries) => STATUS_RANK[s.evaluation.status] ?? 9;
  const byId = (a: EvaluatedSeries, b: EvaluatedSeries) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  // Code-point order, as SQLite's BINARY collation sorts the same page now.
  const text = (f: (s: EvaluatedSeries) => string) => (a: EvaluatedSeries, b: EvaluatedSeries) => (f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0);
  const chain = (...fs: ((a: EvaluatedSeries, b: EvaluatedSeries) => number)[]) => (a: EvaluatedSeries, b: EvaluatedSeries) => {
    for (const f of fs) { const d = f(a, b); if (d) return d; }
    return 0;
  };
  switch (sort) {
    case 'dark': return chain((a, b) => dark(a) - dark(b), (a, b) => due(b) - due(a), (a, b) => rank(a) - rank(b), byId);
    case 'name': return chain(text((s) => s.title), byId);
    case 'publisher': return chain(text((s) => s.publisher.name), text((s) => s.title), byId);
    case 'status': return chain((a, b) => rank(a) - rank(b), (a, b) => due(b) - due(a), byId);
  }
}

export interface BoardPageRows {
  rows: EvaluatedSeries[];
  total: number;
  /** 1-based page number and whether another follows. */
  page: number;
  hasNext: boolean;
}

/**
 * A page of the board in the chosen order. Now, read in SQL from the stored statuses; as of a past
 * date (`all`: every series evaluated then), sorted in memory.
 */
export function boardRows(
  db: Db, filter: SeriesFilter, at: number,
  opts: { sort: BoardSort; page: number; limit: number; gridTail?: number; all?: readonly EvaluatedSeries[] },
): BoardPageRows {
  const { sort, page, limit } = opts;
  const offset = (page - 1) * limit;
  if (opts.all) {
    const wanted = opts.all.filter((s) => !filter.status || (filter.status === 'dark' ? DARK_STATUSES.has(s.evaluation.status) : s.evaluation.status === filter.status));
    const sorted = [...wanted].sort(compare(sort));
    const rows = sorted.slice(offset, offset + limit).map((s) => (opts.gridTail === undefined ? s : { ...s, evaluation: { ...s.evaluation, grid: s.evaluation.grid.slice(-opts.gridTail) } }));
    return { rows, total: wanted.length, page, hasNext: sorted.length > offset + limit };
  }
  const where = filterWhere(filter);
  const rows = db.select().from(series).innerJoin(publishers, eq(series.publisherId, publishers.id))
    .where(and(where)).orderBy(...ORDER[sort]).limit(limit + 1).offset(offset).all();
  const total = db.select({ n: count() }).from(series).where(where).get()!.n;
  return { rows: evaluateRows(db, rows.slice(0, limit), at, { gridTail: opts.gridTail }), total, page, hasNext: rows.length > limit };
}
