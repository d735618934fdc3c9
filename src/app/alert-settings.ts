// Alert settings from the configuration, for the composition roots.
import type { Config } from './config.js';
import { DEFAULT_ALERT_OPTIONS, type AlertOptions } from '../core/index.js';

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
