// What left the catalogue leaves the store, inside the catalogue load's transaction. The catalogue
// owns its events, their citations, the bundled values and the publishers; lacuna owns what it
// fetched, imported or inferred, and keeps it:
//
// | row                                        | still in the catalogue | left it                           |
// |--------------------------------------------|------------------------|-----------------------------------|
// | event (origin catalogue) and its citations | upserted               | deleted                           |
// | event (origin inferred)                    | -                      | kept                              |
// | value (origin bundle) of a period          | recorded               | deleted; a value it had replaced  |
// |                                            |                        | (fetched, imported) is current    |
// | value (origin fetch or import)             | -                      | kept                              |
// | series                                     | retracted_at cleared   | retracted_at set: kept with its   |
// |                                            |                        | history, not listed, fetched or   |
// |                                            |                        | evaluated                         |
// | publisher                                  | upserted               | deleted when no series names it   |
import { perConnection, type Db } from '../../db/client.js';
import { dropBundledValues } from '../../db/record-values.js';
import type { Catalogue } from './load.js';

export interface Retracted {
  /** Series that left the catalogue at this load. */
  series: number;
  events: number;
  values: number;
  publishers: number;
}

// Lists of ids go in as one JSON array (json_each), whatever the size of the catalogue.
const statements = perConnection((_db, client) => ({
  citations: client.prepare(
    "DELETE FROM citations WHERE event_id IN (SELECT id FROM events WHERE origin = 'catalogue' AND id NOT IN (SELECT value FROM json_each(?)))",
  ),
  events: client.prepare("DELETE FROM events WHERE origin = 'catalogue' AND id NOT IN (SELECT value FROM json_each(?))"),
  retract: client.prepare('UPDATE series SET retracted_at = ? WHERE retracted_at IS NULL AND id NOT IN (SELECT value FROM json_each(?)) RETURNING id').pluck(),
  unretract: client.prepare('UPDATE series SET retracted_at = NULL WHERE retracted_at IS NOT NULL AND id IN (SELECT value FROM json_each(?))'),
  publishers: client.prepare('DELETE FROM publishers WHERE id NOT IN (SELECT value FROM json_each(?)) AND id NOT IN (SELECT publisher_id FROM series)'),
}));

/** Deletes or retracts what is in the store but no longer in `cat` (see the table above). Call inside the load's transaction. */
export function retractLeft(db: Db, cat: Catalogue, now: number): Retracted {
  const st = statements(db);
  const json = (ids: string[]) => JSON.stringify(ids);
  const eventIds = json(cat.series.flatMap((s) => s.events.map((e) => e.id)));
  st.citations.run(eventIds);
  const events = st.events.run(eventIds).changes;

  const seriesIds = json(cat.series.map((s) => s.id));
  st.unretract.run(seriesIds);
  const left = st.retract.all(now, seriesIds) as string[];
  let values = 0;
  for (const s of cat.series) values += dropBundledValues(db, s.id, s.values.map((v) => v.period), now);
  for (const id of left) values += dropBundledValues(db, id, [], now);

  const publishers = st.publishers.run(json(cat.publishers.map((p) => p.id))).changes;
  return { series: left.length, events, values, publishers };
}
