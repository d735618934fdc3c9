// lacuna's migrator for drizzle-kit's committed migrations (db/migrations). drizzle's own runs them
// with foreign keys on, where the `PRAGMA foreign_keys=OFF` of a generated table rebuild is a
// no-op inside its transaction: dropping a parent table then fails (a child without ON DELETE) or
// silently deletes the children (ON DELETE CASCADE). This one does what SQLite documents for schema
// changes: foreign keys off outside the transaction, the pending migrations in one transaction,
// `PRAGMA foreign_key_check` before the commit (any dangling key rolls everything back), keys on
// again after. Applied migrations are recorded in `__drizzle_migrations` exactly as drizzle records
// them, so drizzle-kit and databases migrated by earlier versions of lacuna stay compatible.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';

export interface Migration {
  /** The file name without .sql (0002_alerts). */
  tag: string;
  /** The statements, split at drizzle-kit's `--> statement-breakpoint`. */
  sql: string[];
  /** The journal's `when`: what __drizzle_migrations.created_at records, and how a pending one is known. */
  folderMillis: number;
  /** sha256 of the file, as drizzle records it. */
  hash: string;
}

export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

const TABLE = '__drizzle_migrations';

/** The committed migrations of a drizzle-kit folder, in journal order, read by drizzle itself. */
export function readMigrations(folder: string): Migration[] {
  const files = readMigrationFiles({ migrationsFolder: folder });
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  return files.map((m, i) => ({ tag: journal.entries[i]!.tag, sql: m.sql, folderMillis: m.folderMillis, hash: m.hash }));
}

/** Applies the migrations a database has not had yet; returns their tags. Throws MigrationError. */
export function applyMigrations(client: Database.Database, migrations: readonly Migration[]): string[] {
  // The same table and the same test of "pending" as drizzle's migrator (sqlite-core/dialect.js).
  client.exec(`CREATE TABLE IF NOT EXISTS "${TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
  const last = client.prepare(`SELECT created_at FROM "${TABLE}" ORDER BY created_at DESC LIMIT 1`).pluck().get() as number | string | undefined;
  const pending = migrations.filter((m) => last === undefined || Number(last) < m.folderMillis);
  if (!pending.length) return [];

  // A no-op inside a transaction: it has to come before BEGIN.
  client.pragma('foreign_keys = OFF');
  try {
    client.transaction(() => {
      const record = client.prepare(`INSERT INTO "${TABLE}" ("hash", "created_at") VALUES (?, ?)`);
      for (const m of pending) {
        for (const statement of m.sql) run(client, m, statement);
        record.run(m.hash, m.folderMillis);
      }
      const dangling = client.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string }[];
      if (dangling.length) throw danglingError(pending, dangling);
    })();
  } finally {
    client.pragma('foreign_keys = ON');
  }
  return pending.map((m) => m.tag);
}

/** Brings a database up to the migrations of a folder (db/migrations); returns the tags applied. */
export function migrate(client: Database.Database, folder: string): string[] {
  return applyMigrations(client, readMigrations(folder));
}

function run(client: Database.Database, m: Migration, statement: string): void {
  try {
    client.exec(statement);
  } catch (e) {
    throw new MigrationError(`migration ${m.tag} failed: ${(e as Error).message}\n${statement.trim()}`, { cause: e });
  }
}

function danglingError(pending: readonly Migration[], rows: { table: string; rowid: number | null; parent: string }[]): MigrationError {
  const tags = pending.map((m) => m.tag).join(', ');
  const listed = rows.slice(0, 20).map((r) => `${r.table} row ${r.rowid ?? '?'} (-> ${r.parent})`).join(', ');
  const more = rows.length > 20 ? ` and ${rows.length - 20} more` : '';
  return new MigrationError(
    `migration${pending.length > 1 ? 's' : ''} ${tags} rolled back: it would leave ${rows.length} row${rows.length === 1 ? '' : 's'} `
    + `whose foreign key points nowhere: ${listed}${more}`,
  );
}
