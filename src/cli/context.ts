// What every command gets: the configuration, the clock, where to write, and the store opened and
// brought up to date with the catalogue. Injected (buildCli(deps)), so tests run commands in-process.
import type { Db } from '../../db/client.js';
import { parseConfig, type Config } from '../app/config.js';
import { prepareStore, type Prepared } from '../app/prepare.js';
import type { HttpGet } from '../sources/http.js';
import { httpFromConfig } from '../app/settings.js';

/** Where a command writes: standard output or error. */
export interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface CliDeps {
  env: Readonly<Record<string, string | undefined>>;
  now: () => number;
  stdout: Out;
  stderr: Out;
  /** The HTTP client for publishers; the configuration's when absent. */
  http?: HttpGet;
  /** The working directory relative paths are read from; the process's when absent. */
  cwd?: string;
  /** Called with the running server by `start`, to keep it up until a signal (bin/lacuna.mjs). */
  keepRunning?: (running: { close(): Promise<void> }) => void;
}

export interface Cli {
  config(): Config;
  now(): number;
  print(line: string): void;
  warn(line: string): void;
  stdout: Out;
  stderr: Out;
  http(): HttpGet;
  /** Opens the store, migrated and loaded with the catalogue; `use` runs with it and it is closed after. */
  withStore<T>(use: (p: Prepared & { db: Db }) => T | Promise<T>): Promise<T>;
  deps: CliDeps;
}

export function cliContext(deps: CliDeps): Cli {
  let config: Config | undefined;
  const cli: Cli = {
    config: () => (config ??= parseConfig(deps.env, deps.cwd)),
    now: () => deps.now(),
    print: (line) => deps.stdout.write(`${line}\n`),
    warn: (line) => deps.stderr.write(`${line}\n`),
    stdout: deps.stdout,
    stderr: deps.stderr,
    http: () => deps.http ?? httpFromConfig(cli.config()),
    async withStore(use) {
      const prepared = prepareStore(cli.config(), deps.now());
      for (const w of prepared.warnings) cli.warn(`lacuna: ${w}`);
      try {
        return await use(prepared);
      } finally {
        prepared.db.$client.close();
      }
    },
    deps,
  };
  return cli;
}
