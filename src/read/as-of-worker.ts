// A second thread for as-of views (src/read/as-of-helper.ts): it opens the database read-only and
// evaluates the chunks of series it claims from the shared counter, posting each chunk's
// evaluations back encoded (the stored-evaluation text), so that only strings cross.
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Db } from '../../db/client.js';
import * as schema from '../../db/schema.js';
import type { AsOfJob } from './as-of-helper.js';
import { evaluateChunk } from './read-model.js';

const connections = new Map<string, Db>();
function open(file: string): Db {
  let db = connections.get(file);
  if (!db) {
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
    db = drizzle(sqlite, { schema }) as Db;
    connections.set(file, db);
  }
  return db;
}

parentPort!.on('message', (job: AsOfJob) => {
  try {
    const db = open(job.file);
    for (let i = Atomics.add(job.next, 0, job.chunk); i < job.ids.length; i = Atomics.add(job.next, 0, job.chunk)) {
      parentPort!.postMessage({ job: job.id, results: evaluateChunk(db, job.ids.slice(i, i + job.chunk), job.at, job.window, job.noStored) });
    }
    parentPort!.postMessage({ job: job.id, done: true });
  } catch (e) {
    parentPort!.postMessage({ job: job.id, done: true, error: e instanceof Error ? e.message : String(e) });
  }
});
