// Migrations on populated databases: every past migration upgraded to HEAD with no row lost, table
// rebuilds with child rows present, and a migration that would leave a dangling foreign key.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as drizzleMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openDb } from '../db/client.js';
import { MigrationError, migrate, applyMigrations, readMigrations } from '../db/migrate.js';
import { fillEveryTable, snapshot } from './populate.js';
import { tempDir, writeTree } from './helpers.js';

const ALL = readMigrations(MIGRATIONS_DIR);
const HEAD = ALL.at(-1)!.tag;

/** Tables a migration empties on purpose, by the migration that does it (and why). */
const EMPTIED: Record<string, string[]> = {
  // The catalogue is loaded again at the next start, so that bundle_checked_at is filled.
  '0006_pipeline': ['catalogue_loads'],
  // Likewise, so that the countries the catalogue gives are filled.
  '0013_countries': ['catalogue_loads'],
  // The stored read model (copies the status check writes) is made again with its columns in a
  // faster order; the first check after the upgrade fills it.
  '0011_fast_paths': ['series_grids', 'series_answers'],
};

/** A database file with foreign keys on, as lacuna opens it. */
function sqliteFile(file = join(tempDir(), 'lacuna.sqlite')) {
  const client = new Database(file);
  client.pragma('foreign_keys = ON');
  return { client, file };
}

/** A migrations folder in drizzle-kit's layout (meta/_journal.json and one .sql per entry). */
function migrationsFolder(sqls: string[]): string {
  const entries = sqls.map((_, idx) => ({ idx, version: '6', when: 1_700_000_000_000 + idx, tag: `000${idx}_step`, breakpoints: true }));
  return writeTree({
    'meta/_journal.json': JSON.stringify({ version: '7', dialect: 'sqlite', entries }),
    ...Object.fromEntries(sqls.map((s, i) => [`${entries[i]!.tag}.sql`, s])),
  });
}

/** The committed migrations up to and including `tag`, as their own folder (for drizzle's migrator). */
function committedUpTo(tag: string): string {
  const dir = tempDir('lacuna-migrations-');
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === tag) + 1);
  mkdirSync(join(dir, 'meta'));
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const e of entries) cpSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  return dir;
}

const CHILD_ROWS = `
CREATE TABLE \`events\` (\`id\` text PRIMARY KEY NOT NULL, \`title\` text NOT NULL);
--> statement-breakpoint
CREATE TABLE \`citations\` (
	\`id\` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	\`event_id\` text NOT NULL,
	\`url\` text NOT NULL,
	FOREIGN KEY (\`event_id\`) REFERENCES \`events\`(\`id\`) ON UPDATE no action ON DELETE cascade
);`;

/** What drizzle-kit generates to change a column of `events`: a copy, a drop and a rename. */
const REBUILD_EVENTS = `PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE \`__new_events\` (\`id\` text PRIMARY KEY NOT NULL, \`title\` text NOT NULL, \`kind\` text DEFAULT 'other' NOT NULL);
--> statement-breakpoint
INSERT INTO \`__new_events\`("id", "title") SELECT "id", "title" FROM \`events\`;--> statement-breakpoint
DROP TABLE \`events\`;--> statement-breakpoint
ALTER TABLE \`__new_events\` RENAME TO \`events\`;--> statement-breakpoint
PRAGMA foreign_keys=ON;`;

