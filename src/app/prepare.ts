// Opens the store and brings it up to date with the catalogue: validate (refusing the whole
// catalogue on any error), migrate, load in one transaction, evaluate every series.
import { openDb, type Db } from '../../db/client.js';
import { syncCatalogue, type SyncResult } from '../catalogue/sync.js';
import { loadCatalogue, holidayCoverageWarnings } from '../catalogue/load.js';
import type { Config } from './config.js';
import { evaluateSeriesInStore, expireOtherStamps, type CheckResult } from '../status/check.js';
import { alertSettings, type AlertConfig, type AlertSettings } from './settings.js';
import { refreshHeadline } from '../status/headline.js';
import { syncAlertsFile, type ChannelSpec } from '../alerts/config.js';
import { impossibleStoredDates } from '../read/stored-dates.js';
import { closeInterruptedRuns } from '../fetch/runner.js';

export interface Prepared {
  db: Db;
  sync: SyncResult;
  /** The alert settings in force, for whatever the caller evaluates next. */
  alerts: AlertSettings;
  /** The first status check: series evaluated, flips, and series that could not be evaluated. */
  check: CheckResult;
  /** Stored rows skipped for an impossible date (left by an older version), one line each, for the log. */
  warnings: string[];
}

/**
 * `channels`: the channels alerts.yaml configures, brought in before the first check, so that a
 * change found at start is queued for them too.
 */
export function prepareStore(
  config: Pick<Config, 'LACUNA_DB' | 'LACUNA_CATALOGUE'> & Partial<AlertConfig>, now: number, opts: { channels?: readonly ChannelSpec[] } = {},
): Prepared {
  const catalogue = loadCatalogue(config.LACUNA_CATALOGUE); // throws CatalogueError before anything is opened
  const db = openDb(config.LACUNA_DB);
  try {
    const alerts = alertSettings(config);
    const sync = syncCatalogue(db, catalogue, now);
    if (opts.channels) syncAlertsFile(db, opts.channels, now);
    const warnings = [...impossibleStoredDates(db), ...holidayCoverageWarnings(catalogue, now)];
    // A fetch a crash left running is closed as abandoned, not shown as running for ever.
    const abandoned = closeInterruptedRuns(db, now);
    if (abandoned) warnings.push(`${abandoned} fetch run${abandoned === 1 ? '' : 's'} left running by a stopped process marked abandoned`);
    // Stored evaluations of older rules are dropped, so that this first check recomputes them.
    expireOtherStamps(db);
    const check = evaluateSeriesInStore(db, sync.skipped ? { kind: 'due' } : { kind: 'all' }, now, alerts.options);
    refreshHeadline(db, now);
    return { db, sync, alerts, check, warnings };
  } catch (err) {
    db.$client.close();
    throw err;
  }
}
