// What the composition roots derive from the configuration for each workflow: the alert settings,
// the HTTP client for publishers and the source settings (base URL overrides and API keys).
import type { Config } from './config.js';
import { DEFAULT_ALERT_OPTIONS, type AlertOptions } from '../core/index.js';
import { createHttp, type HttpGet } from '../sources/http.js';
import type { SourceSettings } from '../fetch/runner.js';

export type AlertConfig = Pick<Config, 'publicUrl' | 'LACUNA_ALERT_ON_LATE' | 'LACUNA_ALERT_REMINDER_DAYS'>;

export interface AlertSettings {
  publicUrl: string;
  options: AlertOptions;
  reminderDays: number;
}

/** The settings from the configuration; a missing field (a test's partial config) takes the default. */
export function alertSettings(config: Partial<AlertConfig>): AlertSettings {
  return {
    publicUrl: config.publicUrl ?? '',
    options: { ...DEFAULT_ALERT_OPTIONS, alertOnLate: config.LACUNA_ALERT_ON_LATE === 'on' },
    reminderDays: config.LACUNA_ALERT_REMINDER_DAYS ?? 0,
  };
}

type HttpConfig = Pick<Config, 'LACUNA_HTTP_TIMEOUT_MS' | 'LACUNA_HTTP_RETRIES' | 'LACUNA_HTTP_MAX_BYTES' | 'LACUNA_USER_AGENT' | 'HTTPS_PROXY' | 'HTTP_PROXY' | 'NO_PROXY'>
  & Partial<Pick<Config, 'LACUNA_HTTP_HOST_SPACING_MS'>>;

export function httpFromConfig(config: HttpConfig): HttpGet {
  return createHttp({
    userAgent: config.LACUNA_USER_AGENT, timeoutMs: config.LACUNA_HTTP_TIMEOUT_MS,
    retries: config.LACUNA_HTTP_RETRIES, backoffMs: 1_000, maxBytes: config.LACUNA_HTTP_MAX_BYTES,
    hostSpacingMs: config.LACUNA_HTTP_HOST_SPACING_MS ?? 1_000,
    proxy: { https: config.HTTPS_PROXY, http: config.HTTP_PROXY, none: config.NO_PROXY },
  });
}

export function sourceSettings(config: Pick<Config, 'sourceUrls' | 'FRED_API_KEY' | 'BLS_API_KEY'>): SourceSettings {
  return { urls: config.sourceUrls, apiKeys: { FRED_API_KEY: config.FRED_API_KEY, BLS_API_KEY: config.BLS_API_KEY } };
}
