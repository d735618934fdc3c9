// The composition root: configuration, store, catalogue, HTTP server and scheduler.
import { AsOfHelper } from '../read/as-of-helper.js';
import { serve, type ServerType } from '@hono/node-server';
import { jobs } from '../../jobs/jobs.js';
import { startScheduler, type Scheduler } from '../../jobs/scheduler.js';
import { createApp } from '../../web/app.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { prepareStore, type Prepared } from './prepare.js';
import { credentialWarnings } from '../fetch/due.js';
import { httpFromConfig, sourceSettings } from './settings.js';
import { loadAlertsFile } from '../alerts/config.js';

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** What left the catalogue at this load, for the start-up log ('' when nothing did). */
function retractedText(r: Prepared['sync']['retracted']): string {
  const removed = [r.events ? `${r.events} events` : '', r.values ? `${r.values} bundled values` : '', r.publishers ? `${r.publishers} publishers` : '']
    .filter(Boolean);
  return (r.series ? `; ${r.series} series retracted (kept with their fetched history)` : '') + (removed.length ? `; removed ${removed.join(', ')}` : '');
}

export async function start(config: Config, log: Logger, now: () => number = Date.now): Promise<Running> {
  const started = now();
  const channelSpecs = loadAlertsFile(config.LACUNA_ALERTS); // a bad alerts.yaml stops start-up before anything is written
  const { db, sync, alerts, check, warnings } = prepareStore(config, started, { channels: channelSpecs });
  for (const w of warnings) log.warn(w);
  for (const f of check.failed) log.warn(`series ${f.seriesId} cannot be evaluated (retried with backoff): ${f.error}`);
  log.info(sync.skipped
    ? 'catalogue unchanged since the last start'
    : `catalogue loaded: ${sync.series} series, ${sync.added} values added, ${sync.revised} revised, ${sync.events} events${retractedText(sync.retracted)}`);
  const sources = sourceSettings(config);
  for (const w of credentialWarnings(db, sources.apiKeys)) log.warn(w);
  if (channelSpecs.length) log.info(`alerts: ${channelSpecs.length} channel${channelSpecs.length === 1 ? '' : 's'} from ${config.LACUNA_ALERTS}`);
  // The app is made once the listening address is known: links that leave a page point to
  // LACUNA_PUBLIC_URL or to that address, never to whatever Host a request names.
  let app: ReturnType<typeof createApp> | null = null;
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: (req, env) => (app ? app.fetch(req, env) : new Response('starting', { status: 503, headers: { 'retry-after': '1' } })), port: config.PORT, hostname: config.HOST }, () => resolve(s));
    // A port already taken is a setting to change, not a crash: say which and how.
    s.once('error', (err: NodeJS.ErrnoException) => {
      db.$client.close();
      reject(err.code === 'EADDRINUSE'
        ? new Error(`port ${config.PORT} on ${config.HOST} is already in use: set PORT to a free port (PORT=0 picks one), or stop what is using it`)
        : err.code === 'EACCES'
          ? new Error(`not allowed to listen on port ${config.PORT}: set PORT to a port above 1023`)
          : err);
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  const publicUrl = config.LACUNA_PUBLIC_URL ?? url;
  AsOfHelper.allow(config.LACUNA_AS_OF_HELPER === 'on');
  app = createApp({ db, now, alertOptions: alerts.options, publicUrl });
  const scheduler: Scheduler | null = config.LACUNA_SCHEDULER === 'on' ? startScheduler(jobs, {
    db, now, log, http: httpFromConfig(config), sources, secret: config.secret, mailFrom: config.LACUNA_MAIL_FROM, alerts: { ...alerts, publicUrl },
  }) : null;
  log.info(`lacuna is serving ${url} (${now() - started} ms to start${scheduler ? ', scheduler on' : ''})`);
  return {
    url,
    async close() {
      await scheduler?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.$client.close();
    },
  };
}
