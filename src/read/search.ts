// Search over series and events: titles in both languages, ids, topics, publishers and accounts,
// through the FTS5 index of migration 0007 (trigram tokens: any three characters of a word or of
// a Chinese title match). A term shorter than three characters (青年) is matched as a substring.
import type { Db } from '../../db/client.js';

export interface SearchHit {
  kind: 'series' | 'event';
  /** The series or event id. */
  ref: string;
  seriesId: string;
  title: string;
  /** The series' status (series hits) or the event's date and the series' title (event hits). */
  status: string | null;
  date: string | null;
  seriesTitle: string;
}

const MAX_TERMS = 8;

/** Hits for the words of `q` (every word must match), series first, then events, best first. */
export function search(db: Db, q: string, limit = 50): SearchHit[] {
  // Words only: a term of punctuation alone ("*", a stray quote) says nothing to search for.
  const terms = q.trim().split(/\s+/).filter((t) => /[\p{L}\p{N}]/u.test(t)).slice(0, MAX_TERMS);
  if (!terms.length) return [];
  const long = terms.filter((t) => [...t].length >= 3);
  const short = terms.filter((t) => [...t].length < 3);
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (long.length) {
    where.push('search_index MATCH ?');
    params.push(long.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND '));
  }
  for (const t of short) {
    where.push("(i.title LIKE ? ESCAPE '\\' OR i.body LIKE ? ESCAPE '\\')");
    const like = `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(like, like);
  }
  const rows = db.$client.prepare(
    `SELECT i.kind, i.ref, i.series_id AS seriesId, i.title, s.status, e.date, s.title AS seriesTitle
     FROM search_index i JOIN series s ON s.id = i.series_id AND s.retracted_at IS NULL
     LEFT JOIN events e ON i.kind = 'event' AND e.id = i.ref
     WHERE ${where.join(' AND ')}
     ORDER BY i.kind = 'event', ${long.length ? 'bm25(search_index, 0, 0, 0, 10, 1)' : 'i.title'} LIMIT ?`,
  ).all(...params, limit) as { kind: 'series' | 'event'; ref: string; seriesId: string; title: string; status: string; date: string | null; seriesTitle: string }[];
  return rows.map((r) => ({ ...r, title: r.kind === 'series' ? r.seriesTitle : r.title, status: r.kind === 'series' ? r.status : null }));
}
