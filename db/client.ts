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
    const advice = ADVICE[(e as { code?: string }).code ?? ''];
    throw new Error(`${file}: ${(e as Error).message}${advice ? ` (${advice})` : ''}`, { cause: e });
  }
}

/** What to do about the errors opening a database can meet, by SQLite's code. */
const ADVICE: Record<string, string> = {
  SQLITE_NOTADB: 'this file is not a lacuna database: point LACUNA_DB at lacuna\'s file, or at a new path to start afresh',
  SQLITE_CANTOPEN: 'check that the folder exists or can be created, and that lacuna may write there; LACUNA_DB sets the path',
  SQLITE_READONLY: 'the file or its folder is read-only: lacuna writes to it (and to its -wal and -shm files beside it)',
  SQLITE_PERM: 'lacuna may not open this file: check its owner and permissions',
  SQLITE_BUSY: 'another process has held a write lock for over 5 seconds: let it finish, or stop it, and start again',
  SQLITE_FULL: 'the disk is full: free space, then start again (nothing committed is lost)',
  SQLITE_CORRUPT: 'the file is damaged: restore it from a backup, or recover what it holds with `sqlite3 FILE .recover`',
  SQLITE_IOERR: 'the disk failed a read or write: check it, then start again',
};

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
