// lacuna's configuration: the environment, parsed once with a schema, failing fast with every bad variable.
import { resolve } from 'node:path';
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LACUNA_DB: z.string().min(1).default('data/lacuna.sqlite'),
  LACUNA_CATALOGUE: z.string().min(1).default('catalogue'),
  /** Base URL used in links that leave the page (feeds, alerts); defaults to http://HOST:PORT. */
  LACUNA_PUBLIC_URL: z.url().optional(),
  LACUNA_SCHEDULER: z.enum(['on', 'off']).default('on'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Fetching: per-request timeout, retries of transient failures, answer size cap. */
  LACUNA_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  LACUNA_HTTP_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  LACUNA_HTTP_MAX_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  /** Alert channels and what they follow (secrets stay in the environment); optional. */
  LACUNA_ALERTS: z.string().min(1).default('alerts.yaml'),
  LACUNA_ALERT_ON_LATE: z.enum(['on', 'off']).default('off'),
  /** Remind every N days while a series stays overdue, suspended or discontinued; 0 = never. */
  LACUNA_ALERT_REMINDER_DAYS: z.coerce.number().int().min(0).max(365).default(0),
  LACUNA_USER_AGENT: z.string().min(1).default('lacuna/0.1 (tracker of official statistics; +https://github.com/lacuna-stats/lacuna)'),
});

export type Config = z.infer<typeof schema> & { publicUrl: string };

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>, root = process.cwd()): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  const c = result.data;
  return {
    ...c,
    LACUNA_DB: c.LACUNA_DB === ':memory:' ? c.LACUNA_DB : resolve(root, c.LACUNA_DB),
    LACUNA_CATALOGUE: resolve(root, c.LACUNA_CATALOGUE),
    LACUNA_ALERTS: resolve(root, c.LACUNA_ALERTS),
    publicUrl: c.LACUNA_PUBLIC_URL ?? `http://${c.HOST === '0.0.0.0' ? 'localhost' : c.HOST}:${c.PORT}`,
  };
}
