// Reads a series' release calendar, with the rules every source read has: through the one HTTP
// client, each answer parsed by its plug-in, a firewall or captcha page failing as blocked (kept as
// evidence), an answer holding nothing failing as empty, and one without the release asked for as
// absent. What the answer promises is compared with the record by the core (calendar-changes.ts)
// and written by calendar-record.ts; an identical answer records "no change" and nothing else. A
// failure changes no promise and never makes a period late: promises only ever come from answers.
import { createHash } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { calendarReads, promises, publishers, series } from '../../db/schema.js';
import {
  blockedPage, calendarChanges, localToUtc, parseDay, type AlertOptions, type AnsweredPromise, type Frequency, type PromiseChange, type RecordedPromise,
} from '../core/index.js';
import { SourceError } from '../sources/errors.js';
import type { HttpGet } from '../sources/http.js';
import { redactUrl } from '../sources/redact.js';
import { checkCalendar } from '../sources/calendar-registry.js';
import type { CalendarContext, CalendarEntry, CalendarPlugin } from '../sources/calendar-types.js';
import type { SourceAnswer } from '../sources/types.js';
import { releaseOf, type SeriesRow } from '../read/facts.js';
import { evaluateSeriesInStore, type RecordedFlip } from '../status/check.js';
import { recordCalendarFailure, recordCalendarNoChange, recordCalendarRead, storeCalendarAnswers } from './calendar-record.js';
import type { SourceSettings } from './read-source.js';

export interface CalendarDeps {
  db: Db;
  http: HttpGet;
  now: () => number;
  sources: SourceSettings;
  alertOptions?: AlertOptions;
}

export interface CalendarReadResult {
  seriesId: string;
  readId: number;
  outcome: 'ok' | 'no_change' | 'failed';
  error: string | null;
  errorCode: string | null;
  /** Promise versions recorded, and the changes that alerted. */
  versions: number;
  changes: PromiseChange[];
  /** Announcements of the release whose period lacuna could not tell. */
  unmapped: number;
  /** Status changes of the series that followed (a cancelled period, a broken promise). */
  flips: RecordedFlip[];
}

interface Read { plugin: CalendarPlugin<unknown>; ref: unknown; ctx: CalendarContext; answers: SourceAnswer[]; entries: CalendarEntry[]; url: string }

/** The base URL: LACUNA_SOURCE_URL_<KIND> (a calendar lives on its own host, not the publisher's data API), else the plug-in's. */
function baseUrl(plugin: CalendarPlugin<unknown>, urls: SourceSettings['urls']): string {
  return (urls[plugin.kind.toUpperCase().replace(/[^A-Z0-9]/g, '_')] || plugin.defaultBaseUrl || '').replace(/\/+$/, '');
}

/** Reads every request of the series' calendar and parses it; throws SourceError. */
async function read(deps: CalendarDeps, row: SeriesRow): Promise<Read> {
  const block = JSON.parse(row.calendar!) as { kind: string; time_zone?: string } & Record<string, unknown>;
  const checked = checkCalendar(block);
  if (!checked.ok) throw new SourceError('config', `calendar of ${row.id}: ${checked.problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`, true);
  const { plugin, ref } = checked;
  const zone = block.time_zone ?? deps.db.select({ tz: publishers.timeZone }).from(publishers).where(eq(publishers.id, row.publisherId)).get()?.tz ?? 'UTC';
  const ctx: CalendarContext = { baseUrl: baseUrl(plugin, deps.sources.urls), frequency: row.frequency as Frequency, timeZone: zone };
  const requests = plugin.requests(ref, ctx);
  const answers: SourceAnswer[] = [];
  const entries: CalendarEntry[] = [];
  let others = 0;
  for (const req of requests) {
    const answer = await deps.http(req);
    answers.push(answer);
    const parsed = parseAnswer(plugin, answer, ref, ctx);
    entries.push(...parsed.entries);
    others += parsed.others;
  }
  const what = `${plugin.name}, series ${row.id}`;
  if (!entries.length && !others) throw new SourceError('empty', `${what}: the answer lists no release at all`, true);
  if (!entries.length) throw new SourceError('absent', `${what}: the calendar does not list the release asked for (it lists ${others} other announcements)`, true);
  return { plugin, ref, ctx, answers, entries, url: redactUrl(requests[0]!.url) };
}

/** The plug-in's parse; an answer it cannot read that is a firewall or captcha page fails as blocked, keeping the page. */
function parseAnswer(plugin: CalendarPlugin<unknown>, answer: SourceAnswer, ref: unknown, ctx: CalendarContext) {
  try {
    return plugin.parse(answer, ref, ctx);
  } catch (e) {
    const why = e instanceof SourceError && (e.code === 'malformed' || e.code === 'shape') ? blockedPage(answer.headers, answer.text) : null;
    if (why) throw new SourceError('blocked', `${answer.url}: ${why} instead of a calendar (HTTP ${answer.status})`, true, answer.status, { evidence: answer });
    throw e;
  }
}

