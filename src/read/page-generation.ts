// What the page cache asks the store (web/page-cache.ts): the counter that triggers move on any
// change a page could show (migration 0008), and when the next stored evaluation expires.
import { perConnection, type Db } from '../../db/client.js';

const statements = perConnection((_db, client) => ({
  generation: client.prepare('SELECT n FROM page_generation WHERE id = 1').pluck(),
  nextExpiry: client.prepare('SELECT min(valid_until) FROM series_grids WHERE valid_until > ?').pluck(),
}));

/** The page generation: any change to what a page shows moves it. */
export function pageGeneration(db: Db): number {
  return (statements(db).generation.get() as number | undefined) ?? -1;
}

/** The first instant after `at` at which a stored evaluation stops holding; null when none will. */
export function nextEvaluationExpiry(db: Db, at: number): number | null {
  return (statements(db).nextExpiry.get(at) as number | null | undefined) ?? null;
}
