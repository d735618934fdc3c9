// The one place that records values for a series with vintage tracking: a new period is added
// with first_seen_at; a different value for a known period is a revision (the old row is kept and
// marked superseded); the same value changes nothing. With `complete`, a period the answer no
// longer contains is flagged withdrawn (kept). Call inside a transaction.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from './client.js';
import { observations } from './schema.js';

export interface IncomingValue {
  period: string;
  value: number | null;
  valueText: string;
  obsStatus?: string | null;
  releasedAt?: number | null;
  provenance?: string | null;
}

export interface RecordOptions {
  origin: 'bundle' | 'import' | 'fetch';
  now: number;
  fetchRunId?: number | null;
  /** The answer holds every period the publisher still publishes: absent ones are withdrawn. */
  complete?: boolean;
  /** With `complete`, only periods in this range (canonical periods sort as text) can be withdrawn. */
  within?: { from: string; to: string } | null;
}

export interface RecordCounts {
  added: number;
  revised: number;
  unchanged: number;
  withdrawn: number;
}

export function recordValues(db: Db, seriesId: string, values: readonly IncomingValue[], opts: RecordOptions): RecordCounts {
  const counts: RecordCounts = { added: 0, revised: 0, unchanged: 0, withdrawn: 0 };
  const current = new Map(
    db.select().from(observations)
      .where(and(eq(observations.seriesId, seriesId), isNull(observations.supersededAt))).all()
      .map((o) => [o.period, o]),
  );
  for (const v of values) {
    const old = current.get(v.period);
    current.delete(v.period);
    // The same number written differently ("5.40" for "5.4") is not a revision.
    const same = old && (old.valueText === v.valueText || (old.value !== null && v.value !== null && old.value === v.value));
    if (old && same && old.withdrawnAt === null) {
      counts.unchanged++;
      continue;
    }
    if (old) {
      db.update(observations).set({ supersededAt: opts.now }).where(eq(observations.id, old.id)).run();
      counts.revised++;
    } else counts.added++;
    db.insert(observations).values({
      seriesId, period: v.period, value: v.value, valueText: v.valueText, obsStatus: v.obsStatus ?? null,
      firstSeenAt: opts.now, releasedAt: v.releasedAt ?? null, origin: opts.origin,
      provenance: v.provenance ?? null, fetchRunId: opts.fetchRunId ?? null,
    }).run();
  }
  if (opts.complete) {
    for (const gone of current.values()) {
      if (gone.withdrawnAt !== null) continue;
      if (opts.within && (gone.period < opts.within.from || gone.period > opts.within.to)) continue;
      db.update(observations).set({ withdrawnAt: opts.now }).where(eq(observations.id, gone.id)).run();
      counts.withdrawn++;
    }
  }
  return counts;
}
