// Alert settings from the configuration, for the composition roots.
import type { Config } from './config.js';
import type { AlertOptions } from './core/index.js';

export function alertSettings(config: Pick<Config, 'publicUrl' | 'LACUNA_ALERT_ON_LATE' | 'LACUNA_ALERT_REMINDER_DAYS'>): {
  publicUrl: string; options: AlertOptions; reminderDays: number;
} {
  return {
    publicUrl: config.publicUrl,
    options: { alertOnLate: config.LACUNA_ALERT_ON_LATE === 'on' },
    reminderDays: config.LACUNA_ALERT_REMINDER_DAYS,
  };
}