describe('migrations', () => {
  ALL.slice(0, -1).forEach((m, k) => {
    it(`upgrades a database populated at ${m.tag} to ${HEAD} with no row lost`, () => {
      const { client, file } = sqliteFile();
      applyMigrations(client, ALL.slice(0, k + 1));
      fillEveryTable(client, 3);
      const before = snapshot(client);
      client.close();

      const db = openDb(file);
      const after = snapshot(db.$client);
      const emptied = new Set(ALL.slice(k + 1).flatMap((later) => EMPTIED[later.tag] ?? []));
      for (const [table, was] of Object.entries(before)) {
        expect(after[table], table).toEqual(emptied.has(table) ? { count: 0, keys: [] } : was);
      }
      expect(db.$client.pragma('foreign_key_check')).toEqual([]);
      expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
      db.$client.close();
    });
  });

  it('rebuilds flips (0002) while deliveries point at them, keeping both', () => {
    const { client, file } = sqliteFile();
    applyMigrations(client, ALL.filter((m) => m.tag < '0002'));
    client.exec(`
      INSERT INTO publishers (id, name, time_zone) VALUES ('nbs', 'NBS', 'Asia/Shanghai');
      INSERT INTO series (id, publisher_id, title, unit, frequency, release_rule, grid_from, record_from)
        VALUES ('s', 'nbs', 'S', 'percent', 'monthly', '{}', '2023-01', '2023-01');
      INSERT INTO flips (id, series_id, at, from_status, to_status, reason) VALUES (7, 's', 1, 'current', 'overdue', 'why');
      INSERT INTO channels (id, kind) VALUES ('desk', 'webhook');
      INSERT INTO deliveries (flip_id, channel_id, next_attempt_at) VALUES (7, 'desk', 1);`);
    client.close();
    const db = openDb(file);
    expect(db.$client.prepare('SELECT d.flip_id, f.to_status FROM deliveries d JOIN flips f ON f.id = d.flip_id').all())
      .toEqual([{ flip_id: 7, to_status: 'overdue' }]);
    db.$client.close();
  });

  it('rebuilds a parent table without cascading the delete to its children (citations of events)', () => {
    const { client } = sqliteFile();
    const folder = migrationsFolder([CHILD_ROWS, REBUILD_EVENTS]);
    applyMigrations(client, readMigrations(folder).slice(0, 1));
    client.exec(`INSERT INTO events VALUES ('e1', 'Suspension');
      INSERT INTO citations (event_id, url) VALUES ('e1', 'https://a.example'), ('e1', 'https://b.example');`);
    migrate(client, folder);
    expect(client.prepare('SELECT e.kind, c.url FROM citations c JOIN events e ON e.id = c.event_id ORDER BY c.id').all())
      .toEqual([{ kind: 'other', url: 'https://a.example' }, { kind: 'other', url: 'https://b.example' }]);
    expect(client.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('rolls back a migration that leaves a dangling foreign key, naming the table and the row', () => {
    const { client } = sqliteFile();
    // The rebuild forgets an event: its citation would point nowhere.
    const forgetful = REBUILD_EVENTS.replace('FROM `events`;', "FROM `events` WHERE id <> 'e2';");
    const folder = migrationsFolder([CHILD_ROWS, forgetful]);
    applyMigrations(client, readMigrations(folder).slice(0, 1));
    client.exec(`INSERT INTO events VALUES ('e1', 'Suspension'), ('e2', 'Resumed');
      INSERT INTO citations (id, event_id, url) VALUES (1, 'e1', 'https://a.example'), (2, 'e2', 'https://b.example');`);
    let error: unknown;
    try {
      migrate(client, folder);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toBe(
      'migration 0001_step rolled back: it would leave 1 row whose foreign key points nowhere: citations row 2 (-> events)',
    );
    // Nothing of it stays: the old table, its rows, the record of applied migrations.
    expect(client.prepare('SELECT id FROM events ORDER BY id').pluck().all()).toEqual(['e1', 'e2']);
    expect(client.prepare("SELECT count(*) FROM pragma_table_info('events') WHERE name = 'kind'").pluck().get()).toBe(0);
    expect(client.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(1);
    expect(client.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it("records applied migrations as drizzle's migrator does, and upgrades a database it migrated", () => {
    const { client, file } = sqliteFile();
    drizzleMigrate(drizzle(client), { migrationsFolder: committedUpTo('0003_calendar') });
    client.close();
    const db = openDb(file);
    expect(db.$client.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at').all())
      .toEqual(ALL.map((m) => ({ hash: m.hash, created_at: m.folderMillis })));
    db.$client.close();
    // And drizzle's migrator finds nothing left to do on a database lacuna migrated.
    const again = new Database(file);
    drizzleMigrate(drizzle(again), { migrationsFolder: MIGRATIONS_DIR });
    expect(again.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(ALL.length);
    again.close();
  });

  it('names the file, and says what to do, when the database cannot be opened', () => {
    const file = join(tempDir(), 'lacuna.sqlite');
    writeFileSync(file, 'this is not a SQLite database, and long enough to have a header to read');
    expect(() => openDb(file)).toThrow(`${file}: file is not a database (this file is not a lacuna database: point LACUNA_DB at lacuna's file, or at a new path to start afresh)`);
    // A folder that cannot be made: a file stands where it should be.
    const blocked = join(tempDir(), 'not-a-folder');
    writeFileSync(blocked, '');
    expect(() => openDb(join(blocked, 'lacuna.sqlite'))).toThrow(new RegExp(`^${blocked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/lacuna.sqlite: .*`));
  });
});
