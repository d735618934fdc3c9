// lacuna's jobs: a plain table of { name, cron, run }. Cron expressions are UTC. Each job catches
// and reports its own errors; tests call run(deps) directly and never wait for cron.
import type { Db } from '../db/client.js';
import { evaluateSeriesInStore } from '../src/evaluate-due.js';
import type { Logger } from '../src/log.js';
import { dueForFetch, fetchMany, summarise } from '../src/fetching.js';
import type { HttpGet } from '../src/sources/http.js';

export interface JobDeps {
  db: Db;
  now: () => number;
  log: Logger;
  http: HttpGet;
  env: Record<string, string | undefined>;
}

export interface Job {
  name: string;
  cron: string;
  run(deps: JobDeps): Promise<string> | string;
}

export const jobs: Job[] = [
  {
    // Reads the sources of series whose next_fetch_at has come (set per series from its release
    // rule: hourly around the expected release, daily otherwise); each fetch re-evaluates its series.
    name: 'fetch-due',
    cron: '*/10 * * * *',
    async run(deps) {
      const ids = dueForFetch(deps.db, deps.now(), deps.env);
      if (!ids.length) return 'nothing due';
      const results = await fetchMany(deps, ids, 'schedule', (r) => {
        if (r.outcome === 'failed') deps.log.warn(`fetch failed: ${r.error}`);
      });
      return summarise(results);
    },
  },
  {
    // Asks only for series whose next_check_at has come (an indexed query), then records flips.
    name: 'status-check',
    cron: '*/5 * * * *',
    run({ db, now }) {
      const { evaluated, flips } = evaluateSeriesInStore(db, { kind: 'due' }, now());
      return `evaluated ${evaluated} due series, ${flips.length} status change${flips.length === 1 ? '' : 's'}`;
    },
  },
];
