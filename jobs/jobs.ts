// lacuna's jobs: a plain table of { name, cron, run }. Cron expressions are UTC. Each job catches
// and reports its own errors; tests call run(deps) directly and never wait for cron.
import type { Db } from '../db/client.js';
import { evaluateSeriesInSlices } from '../src/status/check.js';
import { refreshHeadlinePaced } from '../src/status/headline.js';
import { pacer } from '../src/read/pace.js';
import type { Logger } from '../src/app/log.js';
import { dueForFetch } from '../src/fetch/due.js';
import { dueForCalendar } from '../src/fetch/calendar-due.js';
import { readCalendar } from '../src/fetch/calendar-read.js';
import { fetchMany, summarise, type SourceSettings } from '../src/fetch/runner.js';
import type { HttpGet } from '../src/sources/http.js';
import { deliverDue } from '../src/alerts/outbox.js';
import { remindDark } from '../src/alerts/reminders.js';
import type { AlertSettings } from '../src/app/settings.js';

export interface JobDeps {
  db: Db;
  now: () => number;
  log: Logger;
  http: HttpGet;
  sources: SourceSettings;
  /** Secrets alert channels name, and the default mail sender (the configuration's). */
  secret(name: string): string | undefined;
  mailFrom?: string | undefined;
  alerts: AlertSettings;
  /** How long the status check works before it hands the event loop back (ms); 40 by default. */
  sliceMs?: number;
}

export interface Job {
  name: string;
  cron: string;
  run(deps: JobDeps): Promise<string> | string;
  /** Whether a run's message says nothing happened: logged at debug, so the log at info shows only news. */
  routine?: (message: string) => boolean;
}

export const jobs: Job[] = [
  {
    // Reads the sources of series whose next_fetch_at has come (set per series from its release
    // rule: hourly around the expected release, daily otherwise); each fetch re-evaluates its series.
    name: 'fetch-due',
    cron: '*/10 * * * *',
    routine: (m) => m === 'nothing due',
    async run(deps) {
      const ids = dueForFetch(deps.db, deps.now(), deps.sources.apiKeys);
      if (!ids.length) return 'nothing due';
      const results = await fetchMany({ ...deps, alertOptions: deps.alerts.options }, ids, 'schedule', (r) => {
        if (r.outcome === 'failed') deps.log.warn(`fetch failed: ${r.error}`);
      });
      return summarise(results);
    },
  },
  {
    // Reads the release calendars of series that name one (every six hours, backing off after
    // failures): promises moved, cancelled or removed are recorded and alert; statuses follow.
    name: 'calendar-due',
    cron: '7,37 * * * *',
    routine: (m) => m === 'nothing due',
    async run(deps) {
      const ids = dueForCalendar(deps.db, deps.now());
      if (!ids.length) return 'nothing due';
      let failed = 0;
      let changes = 0;
      for (const id of ids) {
        try {
          const r = await readCalendar({ ...deps, alertOptions: deps.alerts.options }, id);
          if (r.outcome === 'failed') { failed++; deps.log.warn(`calendar read failed: ${r.error}`); }
          changes += r.changes.length;
        } catch (e) {
          // lacuna's own error on one series never stops the others.
          failed++;
          deps.log.warn(`calendar read of ${id} failed: ${(e as Error).message}`);
        }
      }
      return `${ids.length} calendar${ids.length === 1 ? '' : 's'} read: ${failed} failed, ${changes} promise change${changes === 1 ? '' : 's'}`;
    },
  },
  {
    // Asks only for series whose next_check_at has come (an indexed query), then records flips.
    name: 'status-check',
    cron: '*/5 * * * *',
    routine: (m) => m === 'evaluated 0 due series, 0 status changes',
    async run(deps) {
      const { db, now } = deps;
      const t = now();
      const { evaluated, flips, failed } = await evaluateSeriesInSlices(db, { kind: 'due' }, t, deps.alerts.options, deps.sliceMs);
      for (const f of failed) deps.log.warn(`series ${f.seriesId} cannot be evaluated (retried with backoff): ${f.error}`);
      // The board's headline, recomputed when a series was evaluated since or a month settled.
      const headline = (await refreshHeadlinePaced(db, t, pacer(deps.sliceMs ?? 40))) ? ', headline recomputed' : '';
      const failures = failed.length ? `, ${failed.length} failed` : '';
      return `evaluated ${evaluated} due series, ${flips.length} status change${flips.length === 1 ? '' : 's'}${failures}${headline}`;
    },
  },
  {
    // The outbox: sends due deliveries (at least once; the flip id is the idempotency key),
    // retrying transient failures with backoff, disabling a channel on a permanent one.
    name: 'deliver-alerts',
    cron: '* * * * *',
    routine: (m) => m === '0 sent, 0 to retry, 0 channels disabled',
    async run(deps) {
      const r = await deliverDue({ db: deps.db, now: deps.now, secret: deps.secret, mailFrom: deps.mailFrom, publicUrl: deps.alerts.publicUrl });
      for (const c of r.disabled) deps.log.warn(`alert channel ${c} disabled after a permanent failure (see /alerts)`);
      return `${r.sent} sent, ${r.retrying} to retry, ${r.disabled.length} channel${r.disabled.length === 1 ? '' : 's'} disabled`;
    },
  },
  {
    // Reminders while a series stays dark, when LACUNA_ALERT_REMINDER_DAYS is set.
    name: 'reminders',
    cron: '17 * * * *',
    routine: (m) => m === '0 reminders queued',
    run(deps) {
      return `${remindDark(deps.db, deps.now(), deps.alerts.reminderDays)} reminders queued`;
    },
  },
];
