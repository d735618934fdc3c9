// Backtesting: what alerts lacuna would have sent over a stretch of history, and when. Pure: the
// series' facts (with the instants each value became known) and the window in, the alerts out.
import { alertsOn, type AlertOptions } from './alert-rules.js';
import { evaluateSeries } from './evaluate.js';
import { detectFlip, type Flip } from './flips.js';
import { localToUtc } from './zoned-time.js';
import type { SeriesFacts } from './types.js';

export interface ReplayedFlip extends Flip {
  at: number;
  alert: boolean;
}

/**
 * Walks from `from` to `to`, evaluating the series at each instant its status could change:
 * the next check the core asks for, each value becoming known, each event's local midnight.
 */
export function replayStatus(facts: SeriesFacts, from: number, to: number, opts: AlertOptions, label = 'series'): ReplayedFlip[] {
  const tz = facts.release.timeZone;
  const factTimes = [
    ...facts.observations.map((o) => o.knownAt),
    ...facts.events.map((e) => localToUtc(Date.parse(`${e.date}T00:00:00Z`), '00:00', tz)),
  ].filter((t) => t > from && t <= to).sort((a, b) => a - b);
  const out: ReplayedFlip[] = [];
  let t = from;
  let ev = evaluateSeries(facts, t, label);
  let status = ev.status;
  for (let i = 0, steps = 0; steps < 100_000; steps++) {
    while (i < factTimes.length && factTimes[i]! <= t) i++;
    const next = Math.min(ev.nextCheckAt !== null && ev.nextCheckAt > t ? ev.nextCheckAt : Infinity, factTimes[i] ?? Infinity);
    if (next > to) break;
    t = next;
    ev = evaluateSeries(facts, t, label);
    const flip = detectFlip(status, ev);
    if (flip) {
      out.push({ ...flip, at: t, alert: alertsOn(flip.from, flip.to, opts) });
      status = ev.status;
    }
  }
  return out;
}
