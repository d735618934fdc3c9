// lacuna's configuration: every setting, secrets included, parsed once from the environment with
// one schema, failing fast with every bad variable. Nothing else reads process.env: the composition
// roots pass the parsed Config (or the parts of it a workflow needs) down.
import { resolve } from 'node:path';
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });
const smtpUrl = z.url({ protocol: /^smtps?$/, error: 'an smtp:// or smtps:// URL' });

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LACUNA_DB: z.string().min(1).default('data/lacuna.sqlite'),
  LACUNA_CATALOGUE: z.string().min(1).default('catalogue'),
  /** Base URL used in links that leave the page (feeds, alerts); defaults to http://HOST:PORT. */
  LACUNA_PUBLIC_URL: httpUrl.optional(),
  LACUNA_SCHEDULER: z.enum(['on', 'off']).default('on'),
  /** A second thread for as-of views of every series (src/read/as-of-helper.ts), with 200 series or more. */
  LACUNA_AS_OF_HELPER: z.enum(['on', 'off']).default('on'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Fetching: per-request timeout, retries of transient failures, answer size cap, user agent. */
  LACUNA_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  LACUNA_HTTP_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  LACUNA_HTTP_MAX_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  /** One request at a time per publisher host, each at least this long after the last one ended. */
  LACUNA_HTTP_HOST_SPACING_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
  LACUNA_USER_AGENT: z.string().min(1).default('lacuna/0.1 (tracker of official statistics; +https://github.com/lacuna-stats/lacuna)'),
  HTTPS_PROXY: z.string().min(1).optional(),
  HTTP_PROXY: z.string().min(1).optional(),
  NO_PROXY: z.string().optional(),
  /** Alert channels and what they follow (secrets stay in the environment); optional. */
  LACUNA_ALERTS: z.string().min(1).default('alerts.yaml'),
  LACUNA_ALERT_ON_LATE: z.enum(['on', 'off']).default('off'),
  /** Remind every N days while a series stays overdue, suspended or discontinued; 0 = never. */
  LACUNA_ALERT_REMINDER_DAYS: z.coerce.number().int().min(0).max(365).default(0),
  /** Secrets: the FRED API key, the BLS registration key (optional), the SMTP server (with its password) and the mail sender. */
  FRED_API_KEY: z.string().min(1).optional(),
  BLS_API_KEY: z.string().min(1).optional(),
  LACUNA_SMTP_URL: smtpUrl.optional(),
  LACUNA_MAIL_FROM: z.string().min(3).optional(),
});

/** Base URL overrides for a mirror, a proxy or tests: LACUNA_SOURCE_URL_<PUBLISHER or KIND>. */
const SOURCE_URL = /^LACUNA_SOURCE_URL_([A-Z0-9_]+)$/;

export type Config = z.infer<typeof schema> & {
  /** Where links that leave lacuna point: LACUNA_PUBLIC_URL, else http://HOST:PORT. */
  publicUrl: string;
  /** Source base URL overrides by upper-case publisher id or source kind ('NBS', 'SDMX'). */
  sourceUrls: Readonly<Record<string, string>>;
  /**
   * A secret an alert channel names in its settings (`secret_env: HOOK_SECRET`, `smtp_url_env`):
   * looked up in the environment lacuna started with, only for names the settings give.
   */
  secret(name: string): string | undefined;
};

export class ConfigError extends Error {}

export function parseConfig(env: Readonly<Record<string, string | undefined>>, root = process.cwd()): Config {
  const problems: string[] = [];
  // An empty variable is an unset one (`FRED_API_KEY= lacuna fetch`); the lower-case proxy
  // variables curl and most tools honour are read too.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const given = { ...set, HTTPS_PROXY: set.HTTPS_PROXY ?? set.https_proxy, HTTP_PROXY: set.HTTP_PROXY ?? set.http_proxy, NO_PROXY: set.NO_PROXY ?? set.no_proxy };
  const result = schema.safeParse(given);
  if (!result.success) {
    for (const i of result.error.issues) {
      const name = String(i.path[0]);
      // A secret's value is never echoed back.
      const got = /KEY|SMTP|SECRET|TOKEN|PASSWORD/.test(name) ? 'a value' : JSON.stringify(given[name as keyof typeof given]);
      problems.push(`  ${i.path.join('.')}: ${i.message} (got ${got})`);
    }
  }
  const sourceUrls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const m = SOURCE_URL.exec(name);
    if (!m || value === undefined || value === '') continue;
    if (!httpUrl.safeParse(value).success) problems.push(`  ${name}: an http:// or https:// URL (got ${JSON.stringify(value)})`);
    else sourceUrls[m[1]!] = value.replace(/\/+$/, '');
  }
  if (problems.length || !result.success) throw new ConfigError(`invalid environment:\n${problems.join('\n')}`);
  const c = result.data;
  const snapshot = { ...env };
  return {
    ...c,
    LACUNA_DB: c.LACUNA_DB === ':memory:' ? c.LACUNA_DB : resolve(root, c.LACUNA_DB),
    LACUNA_CATALOGUE: resolve(root, c.LACUNA_CATALOGUE),
    LACUNA_ALERTS: resolve(root, c.LACUNA_ALERTS),
    publicUrl: c.LACUNA_PUBLIC_URL ?? `http://${c.HOST === '0.0.0.0' ? 'localhost' : c.HOST}:${c.PORT}`,
    sourceUrls,
    secret: (name) => (name === 'LACUNA_SMTP_URL' ? c.LACUNA_SMTP_URL : snapshot[name] || undefined),
  };
}
