// The explicit list of release-calendar plug-ins. A missing or duplicate kind is a start-up error.
import type { CalendarPlugin } from './calendar-types.js';
import { blsIcs } from './bls-ics.js';
import { govukAnnouncement } from './govuk-announcement.js';
import { RegistryError } from './registry.js';

const PLUGINS: CalendarPlugin<any>[] = [blsIcs, govukAnnouncement];

function index(list: readonly CalendarPlugin<any>[]): Map<string, CalendarPlugin<any>> {
  const map = new Map<string, CalendarPlugin<any>>();
  for (const p of list) {
    if (!p?.kind) throw new RegistryError('a calendar plug-in without a kind');
    if (map.has(p.kind)) throw new RegistryError(`two calendar plug-ins share the kind "${p.kind}"`);
    map.set(p.kind, p);
  }
  return map;
}

const REGISTRY = index(PLUGINS);

export const calendarKinds = (): string[] => [...REGISTRY.keys()];

export function calendarPlugin(kind: string): CalendarPlugin<any> {
  const p = REGISTRY.get(kind);
  if (!p) throw new RegistryError(`unknown calendar kind "${kind}" (known: ${calendarKinds().join(', ')})`);
  return p;
}

/** What every calendar block takes besides its kind's own fields. */
export const COMMON_CALENDAR_KEYS = ['kind', 'time_zone'] as const;

/** Validates a series' `calendar:` block: its kind, then the rest against the plug-in's schema. */
export function checkCalendar(block: { kind: string } & Record<string, unknown>):
  { ok: true; plugin: CalendarPlugin<any>; ref: unknown } | { ok: false; problems: { path: PropertyKey[]; message: string }[] } {
  const plugin = REGISTRY.get(block.kind);
  if (!plugin) return { ok: false, problems: [{ path: ['kind'], message: `unknown calendar kind "${block.kind}" (known: ${calendarKinds().join(', ')})` }] };
  const rest = Object.fromEntries(Object.entries(block).filter(([k]) => !(COMMON_CALENDAR_KEYS as readonly string[]).includes(k)));
  const r = plugin.ref.safeParse(rest);
  if (!r.success) return { ok: false, problems: r.error.issues.map((i) => ({ path: i.path, message: i.message })) };
  return { ok: true, plugin, ref: r.data };
}

export { index as indexCalendarPlugins };
