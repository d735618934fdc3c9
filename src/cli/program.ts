// lacuna's command line, built by buildCli(deps) so that tests run each command in-process with an
// injected clock, environment and output; bin/lacuna.mjs runs it with the process's own.
import { createWriteStream, readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { GRID_COLUMNS, csvText, gridRows } from '../formats/csv.js';
import { listSeries } from '../read/read-model.js';
import { loadCatalogue, holidayCoverageWarnings } from '../catalogue/load.js';
import { DARK_STATUSES, formatDay, parseDay, SERIES_STATUSES } from '../core/index.js';
import { evaluateSeriesInStore } from '../status/check.js';
import { importValues } from '../catalogue/import-values.js';
import { createLogger } from '../app/log.js';
import { cliContext, type Cli, type CliDeps } from './context.js';
import * as alertCommands from './alerts.js';
import { dryRun, runFetch } from './fetch.js';
import { checkSources } from './sources.js';

/** lacuna's version, from its package.json. */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function asOfOption(value: string): string {
  try {
    parseDay(value);
    return value;
  } catch {
    throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  }
}

/** The instant an --as-of date stands for: the end of that day (UTC), or now. */
const instantOf = (cli: Cli, asOf: string | undefined) => (asOf ? Date.parse(`${asOf}T23:59:59.999Z`) : cli.now());

export interface LacunaCli {
  /** Runs one command line (without `node lacuna`), returning the exit code. */
  run(argv: readonly string[]): Promise<number>;
}

export function buildCli(deps: CliDeps): LacunaCli {
  return {
    async run(argv) {
      const cli = cliContext(deps);
      let code = 0;
      // Settings before the commands: subcommands copy them when they are made.
      const program = new Command().exitOverride().configureOutput({
        writeOut: (s) => deps.stdout.write(s),
        writeErr: (s) => deps.stderr.write(s),
      });
      commands(program, cli, (c) => { code = c; });
      try {
        await program.parseAsync([...argv], { from: 'user' });
        return code;
      } catch (err) {
        if (err instanceof CommanderError) return err.exitCode;
        // Every failure is one clear line; the stack only when asked for.
        cli.warn(`lacuna: ${err instanceof Error ? err.message : String(err)}`);
        if (deps.env.LOG_LEVEL === 'debug' && err instanceof Error && err.stack) cli.warn(err.stack);
        return 1;
      }
    },
  };
}

function commands(program: Command, cli: Cli, exit: (code: number) => void): void {
  program
    .name('lacuna')
    .version(VERSION, '-V, --version', 'print the version of lacuna')
    .description('Tracks official statistics and makes visible what governments stop disclosing.')
    .showHelpAfterError();

  program.command('start')
    .description('load the catalogue, start the web server and the scheduler')
    .action(async () => {
      const config = cli.config();
      const log = createLogger(config.LOG_LEVEL, (s) => cli.stderr.write(s), cli.deps.now);
      const { start } = await import('../app/start.js'); // the web app loads only for this command
      const running = await start(config, log, cli.deps.now);
      if (cli.deps.keepRunning) cli.deps.keepRunning(running);
      else await running.close();
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
      return cli.withStore(({ db }) => {
        const at = instantOf(cli, opts.asOf);
        const rows = listSeries(db, {}, at, { limit: 100_000 }).rows.filter((s) => !opts.status
          || (opts.status === 'dark' ? DARK_STATUSES.has(s.evaluation.status) : s.evaluation.status === opts.status));
        if (opts.json) {
          cli.print(JSON.stringify(rows.map((s) => ({
            id: s.id, status: s.evaluation.status, last_disclosed: s.evaluation.lastDisclosed,
            dark_since: s.evaluation.darkSince?.period ?? null, days_overdue: s.evaluation.daysOverdue, reason: s.evaluation.reason,
          })), null, 2));
          return;
        }
        cli.print(`lacuna status ${opts.asOf ? `as of ${opts.asOf}` : `at ${new Date(at).toISOString()}`}`);
        const table = rows.map((s) => [
          s.evaluation.status, s.id, s.evaluation.lastDisclosed ?? '-',
          s.evaluation.darkSince ? `${s.evaluation.darkSince.period} due ${formatDay(s.evaluation.darkSince.dueAt)}` : '',
          s.evaluation.daysOverdue === null ? '' : `${s.evaluation.daysOverdue} d`,
        ]);
        const head = ['STATUS', 'SERIES', 'LAST', 'DARK SINCE', 'OVERDUE'];
        const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
        for (const r of [head, ...table]) cli.print(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
      });
    });

  program.command('export')
    .description('write the period grid of every series (or some) as CSV, one row per expected period')
    .option('--series <ids...>', 'only these series')
    .option('--as-of <date>', 'as lacuna knew it on this date', asOfOption)
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action((opts: { series?: string[]; asOf?: string; out?: string }) => cli.withStore(async ({ db }) => {
      const at = instantOf(cli, opts.asOf);
      const file = opts.out ? createWriteStream(opts.out) : null;
      const write = (s: string) => (file
        ? new Promise<void>((resolve, reject) => file.write(s, (e) => (e ? reject(e) : resolve())))
        : Promise.resolve(void cli.stdout.write(s)));
      await write(csvText([GRID_COLUMNS]));
      let after: string | undefined;
      for (;;) {
        const page = listSeries(db, {}, at, { after, limit: 50 });
        for (const s of page.rows) if (!opts.series || opts.series.includes(s.id)) await write(csvText(gridRows(s.id, s.evaluation.grid, s.country?.code ?? null)));
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
      if (file) await new Promise<void>((resolve) => file.end(resolve));
    }));

  program.command('bake')
    .description('write the whole public site (pages, CSVs, JSON, badges, feeds, chart images) as static files into DIR')
    .argument('<dir>', 'folder to write the site into (created if needed)')
    .option('--base-url <url>', 'where the site will be served, for absolute links in previews, feeds and embeds (default LACUNA_PUBLIC_URL)')
    .action((dir: string, opts: { baseUrl?: string }) => cli.withStore(async ({ db }) => {
      const baseUrl = opts.baseUrl ?? cli.config().LACUNA_PUBLIC_URL;
      if (!baseUrl || !/^https?:\/\/[^/]+/.test(baseUrl)) throw new Error('bake needs --base-url https://... (or LACUNA_PUBLIC_URL): the address the site will be served at');
      const { bakeSite } = await import('../app/bake.js'); // the web app loads only for this command
      const r = await bakeSite(db, dir, { baseUrl, now: cli.now() });
      cli.print(`baked ${r.files} files (${(r.bytes / 1048576).toFixed(1)} MB) into ${dir}`);
      for (const f of r.failed) cli.warn(`not baked: ${f.path} answered ${f.status}`);
      if (r.failed.length) exit(1);
    }));

  program.command('import')
    .description('import values from a CSV file (series_id, period, value[, unit, source_repo, source_path, released_at])')
    .argument('<file>', 'CSV file')
    .option('--dry-run', 'check and count, write nothing')
    .action((file: string, opts: { dryRun?: boolean }) => cli.withStore(({ db, alerts }) => {
      const now = cli.now();
      const result = importValues(db, file, now, { dryRun: opts.dryRun ?? false });
      if (!opts.dryRun) evaluateSeriesInStore(db, { kind: 'ids', ids: Object.keys(result) }, now, alerts.options);
      for (const [id, c] of Object.entries(result)) {
        cli.print(`${id}: ${c.added} added, ${c.revised} revised, ${c.unchanged} unchanged${opts.dryRun ? ' (dry run: nothing written)' : ''}`);
      }
    }));

  program.command('fetch')
    .description('read the sources of the given series (default: every series with a source) once, now')
    .argument('[series...]', 'series ids')
    .option('--dry-run <id>', 'print what the source answers for one series, parsed, as CSV; write nothing')
    .action(async (ids: string[], opts: { dryRun?: string }) => {
      if (opts.dryRun) await dryRun(cli, opts.dryRun);
      else exit(await runFetch(cli, ids, 'cli'));
    });

  program.command('sources')
    .description('the series\' sources')
    .command('check')
    .description('try each source once, live, write nothing, and print what it answers (ok, blocked, failing, stale, misconfigured)')
    .argument('[series...]', 'series ids (default: every series with a source)')
    .action(async (ids: string[]) => exit(await checkSources(cli, ids)));

  program.command('backfill')
    .description('fetch the full history of the given series (default: every series with a source)')
    .argument('[series...]', 'series ids')
    .action(async (ids: string[]) => exit(await runFetch(cli, ids, 'backfill')));

  program.command('alerts')
    .description('recent status changes and their deliveries; --replay FROM TO backtests alerts over history')
    .option('--replay <dates...>', 'FROM TO (YYYY-MM-DD): the alerts lacuna would have sent, and when')
    .option('--all', 'with --replay, also the quiet status changes')
    .option('-n, --limit <n>', 'how many recent changes', '20')
    .action((opts: { replay?: string[]; all?: boolean; limit: string }) => {
      if (!opts.replay) return alertCommands.listFlips(cli, Number(opts.limit));
      if (opts.replay.length !== 2) throw new InvalidArgumentError('--replay takes two dates: FROM TO');
      return alertCommands.replay(cli, asOfOption(opts.replay[0]!), asOfOption(opts.replay[1]!), { all: opts.all ?? false });
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
    .action((id: string, o: { kind: string; set: string[]; series: string[]; topic: string[]; publisher: string[]; digest?: string }) => {
      if (o.digest && o.digest !== 'daily') throw new InvalidArgumentError('--digest takes only "daily"');
      const settings: Record<string, unknown> = {};
      for (const kv of o.set) {
        const i = kv.indexOf('=');
        if (i < 1) throw new InvalidArgumentError(`--set expects key=value, got "${kv}"`);
        const v = kv.slice(i + 1);
        settings[kv.slice(0, i)] = /^\d+$/.test(v) ? Number(v) : v;
      }
      return alertCommands.addChannel(cli, {
        id, kind: o.kind, settings, follows: { series: o.series, topics: o.topic, publishers: o.publisher }, digest: o.digest ? 'daily' : null, enabled: true,
      });
    });
  channel.command('list').action(() => alertCommands.listChannels(cli));
  for (const change of ['enable', 'disable', 'remove'] as const) {
    channel.command(change).argument('<id>').action((id: string) => alertCommands.setChannel(cli, id, change));
  }

  program.command('pause').description('stop evaluating and alerting a series').argument('<series>')
    .action((id: string) => alertCommands.silence(cli, id, { paused: true }));
  program.command('unpause').description('evaluate and alert a paused series again').argument('<series>')
    .action((id: string) => alertCommands.silence(cli, id, { paused: false }));
  program.command('snooze').description('record status changes of a series but do not alert until a date').argument('<series>')
    .option('--until <date>', 'YYYY-MM-DD; omit to clear the snooze', asOfOption)
    .action((id: string, o: { until?: string }) => alertCommands.silence(cli, id, { snoozeUntil: o.until ?? null }));

  program.command('validate')
    .description('check the catalogue files and report every error with file and line')
    .action(() => {
      const c = loadCatalogue(cli.config().LACUNA_CATALOGUE);
      const values = c.series.reduce((n, s) => n + s.values.length, 0);
      const events = c.series.reduce((n, s) => n + s.events.length, 0);
      cli.print(`catalogue OK: ${c.publishers.length} publishers, ${c.series.length} series, ${values} values, ${events} events`);
      for (const w of holidayCoverageWarnings(c, cli.now())) cli.warn(`lacuna: ${w}`);
    });

}
