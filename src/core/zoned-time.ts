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

/** Offset of local time from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function zoneOffset(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of a local date (epoch ms at UTC midnight of that calendar day) and time. */
export function localToUtc(dayMs: number, hhmm: string, timeZone: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  const wall = dayMs + (h! * 60 + m!) * 60_000;
  const first = wall - zoneOffset(wall, timeZone);
  const second = wall - zoneOffset(first, timeZone);
  return second;
}

/** The local calendar day (epoch ms at UTC midnight) of an instant in a zone. */
export function localDay(instant: number, timeZone: string): number {
  const local = instant + zoneOffset(instant, timeZone);
  return local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
}
