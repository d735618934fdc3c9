// Fills every table of a SQLite database with rows, knowing nothing of lacuna's schema: columns,
// foreign keys and keys are read from the database itself (PRAGMA table_info, foreign_key_list),
// so the migration upgrade test works at every past migration and at any the project adds.
import type Database from 'better-sqlite3';

interface Column { name: string; type: string; pk: number }
interface ForeignKey { table: string; from: string; to: string | null }

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The tables a migration can touch: every table but SQLite's own, the migrations' record, and
 * virtual tables (full-text indexes) with their shadow tables, which SQLite and triggers keep and
 * which are derived from the others.
 */
export function userTables(client: Database.Database): string[] {
  const virtual = client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").pluck().all() as string[];
  return (client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations' ORDER BY name")
    .pluck().all() as string[]).filter((t) => !virtual.some((v) => t === v || t.startsWith(`${v}_`)));
}

const columnsOf = (client: Database.Database, t: string) => client.prepare(`PRAGMA table_info(${q(t)})`).all() as Column[];
const foreignKeysOf = (client: Database.Database, t: string) => client.prepare(`PRAGMA foreign_key_list(${q(t)})`).all() as ForeignKey[];

/** Parents before children, so that every foreign key can point at a row that is already there. */
function parentsFirst(client: Database.Database, tables: string[]): string[] {
  const done: string[] = [];
  const visit = (t: string, path: string[]) => {
    if (done.includes(t)) return;
    if (path.includes(t)) throw new Error(`foreign keys form a cycle: ${[...path, t].join(' -> ')}`);
    for (const fk of foreignKeysOf(client, t)) if (fk.table !== t && tables.includes(fk.table)) visit(fk.table, [...path, t]);
    done.push(t);
  };
  for (const t of tables) visit(t, []);
  return done;
}

/** A value of the column's declared type, different for every n (so unique indexes hold). */
function valueOf(table: string, c: Column, n: number): unknown {
  const type = c.type.toUpperCase();
  if (type.includes('INT')) return n + 1;
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return n + 0.5;
  if (type.includes('BLOB')) return Buffer.from(`${table}.${c.name}.${n}`);
  if (type.includes('CHAR') || type.includes('TEXT') || type.includes('CLOB')) return `${table}.${c.name}.${n}`;
  return n + 1;
}

/** The value of row `k` (cycling) of a parent's referenced column (its primary key when the key names none). */
function parentValue(client: Database.Database, fk: ForeignKey, k: number): unknown {
  const to = fk.to ?? columnsOf(client, fk.table).find((c) => c.pk === 1)?.name ?? 'rowid';
  const values = client.prepare(`SELECT ${q(to)} FROM ${q(fk.table)} ORDER BY rowid`).pluck().all();
  if (!values.length) throw new Error(`${fk.table} has no row for ${fk.from} to point at`);
  return values[k % values.length];
}

const isUniqueViolation = (e: unknown) => {
  const code = (e as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

/**
 * Inserts rows into every table until each holds at least `rows`: every column filled with a value
 * of its type, every foreign key pointing at an existing parent row, unique indexes respected (a row
 * that would repeat a unique key points at other parent rows instead). Triggers may delete rows of
 * other tables (a new event drops a stored evaluation): tables are topped up until each holds enough.
 */
export function fillEveryTable(client: Database.Database, rows = 3): void {
  const order = parentsFirst(client, userTables(client));
  const count = (t: string) => client.prepare(`SELECT count(*) FROM ${q(t)}`).pluck().get() as number;
  let n = 0;
  for (let pass = 0; pass < 5 && order.some((t) => count(t) < rows); pass++) {
    for (const t of order) {
      const cols = columnsOf(client, t);
      const fks = new Map(foreignKeysOf(client, t).map((fk) => [fk.from, fk]));
      const insert = client.prepare(`INSERT INTO ${q(t)} (${cols.map((c) => q(c.name)).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
      for (let tries = 0; count(t) < rows; tries++) {
        if (tries > rows * 10) throw new Error(`could not fill ${t}: its unique keys leave no room for ${rows} rows`);
        const row = n++;
        try {
          insert.run(cols.map((c) => (fks.has(c.name) ? parentValue(client, fks.get(c.name)!, row) : valueOf(t, c, row))));
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
        }
      }
    }
  }
  const short = order.filter((t) => count(t) < rows);
  if (short.length) throw new Error(`tables still short of ${rows} rows: ${short.join(', ')}`);
}

export interface TableSnapshot { count: number; keys: string[] }

/** Per table: the number of rows and, where the table declares a primary key, every key. */
export function snapshot(client: Database.Database): Record<string, TableSnapshot> {
  return Object.fromEntries(userTables(client).map((t) => {
    const pk = columnsOf(client, t).filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => q(c.name));
    const count = client.prepare(`SELECT count(*) FROM ${q(t)}`).pluck().get() as number;
    const keys = pk.length
      ? (client.prepare(`SELECT json_array(${pk.join(', ')}) FROM ${q(t)} ORDER BY 1`).pluck().all() as string[])
      : [];
    return [t, { count, keys }];
  }));
}
