// At most one heavy computation at a time per process (every series evaluated as of a past date,
// the disclosure index): the next waits a little, then gets 503 with Retry-After rather than a
// server whose requests all queue behind a handful of anonymous as-of views.
import type { Context } from 'hono';
import type { Db } from '../db/client.js';
import { allEvaluatedAt, withEvaluations, type AsOfWindow } from '../src/read/read-model.js';
import { pacer } from '../src/read/pace.js';
import { isDataPath } from './query.js';
import { Layout } from './pages/layout.js';

/** How long a request waits for the one before it, and the Retry-After it is given after that. */
const WAIT_MS = 2_000;
const RETRY_AFTER_S = 5;

export interface Gate {
  /** Runs `work` when no other heavy work runs, or answers 503 after waiting WAIT_MS. */
  run<T>(c: Context, work: () => Promise<T>): Promise<T | Response>;
  /** Whether heavy work is running now (for tests). */
  busy(): boolean;
}

export function createGate(waitMs = WAIT_MS): Gate {
  let running: Promise<void> | null = null;
  return {
    busy: () => running !== null,
    async run<T>(c: Context, work: () => Promise<T>): Promise<T | Response> {
      const deadline = performance.now() + waitMs;
      while (running) {
        const left = deadline - performance.now();
        if (left <= 0) return await busyAnswer(c);
        await Promise.race([running, new Promise((ok) => setTimeout(ok, left))]);
      }
      let done!: () => void;
      running = new Promise<void>((ok) => { done = ok; });
      try {
        return await work();
      } finally {
        running = null;
        done();
      }
    },
  };
}

function busyAnswer(c: Context): Response | Promise<Response> {
  const headers = { 'retry-after': String(RETRY_AFTER_S), 'cache-control': 'no-store' };
  if (isDataPath(c.req.path)) return c.json({ error: 'lacuna is computing another view of every series; try again in a few seconds' }, 503, headers);
  return c.html(
    <Layout title="Busy">
      <section class="not-found">
        <h1>One moment</h1>
        <p>lacuna is computing another view of every series as of a past date, which takes a few seconds. Please try again shortly.</p>
      </section>
    </Layout>,
    503, headers,
  );
}

/**
 * Answers a request that needs every series evaluated as of `at`: under the gate, the evaluations
 * computed ahead a slice at a time, then `answer` run with them at hand (its synchronous part reads
 * them instead of evaluating every series again in one go). With `window`, each series is
 * evaluated over the part of its grid the answer reads (src/read/read-model.ts, AsOfWindow).
 */
export function everySeriesAsOf(
  deps: { db: Db; gate?: Gate; sliceMs?: number }, c: Context, at: number, answer: () => Response | Promise<Response>, window?: AsOfWindow,
): Promise<Response> {
  const gate = deps.gate ?? createGate();
  return gate.run(c, async () => {
    const evaluations = await allEvaluatedAt(deps.db, at, pacer(deps.sliceMs), window ? { window } : {});
    return withEvaluations(evaluations, answer);
  }) as Promise<Response>;
}
