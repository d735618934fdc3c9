// Which status changes alert. Pure: the change and the options in, a decision out.
import { DARK_STATUSES as DARK, type SeriesStatus } from './types.js';

export interface AlertOptions {
  /** current -> late alerts too (off by default: most releases come within their grace). */
  alertOnLate: boolean;
}

export const DEFAULT_ALERT_OPTIONS: AlertOptions = { alertOnLate: false };

/**
 * | from                         | to                        | alert?                         |
 * |------------------------------|---------------------------|--------------------------------|
 * | new (first evaluation)       | anything                  | no: lacuna just started        |
 * | no_record                    | anything                  | no: lacuna's first record      |
 * | paused, or anything          | paused                    | no: a user chose silence       |
 * | current, unchecked           | late, a promise broken    | yes: the publisher's own date  |
 * |                              |                           | passed without the release     |
 * | current, unchecked           | late                      | only with alertOnLate          |
 * | anything                     | overdue                   | yes: "stopped?"                |
 * | anything                     | suspended                 | yes (once: a flip is a change) |
 * | anything                     | discontinued              | yes                            |
 * | overdue, suspended, discont. | current                   | yes: "resumed" (+ method break)|
 * | late                         | current                   | no: released within grace      |
 * | unchecked                    | current                   | no: lacuna's record caught up  |
 * | anything else                |                           | no                             |
 */
export function alertsOn(from: SeriesStatus, to: SeriesStatus, opts: AlertOptions = DEFAULT_ALERT_OPTIONS, brokenPromise = false): boolean {
  if (from === to || from === 'new' || from === 'no_record' || from === 'paused' || to === 'paused') return false;
  if (to === 'late') return (from === 'current' || from === 'unchecked') && (opts.alertOnLate || brokenPromise);
  if (DARK.has(to)) return true;
  if (to === 'current') return DARK.has(from);
  return false;
}

/** A comeback: current again after lacuna had called the series dark. */
export const isResumption = (from: SeriesStatus, to: SeriesStatus): boolean => to === 'current' && DARK.has(from);
