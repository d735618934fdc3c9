// lacuna's jobs: a plain table of { name, cron, run }. Cron expressions are UTC. Each job catches
// and reports its own errors; tests call run(deps) directly and never wait for cron.
import type { Db } from '../db/client.js';
import { evaluateSeriesInStore } from '../src/evaluate-due.js';
import type { Logger } from '../src/log.js';

export interface JobDeps {
  db: Db;
  now: () => number;
  log: Logger;
}

export interface Job {
  name: string;
  cron: string;
  run(deps: JobDeps): Promise<string> | string;
}

export const jobs: Job[] = [
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
