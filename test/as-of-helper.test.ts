// The as-of helper thread (src/read/as-of-helper.ts): what it evaluates of every series as of a past
// date is what the main thread would have, status, grid, days overdue and checked-through; and when
// it cannot read the database, the main thread evaluates everything itself.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeEvaluation } from '../src/core/index.js';
import { headlineWindow } from '../src/read/disclosure.js';
import { allEvaluatedAt, type Evaluations } from '../src/read/read-model.js';
import { openDb } from '../db/client.js';
import { parseConfig } from '../src/app/config.js';
import { AsOfHelper } from '../src/read/as-of-helper.js';
import { at, loadedDb } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const noPause = async () => {};

/** Every series as the reader sees it: its encoded evaluation and the facts around it. */
const seen = (e: Evaluations) => [...e.byId.values()].sort((a, b) => a.id.localeCompare(b.id)).map((s) => ({
  id: s.id, evaluation: encodeEvaluation(s.evaluation, s.frequency), daysOverdue: s.evaluation.daysOverdue,
  checkedAt: s.checkedAt, checkError: s.checkError, lastRead: s.lastRead, status: s.evaluation.status,
}));

describe('the as-of helper thread', () => {
  const { db } = loadedDb(NOW);
  const cases: [string, number, { cells: number; since: number } | undefined][] = [
    ['mid-2023, the board\'s window', at('2023-09-01T00:00:00Z'), { cells: 60, since: headlineWindow(at('2023-09-01T00:00:00Z')).since }],
    ['the end of 2025, whole grids', at('2025-12-31T12:00:00Z'), undefined],
  ];

  it.each(cases)('evaluates every series as of %s exactly as the main thread does', async (_name, when, window) => {
    const alone = await allEvaluatedAt(db, when, noPause, { helper: false, ...(window ? { window } : {}) });
    const helped = await allEvaluatedAt(db, when, noPause, { helper: 'only', ...(window ? { window } : {}) });
    expect(alone.helped).toBe(0);
    expect(helped.helped).toBe(alone.byId.size);
    expect(seen(helped)).toEqual(seen(alone));
    // Not a trivial agreement: the dates differ in what they say.
    expect(seen(alone).filter((s) => s.status === 'suspended' || s.status === 'discontinued').length).toBeGreaterThan(3);
  });

  it('leaves the work to the main thread when it cannot open the database', async () => {
    const { db: other, file } = loadedDb(NOW);
    const expected = seen(await allEvaluatedAt(other, at('2024-06-30T00:00:00Z'), noPause, { helper: false }));
    // The file unlinked under an open connection: this thread still reads it, the helper cannot open it.
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    const after = await allEvaluatedAt(other, at('2024-06-30T00:00:00Z'), noPause, { helper: 'only' });
    expect(after.helped).toBe(0);
    expect(seen(after)).toEqual(expected);
  });

  it('is not started when the operator turns it off (LACUNA_AS_OF_HELPER=off)', async () => {
    AsOfHelper.allow(false);
    try {
      expect((await allEvaluatedAt(db, at('2024-06-30T00:00:00Z'), noPause, { helper: 'only' })).helped).toBe(0);
    } finally {
      AsOfHelper.allow(true);
    }
    expect(parseConfig({}).LACUNA_AS_OF_HELPER).toBe('on');
    expect(parseConfig({ LACUNA_AS_OF_HELPER: 'off' }).LACUNA_AS_OF_HELPER).toBe('off');
  });

  it('is not used for a database in memory', async () => {
    const mem = openDb(':memory:');
    expect((await allEvaluatedAt(mem, NOW, noPause, { helper: true })).helped).toBe(0);
  });
});
