// lacuna's command line: start | status | fetch | backfill | export | import | validate.
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { Command, InvalidArgumentError } from 'commander';
import { GRID_COLUMNS, csvText, gridRows } from '../formats/csv.js';
import { listSeries } from '../read/read-model.js';
import { loadCatalogue } from '../catalogue/load.js';
import { parseConfig } from '../app/config.js';
import { formatDay, parseDay, SERIES_STATUSES } from '../core/index.js';
import { evaluateSeriesInStore } from '../status/check.js';
import { importValues } from '../catalogue/import-values.js';
import { createLogger } from '../app/log.js';
import { prepareStore } from '../app/prepare.js';

function asOfOption(value: string): string {
  try {
    parseDay(value);
    return value;
  } catch {
    throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  }
}

const instantOf = (asOf: string | undefined) => (asOf ? Date.parse(`${asOf}T23:59:59.999Z`) : Date.now());

const program = new Command()
  .name('lacuna')
  .description('Tracks official statistics and makes visible what governments stop disclosing.')
  .showHelpAfterError();

program.command('start')
  .description('load the catalogue, start the web server and the scheduler')
  .action(async () => {
    const config = parseConfig(process.env);
    const log = createLogger(config.LOG_LEVEL);
    const { start } = await import('../app/start.js'); // the web app loads only for this command
    const running = await start(config, log);
    const stop = async () => {
      log.info('stopping');
      await running.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.command('status')
  .description('print every series with its status; --as-of answers what lacuna would have said on that date')
  .option('--as-of <date>', 'evaluate as of this date (YYYY-MM-DD), from recorded first-seen dates and events', asOfOption)
  .option('--status <status>', `only series with this status (${SERIES_STATUSES.join(', ')}, dark)`)
  .option('--json', 'print JSON')
  .action((opts: { asOf?: string; status?: string; json?: boolean }) => {
    if (opts.status && !([...SERIES_STATUSES, 'dark'] as string[]).includes(opts.status)) {
      throw new InvalidArgumentError(`--status must be one of ${SERIES_STATUSES.join(', ')}, dark`);
    }
    const config = parseConfig(process.env);
    const { db } = prepareStore(config, Date.now());
    const at = instantOf(opts.asOf);
    const rows = listSeries(db, {}, at, { limit: 100_000 }).rows
      .filter((s) => !opts.status || (opts.status === 'dark' ? ['overdue', 'suspended', 'discontinued'].includes(s.evaluation.status) : s.evaluation.status === opts.status));
    if (opts.json) {
      console.log(JSON.stringify(rows.map((s) => ({
        id: s.id, status: s.evaluation.status, last_disclosed: s.evaluation.lastDisclosed,
        dark_since: s.evaluation.darkSince?.period ?? null, days_overdue: s.evaluation.daysOverdue, reason: s.evaluation.reason,
      })), null, 2));
      return;
    }
    console.log(`lacuna status ${opts.asOf ? `as of ${opts.asOf}` : `at ${new Date(at).toISOString()}`}`);
    const table = rows.map((s) => [
      s.evaluation.status, s.id, s.evaluation.lastDisclosed ?? '-',
      s.evaluation.darkSince ? `${s.evaluation.darkSince.period} due ${formatDay(s.evaluation.darkSince.dueAt)}` : '',
      s.evaluation.daysOverdue === null ? '' : `${s.evaluation.daysOverdue} d`,
    ]);
    const head = ['STATUS', 'SERIES', 'LAST', 'DARK SINCE', 'OVERDUE'];
    const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
    for (const r of [head, ...table]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  });

program.command('export')
  .description('write the period grid of every series (or some) as CSV, one row per expected period')
  .option('--series <ids...>', 'only these series')
  .option('--as-of <date>', 'as lacuna knew it on this date', asOfOption)
  .option('-o, --out <file>', 'write to a file instead of standard output')
  .action(async (opts: { series?: string[]; asOf?: string; out?: string }) => {
    const config = parseConfig(process.env);
    const { db } = prepareStore(config, Date.now());
    const at = instantOf(opts.asOf);
    const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
    const write = (s: string) => new Promise<void>((resolve, reject) => out.write(s, (e) => (e ? reject(e) : resolve())));
    await write(csvText([GRID_COLUMNS]));
    let after: string | undefined;
    for (;;) {
      const page = listSeries(db, {}, at, { after, limit: 50 });
      for (const s of page.rows) if (!opts.series || opts.series.includes(s.id)) await write(csvText(gridRows(s.id, s.evaluation.grid)));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    if (opts.out) await new Promise<void>((resolve) => out.end(resolve));
  });

program.command('import')
  .description('import values from a CSV file (series_id, period, value[, unit, source_repo, source_path, released_at])')
  .argument('<file>', 'CSV file')
  .option('--dry-run', 'check and count, write nothing')
  .action((file: string, opts: { dryRun?: boolean }) => {
    const config = parseConfig(process.env);
    const now = Date.now();
    const { db, alerts } = prepareStore(config, now);
    const result = importValues(db, file, now, { dryRun: opts.dryRun ?? false });
    if (!opts.dryRun) evaluateSeriesInStore(db, { kind: 'ids', ids: Object.keys(result) }, now, alerts.options);
    for (const [id, c] of Object.entries(result)) {
      console.log(`${id}: ${c.added} added, ${c.revised} revised, ${c.unchanged} unchanged${opts.dryRun ? ' (dry run: nothing written)' : ''}`);
    }
  });

program.command('fetch')
  .description('read the sources of the given series (default: every series with a source) once, now')
  .argument('[series...]', 'series ids')
  .option('--dry-run <id>', 'print what the source answers for one series, parsed, as CSV; write nothing')
  .action(async (ids: string[], opts: { dryRun?: string }) => {
    const { runFetch, dryRun } = await import('./fetch.js');
    if (opts.dryRun) await dryRun(opts.dryRun, process.stdout);
    else process.exitCode = await runFetch(ids, 'cli');
  });

program.command('backfill')
  .description('fetch the full history of the given series (default: every series with a source)')
  .argument('[series...]', 'series ids')
  .action(async (ids: string[]) => {
    const { runFetch } = await import('./fetch.js');
    process.exitCode = await runFetch(ids, 'backfill');
  });

program.command('alerts')
  .description('recent status changes and their deliveries; --replay FROM TO backtests alerts over history')
  .option('--replay <dates...>', 'FROM TO (YYYY-MM-DD): the alerts lacuna would have sent, and when')
  .option('--all', 'with --replay, also the quiet status changes')
  .option('-n, --limit <n>', 'how many recent changes', '20')
  .action(async (opts: { replay?: string[]; all?: boolean; limit: string }) => {
    const a = await import('./alerts.js');
    if (opts.replay) {
      if (opts.replay.length !== 2) throw new InvalidArgumentError('--replay takes two dates: FROM TO');
      a.replay(asOfOption(opts.replay[0]!), asOfOption(opts.replay[1]!), { all: opts.all ?? false });
    } else a.listFlips(Number(opts.limit));
  });

const channel = program.command('channel').description('alert channels (also configurable in alerts.yaml)');
channel.command('add')
  .argument('<id>', 'channel id')
  .requiredOption('--kind <kind>', 'webhook or email')
  .option('--set <key=value...>', 'settings, e.g. url=https://... preset=slack secret_env=HOOK_SECRET, or to=desk@example.org', [])
  .option('--series <ids...>', 'follow these series', [])
  .option('--topic <tags...>', 'follow these topics', [])
  .option('--publisher <ids...>', 'follow these publishers', [])
  .option('--digest <when>', 'daily: one digest a day instead of each alert')
  .action(async (id: string, o: { kind: string; set: string[]; series: string[]; topic: string[]; publisher: string[]; digest?: string }) => {
    if (o.digest && o.digest !== 'daily') throw new InvalidArgumentError('--digest takes only "daily"');
    const settings: Record<string, unknown> = {};
    for (const kv of o.set) {
      const i = kv.indexOf('=');
      if (i < 1) throw new InvalidArgumentError(`--set expects key=value, got "${kv}"`);
      const v = kv.slice(i + 1);
      settings[kv.slice(0, i)] = /^\d+$/.test(v) ? Number(v) : v;
    }
    (await import('./alerts.js')).addChannel({
      id, kind: o.kind, settings, follows: { series: o.series, topics: o.topic, publishers: o.publisher }, digest: o.digest ? 'daily' : null, enabled: true,
    });
  });
channel.command('list').action(async () => (await import('./alerts.js')).listChannels());
for (const change of ['enable', 'disable', 'remove'] as const) {
  channel.command(change).argument('<id>').action(async (id: string) => (await import('./alerts.js')).setChannel(id, change));
}

program.command('pause').description('stop evaluating and alerting a series').argument('<series>')
  .action(async (id: string) => (await import('./alerts.js')).silence(id, { paused: true }));
program.command('unpause').description('evaluate and alert a paused series again').argument('<series>')
  .action(async (id: string) => (await import('./alerts.js')).silence(id, { paused: false }));
program.command('snooze').description('record status changes of a series but do not alert until a date').argument('<series>')
  .option('--until <date>', 'YYYY-MM-DD; omit to clear the snooze', asOfOption)
  .action(async (id: string, o: { until?: string }) => (await import('./alerts.js')).silence(id, { snoozeUntil: o.until ?? null }));

program.command('validate')
  .description('check the catalogue files and report every error with file and line')
  .action(() => {
    const config = parseConfig(process.env);
    const c = loadCatalogue(config.LACUNA_CATALOGUE);
    const values = c.series.reduce((n, s) => n + s.values.length, 0);
    const events = c.series.reduce((n, s) => n + s.events.length, 0);
    console.log(`catalogue OK: ${c.publishers.length} publishers, ${c.series.length} series, ${values} values, ${events} events`);
  });

// `lacuna alerts --replay ... | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); throw e; });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Every failure is one clear line; the stack only when asked for.
  console.error(`lacuna: ${err instanceof Error ? err.message : String(err)}`);
  if (process.env.LOG_LEVEL === 'debug' && err instanceof Error) console.error(err.stack);
  process.exit(1);
}
