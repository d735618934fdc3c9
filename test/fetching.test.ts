// Which series the fetch job reads: those whose next read has come, snoozed or not, and never one
// whose API key is missing (said once at start instead).
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { series } from '../db/schema.js';
import { credentialWarnings, dueForFetch } from '../src/fetch/due.js';
import { at, loadedDb } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const FRED = 'cn.imf.total_reserves_excl_gold.monthly';
/** The bundled series read from FRED alone: without FRED_API_KEY none of them is read. */
const FRED_ONLY = [FRED, 'us.bls.nonfarm_payrolls', 'us.bls.employment_cost_index.civilian'];
/** Read from BLS first (no key needed, BLS_API_KEY only raises its limits), FRED second. */
const BLS_THEN_FRED = 'us.bls.cpi_u.all_items';
const NBS = 'cn.nbs.industry.value_added_yoy';

describe('dueForFetch', () => {
  const { db } = loadedDb(NOW);
  const withSource = db.select({ id: series.id, source: series.source }).from(series).all().filter((r) => r.source).map((r) => r.id);

  it('reads every series with a source whose next read has come, except those lacking their key', () => {
    const due = dueForFetch(db, NOW, {});
    expect(due).toContain(NBS);
    expect(due).toContain(BLS_THEN_FRED);
    for (const id of FRED_ONLY) expect(due).not.toContain(id);
    expect(due).toHaveLength(withSource.length - FRED_ONLY.length);
    expect(dueForFetch(db, NOW, { FRED_API_KEY: 'k' })).toEqual(expect.arrayContaining(FRED_ONLY));
    expect(credentialWarnings(db, {})).toEqual([`FRED_API_KEY is not set: 3 series will not be fetched (${FRED_ONLY.join(', ')})`]);
  });

  it('waits for next_fetch_at, and still reads a snoozed series (a snooze silences alerts only)', () => {
    db.update(series).set({ nextFetchAt: NOW + 1 }).where(eq(series.id, NBS)).run();
    expect(dueForFetch(db, NOW, {})).not.toContain(NBS);
    db.update(series).set({ nextFetchAt: NOW - 1, snoozedUntil: NOW + 7 * 86_400_000 }).where(eq(series.id, NBS)).run();
    expect(dueForFetch(db, NOW, {})).toContain(NBS);
  });
});
