// Period arithmetic for daily, weekly (ISO), monthly, quarterly and annual series.
// Pure: dates are handled as UTC calendar days, never as local clocks.
import type { Frequency, Period } from './types.js';

const DAY = 86_400_000;

const PATTERNS: Record<Frequency, RegExp> = {
  daily: /^(\d{4})-(\d{2})-(\d{2})$/,
  weekly: /^(\d{4})-W(\d{2})$/,
  monthly: /^(\d{4})-(\d{2})$/,
  quarterly: /^(\d{4})-Q([1-4])$/,
  annual: /^(\d{4})$/,
};

export class PeriodError extends Error {}

/** Calendar day as epoch ms at 00:00 UTC. */
export function dayNumber(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d);
}

// Period arithmetic runs per cell of every grid: parsing and formatting are remembered (a memo,
// not state: the answer for an input never changes), capped so memory stays bounded.
const MEMO_CAP = 500_000;
function memo<K, V>(compute: (k: K) => V): (k: K) => V {
  const seen = new Map<K, V>();
  return (k) => {
    const v = seen.get(k);
    if (v !== undefined) return v;
    const fresh = compute(k);
    if (seen.size >= MEMO_CAP) seen.clear();
    seen.set(k, fresh);
    return fresh;
  };
}

const formatDayMemo = memo((ms: number) => new Date(ms).toISOString().slice(0, 10));

export function formatDay(ms: number): string {
  return formatDayMemo(ms);
}

export function parseDay(s: string): number {
  const m = PATTERNS.daily.exec(s);
  if (!m) throw new PeriodError(`not a date (YYYY-MM-DD): ${JSON.stringify(s)}`);
  const ms = dayNumber(+m[1]!, +m[2]!, +m[3]!);
  if (formatDay(ms) !== s) throw new PeriodError(`no such date: ${s}`);
  return ms;
}

/** Monday of ISO week 1 of a year. */
function isoWeekOneMonday(year: number): number {
  const jan4 = dayNumber(year, 1, 4);
  const dow = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - dow * DAY;
}

function isoWeeksInYear(year: number): number {
  return (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / (7 * DAY);
}

export function isValidPeriod(p: string, f: Frequency): boolean {
  try {
    periodStart(p, f);
    return true;
  } catch {
    return false;
  }
}

const startMemos: Record<Frequency, (p: Period) => number> = {
  daily: memo((p) => computeStart(p, 'daily')),
  weekly: memo((p) => computeStart(p, 'weekly')),
  monthly: memo((p) => computeStart(p, 'monthly')),
  quarterly: memo((p) => computeStart(p, 'quarterly')),
  annual: memo((p) => computeStart(p, 'annual')),
};

/** First day of the period (epoch ms, UTC midnight). Throws PeriodError on a malformed period. */
export function periodStart(p: Period, f: Frequency): number {
  return startMemos[f](p);
}

function computeStart(p: Period, f: Frequency): number {
  const m = PATTERNS[f].exec(p);
  if (!m) throw new PeriodError(`not a valid ${f} period: ${JSON.stringify(p)}`);
  const y = +m[1]!;
  switch (f) {
    case 'daily':
      return parseDay(p);
    case 'weekly': {
      const w = +m[2]!;
      if (w < 1 || w > isoWeeksInYear(y)) throw new PeriodError(`no week ${w} in ${y}`);
      return isoWeekOneMonday(y) + (w - 1) * 7 * DAY;
    }
    case 'monthly': {
      const mo = +m[2]!;
      if (mo < 1 || mo > 12) throw new PeriodError(`no month ${mo}: ${p}`);
      return dayNumber(y, mo, 1);
    }
    case 'quarterly':
      return dayNumber(y, (+m[2]! - 1) * 3 + 1, 1);
    case 'annual':
      return dayNumber(y, 1, 1);
  }
}

/** Last day of the period (epoch ms, UTC midnight). */
export function periodLastDay(p: Period, f: Frequency): number {
  return periodStart(nextPeriod(p, f), f) - DAY;
}

const nextMemos: Record<Frequency, (p: Period) => Period> = {
  daily: memo((p) => shiftPeriod(p, 'daily', 1)),
  weekly: memo((p) => shiftPeriod(p, 'weekly', 1)),
  monthly: memo((p) => shiftPeriod(p, 'monthly', 1)),
  quarterly: memo((p) => shiftPeriod(p, 'quarterly', 1)),
  annual: memo((p) => shiftPeriod(p, 'annual', 1)),
};

export function nextPeriod(p: Period, f: Frequency): Period {
  return nextMemos[f](p);
}

export function shiftPeriod(p: Period, f: Frequency, n: number): Period {
  const start = periodStart(p, f);
  const d = new Date(start);
  switch (f) {
    case 'daily':
      return formatDay(start + n * DAY);
    case 'weekly':
      return periodOf(start + n * 7 * DAY, 'weekly');
    case 'monthly':
      return periodOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1), 'monthly');
    case 'quarterly':
      return periodOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 3 * n, 1), 'quarterly');
    case 'annual':
      return String(d.getUTCFullYear() + n);
  }
}