/** An entry as the core compares it: its period, and its promise as an instant and as written. */
function answered(r: Read, row: SeriesRow, e: CalendarEntry): AnsweredPromise {
  const rule = releaseOf(row);
  const local = (date: string, time: string | null) => ({ dueAt: localToUtc(parseDay(date), time ?? rule.time, r.ctx.timeZone), dueLocal: `${date} ${time ?? rule.time}` });
  const now = e.date ? local(e.date, e.time) : { dueAt: null, dueLocal: e.written };
  return {
    entry: e.entry, title: e.title, period: e.period ?? r.plugin.periodOf(e, r.ref, r.ctx), ...now,
    state: e.state, reason: e.reason, previous: e.previous ? local(e.previous.date, e.previous.time) : null, cancelledOn: e.cancelledOn,
  };
}

function recordedPromises(db: Db, seriesId: string, kind: string): RecordedPromise[] {
  return db.select({ entry: promises.entry, period: promises.period, dueAt: promises.dueAt, dueLocal: promises.dueLocal, state: promises.state })
    .from(promises).where(and(eq(promises.seriesId, seriesId), eq(promises.calendar, kind), isNull(promises.supersededAt))).orderBy(promises.id).all();
}

export function contentHash(bodies: readonly Buffer[]): string {
  const h = createHash('sha256');
  for (const b of bodies) h.update(String(b.length)).update(':').update(b);
  return h.digest('hex');
}

/** Reads one series' calendar and records what came of it; one failure is recorded, never thrown. */
export async function readCalendar(deps: CalendarDeps, seriesId: string, trigger: 'schedule' | 'cli' = 'schedule'): Promise<CalendarReadResult> {
  const { db } = deps;
  const row = db.select().from(series).where(eq(series.id, seriesId)).get();
  if (!row) throw new Error(`unknown series: ${seriesId}`);
  if (!row.calendar) throw new Error(`series ${seriesId} has no calendar to read`);
  const kind = (JSON.parse(row.calendar) as { kind: string }).kind;
  const readId = db.insert(calendarReads).values({ seriesId, kind, startedAt: deps.now(), trigger }).returning({ id: calendarReads.id }).get().id;
  const base = { seriesId, readId, error: null, errorCode: null, versions: 0, changes: [] as PromiseChange[], unmapped: 0, flips: [] as RecordedFlip[] };
  let r: Read;
  try {
    r = await read(deps, row);
  } catch (e) {
    const err = e instanceof SourceError ? e : new SourceError('internal', (e as Error).message, true);
    const message = `${kind} calendar, series ${seriesId}: ${err.message}`;
    recordCalendarFailure(db, { readId, now: deps.now(), message, code: err.code, httpStatus: err.httpStatus, evidence: err.evidence });
    return { ...base, outcome: 'failed', error: message, errorCode: err.code };
  }
  const now = deps.now();
  const hash = contentHash(r.answers.map((a) => a.body));
  const last = db.select({ hash: calendarReads.contentHash }).from(calendarReads)
    .where(and(eq(calendarReads.seriesId, seriesId), eq(calendarReads.outcome, 'ok'))).orderBy(desc(calendarReads.id)).limit(1).get();
  if (last?.hash === hash) {
    recordCalendarNoChange(db, readId, now, r.answers[0]!, hash);
    return { ...base, outcome: 'no_change' };
  }
  const rawHashes = db.transaction((tx) => storeCalendarAnswers(tx as unknown as Db, r.answers));
  const changes = calendarChanges({
    seriesId, frequency: r.ctx.frequency, timeZone: r.ctx.timeZone, calendarName: r.plugin.name, complete: r.plugin.complete, now,
    readId, url: r.url, rawHash: rawHashes[0]!, recorded: recordedPromises(db, seriesId, kind), answered: r.entries.map((e) => answered(r, row, e)),
  });
  recordCalendarRead(db, { row, kind, readId, now, answers: r.answers, hash, url: r.url, versions: changes.versions, events: changes.events, changes: changes.changes }, rawHashes);
  // The promises are facts of the series: its status follows them (a cancelled period, a broken promise).
  const { flips } = evaluateSeriesInStore(db, { kind: 'ids', ids: [seriesId] }, now, deps.alertOptions);
  return { ...base, outcome: 'ok', versions: changes.versions.length, changes: changes.changes, unmapped: changes.unmapped, flips };
}
