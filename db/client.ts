// Opens lacuna's SQLite file, turns on WAL and foreign keys, and applies the committed migrations.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Opens (creating if needed) and migrates a database; ':memory:' for tests. */
export function openDb(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return db;
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
