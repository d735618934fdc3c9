// Opens the store and brings it up to date with the catalogue: validate (refusing the whole
// catalogue on any error), migrate, load in one transaction, evaluate every series.
import { openDb, type Db } from '../../db/client.js';
import { syncCatalogue, type SyncResult } from '../catalogue/sync.js';
import { loadCatalogue } from '../catalogue/load.js';
import type { Config } from './config.js';
import { evaluateSeriesInStore } from '../status/check.js';
import { alertSettings, type AlertConfig, type AlertSettings } from './settings.js';
import { refreshHeadline } from '../status/headline.js';
import { impossibleStoredDates } from '../read/stored-dates.js';

export interface Prepared {
  db: Db;
  sync: SyncResult;
  /** The alert settings in force, for whatever the caller evaluates next. */
  alerts: AlertSettings;
  /** Stored rows skipped for an impossible date (left by an older version), one line each, for the log. */
  warnings: string[];
}

export function prepareStore(
  config: Pick<Config, 'LACUNA_DB' | 'LACUNA_CATALOGUE'> & Partial<AlertConfig>, now: number,
): Prepared {
  const catalogue = loadCatalogue(config.LACUNA_CATALOGUE); // throws CatalogueError before anything is opened
  const db = openDb(config.LACUNA_DB);
  try {
    const alerts = alertSettings(config);
    const sync = syncCatalogue(db, catalogue, now);
    const warnings = impossibleStoredDates(db);
    evaluateSeriesInStore(db, sync.skipped ? { kind: 'due' } : { kind: 'all' }, now, alerts.options);
    refreshHeadline(db, now);
    return { db, sync, alerts, warnings };
  } catch (err) {
    db.$client.close();
    throw err;
  }
}
