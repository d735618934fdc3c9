// The board's disclosure headline, kept by the status check in `summaries` and recomputed only
// when a stored evaluation changed since or a month settled (src/read/disclosure.ts computes it).
import { eq, max } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { seriesGrids, summaries } from '../../db/schema.js';
import { computeHeadline, computeHeadlinePaced, everySeries, HEADLINE_KEY, type DisclosureHeadlineData } from '../read/disclosure.js';
import { READ_MODEL_STAMP } from '../read/stamp.js';

/**
 * Recomputes the stored headline when a series' evaluation changed since it was computed, a month
 * has become complete since, or it was computed under another stamp; the status check calls it
 * after every run. Returns whether it did.
 */
export function refreshHeadline(db: Db, now: number): boolean {
  if (!headlineStale(db, now)) return false;
  storeHeadline(db, now, computeHeadline(everySeries(db, now), now));
  return true;
}

/** The same, for the server's status check: the index counted a chunk of series at a time, handing the event loop back between them. */
export async function refreshHeadlinePaced(db: Db, now: number, pace: () => Promise<void>): Promise<boolean> {
  if (!headlineStale(db, now)) return false;
  storeHeadline(db, now, await computeHeadlinePaced(db, now, pace));
  return true;
}

function headlineStale(db: Db, now: number): boolean {
  const row = db.select().from(summaries).where(eq(summaries.key, HEADLINE_KEY)).get();
  const newest = db.select({ t: max(seriesGrids.changedAt) }).from(seriesGrids).get()?.t ?? null;
  const holds = row && row.stamp === READ_MODEL_STAMP && (row.validUntil === null || now < row.validUntil);
  return !(holds && (newest === null || newest <= row.computedAt));
}

function storeHeadline(db: Db, now: number, { value, validUntil }: { value: DisclosureHeadlineData | null; validUntil: number | null }): void {
  const values = { stamp: READ_MODEL_STAMP, computedAt: now, validUntil, value: JSON.stringify(value) };
  db.insert(summaries).values({ key: HEADLINE_KEY, ...values }).onConflictDoUpdate({ target: summaries.key, set: values }).run();
}

