// Converts a publisher's local wall-clock time to a UTC instant using the platform's time-zone
// data (Intl), so "10:00 in Asia/Shanghai" is right whatever zone the server runs in.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

// Intl formatting costs microseconds per call and a grid asks for thousands of offsets, nearly
// all the same: offsets are remembered per zone and quarter hour (zone transitions fall on
// quarter hours). A memo, not state: the answer for an input never changes.
const QUARTER_HOUR = 900_000;
const offsets = new Map<string, Map<number, number>>();
const MAX_REMEMBERED = 200_000;
let remembered = 0;

/** Offset of local time from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function zoneOffset(instant: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const bucket = Math.floor(instant / QUARTER_HOUR);
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  const known = zone.get(bucket);
  if (known !== undefined) return known;
  const offset = computeOffset(bucket * QUARTER_HOUR, timeZone);
  if (++remembered > MAX_REMEMBERED) {
    offsets.clear();
    remembered = 0;
  }
  zone.set(bucket, offset);
  return offset;
}

function computeOffset(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of a local date (epoch ms at UTC midnight of that calendar day) and time. */
export function localToUtc(dayMs: number, hhmm: string, timeZone: string): number {
  // 'HH:MM' read without allocating: this runs for every period of every grid.
  const minutes = hhmm.length === 5
    ? ((hhmm.charCodeAt(0) - 48) * 10 + hhmm.charCodeAt(1) - 48) * 60 + (hhmm.charCodeAt(3) - 48) * 10 + hhmm.charCodeAt(4) - 48
    : hhmm.split(':').map(Number).reduce((h, m) => h * 60 + m);
  const wall = dayMs + minutes * 60_000;
  const first = wall - zoneOffset(wall, timeZone);
  const second = wall - zoneOffset(first, timeZone);
  return second;
}

/** The local calendar day (epoch ms at UTC midnight) of an instant in a zone. */
export function localDay(instant: number, timeZone: string): number {
  const local = instant + zoneOffset(instant, timeZone);
  return local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
}

/** 'YYYY-MM-DD HH:MM' of an instant on the wall clock of a zone. */
export function localDateTime(instant: number, timeZone: string): string {
  return new Date(instant + zoneOffset(instant, timeZone)).toISOString().slice(0, 16).replace('T', ' ');
}
