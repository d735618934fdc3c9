// Dates stored by an older lacuna, which did not check them ('2023-13-45'), must not stop start or
// answer a page with a 500: every read of calendar entries and events skips such a row (isRealDate)
// and start names each one in a warning (impossibleStoredDates). Nothing is deleted: the catalogue's
// next load replaces its own rows, and lacuna's inferred events stay for someone to look at.
import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client.js';

/** True in SQL when a column holds a real calendar date YYYY-MM-DD: SQLite's date() refuses 2023-13-45 and moves 2023-02-30 on. */
export const isRealDate = (column: SQLiteColumn): SQL => sql`date(${column}) = ${column}`;

/** One line per stored calendar entry or event date that is not a real date, naming the row. */
export function impossibleStoredDates(db: Db): string[] {
  const bad = (query: string) => db.$client.prepare(query).all() as { id: string; series: string | null; col: string; value: string }[];
  const rows = [
    ...bad("SELECT id, NULL AS series, 'from_date' AS col, from_date AS value FROM calendar_events WHERE date(from_date) IS NOT from_date "
      + "UNION ALL SELECT id, NULL, 'to_date', to_date FROM calendar_events WHERE date(to_date) IS NOT to_date ORDER BY id, col"),
    ...bad("SELECT id, series_id AS series, 'date' AS col, date AS value FROM events WHERE date(date) IS NOT date ORDER BY id"),
  ];
  return rows.map((r) => `${r.series === null ? 'calendar_events' : 'events'} row ${r.id}${r.series === null ? '' : ` (series ${r.series})`}: `
    + `${r.col} ${JSON.stringify(r.value)} is not a date; skipped`);
}
