// Opens lacuna's SQLite file, turns on WAL and foreign keys, and applies the committed migrations
// (db/migrate.ts: foreign keys off while they run, checked before they commit).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from './migrate.js';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Opens (creating if needed) and migrates a database; ':memory:' for tests. An error names the file. */
export function openDb(file: string): Db {
  let sqlite: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    migrate(sqlite, MIGRATIONS_DIR);
    sqlite.pragma('foreign_keys = ON');
    return drizzle(sqlite, { schema }) as Db;
  } catch (e) {
    sqlite?.close();
    throw new Error(`${file}: ${(e as Error).message}`, { cause: e });
  }
}

/** The connection under a drizzle database or transaction object (a transaction has no $client). */
export function clientOf(db: Db): Database.Database {
  return db.$client ?? (db as unknown as { session: { client: Database.Database } }).session.client;
}

/**
 * Statements for a hot path, prepared once per connection: `perConnection(build)(db)` builds them
 * on first use with a connection and hands back the same ones after.
 */
export function perConnection<T>(build: (db: Db, client: Database.Database) => T): (db: Db) => T {
  const built = new WeakMap<Database.Database, T>();
  return (db) => {
    const client = clientOf(db);
    let st = built.get(client);
    if (st === undefined) built.set(client, (st = build(db, client)));
    return st;
  };
}