/** The period of a frequency that contains a calendar day (epoch ms of that day). */
export function periodOf(dayMs: number, f: Frequency): Period {
  const d = new Date(dayMs);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth() + 1;
  switch (f) {
    case 'daily':
      return formatDay(dayMs);
    case 'weekly': {
      let wy = y + 1;
      while (isoWeekOneMonday(wy) > dayMs) wy--;
      const w = Math.floor((dayMs - isoWeekOneMonday(wy)) / (7 * DAY)) + 1;
      return `${wy}-W${String(w).padStart(2, '0')}`;
    }
    case 'monthly':
      return `${y}-${String(mo).padStart(2, '0')}`;
    case 'quarterly':
      return `${y}-Q${Math.floor((mo - 1) / 3) + 1}`;
    case 'annual':
      return String(y);
  }
}

export function comparePeriods(a: Period, b: Period, f: Frequency): number {
  return periodStart(a, f) - periodStart(b, f);
}

/** Every period from `from` to `to`, both included. */
export function periodRange(from: Period, to: Period, f: Frequency): Period[] {
  const out: Period[] = [];
  const end = periodStart(to, f);
  for (let p = from; periodStart(p, f) <= end; p = nextPeriod(p, f)) out.push(p);
  return out;
}

/** Month number (1-12) of a period's first day; used by release exceptions such as January folding. */
export function periodMonth(p: Period, f: Frequency): number {
  return monthOfDay(periodStart(p, f));
}

const monthOfDay = memo((ms: number) => new Date(ms).getUTCMonth() + 1);

/** Reads a period written the way publishers and spreadsheets write it, in canonical form. */
export function normalisePeriod(raw: string, f: Frequency): Period {
  const s = raw.trim();
  const p = canonicalForm(s, f);
  periodStart(p, f); // throws with a clear message when it is not a period (e.g. '202313' -> '2023-13')
  return p;
}

function canonicalForm(s: string, f: Frequency): string {
  const compactMonth = /^(\d{4})(\d{2})$/.exec(s); // NBS '202306'
  if (f === 'monthly' && compactMonth) return `${compactMonth[1]}-${compactMonth[2]}`;
  const nbsQuarter = /^(\d{4})([A-D])$/.exec(s); // NBS '2019A'..'2019D'
  if (f === 'quarterly' && nbsQuarter) return `${nbsQuarter[1]}-Q${'ABCD'.indexOf(nbsQuarter[2]!) + 1}`;
  const q = /^(\d{4})-?Q([1-4])$/i.exec(s);
  if (f === 'quarterly' && q) return `${q[1]}-Q${q[2]}`;
  const monthDate = /^(\d{4})-(\d{2})-01$/.exec(s);
  if (f === 'monthly' && monthDate) return `${monthDate[1]}-${monthDate[2]}`;
  return s;
}

/** Short human label: 'June 2023', '2023 Q2', '2023', 'week 5 of 2023', '2023-06-30'. */
export function periodLabel(p: Period, f: Frequency): string {
  if (f === 'monthly') {
    const d = new Date(periodStart(p, f));
    return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  }
  if (f === 'quarterly') return p.replace('-', ' ');
  if (f === 'weekly') return `week ${+p.slice(6)} of ${p.slice(0, 4)}`;
  return p;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
