// Release calendars through the whole path: HTTP on loopback replaying recorded real answers, the
// plug-in, the comparison with the record, the store, the status check and the alert outbox.
// - BLS's schedule as served after the 2025 lapse (test/fixtures/recorded/bls-ics): the September
//   2025 CPI at 2025-10-24 08:30. Its first promise, 2025-10-15 08:30 (research US-1), is in no
//   recorded answer: the test makes the "before" answer by editing that one entry's date in a copy
//   of the recorded one, and says so where it does.
// - GOV.UK's recorded example content items of one announcement (test/fixtures/recorded/
//   govuk-announcement): moved from 19 to 20 January 2016 9:30am, then cancelled with its reason.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarReads, citations, deliveries, events, flips, promises, rawAnswers, series } from '../db/schema.js';
import { readCalendar, type CalendarDeps } from '../src/fetch/calendar-read.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { saveChannel } from '../src/alerts/config.js';
import { buildMessage } from '../src/alerts/message.js';
import { createHttp } from '../src/sources/http.js';
import { dueForCalendar } from '../src/fetch/calendar-due.js';
import { jobs } from '../jobs/jobs.js';
import { runJob } from '../jobs/scheduler.js';
import { silentLogger } from '../src/app/log.js';
import { appAt, at, loadedDb, writeTree } from './helpers.js';
import { recorded, startReplayServer, type ReplayServer } from './replay-server.js';

const ICS_PATH = '/schedule/news_release/bls.ics';
const POST_LAPSE = recorded('bls-ics/rex0227-bls-2025-2026.ics').toString('utf8');
/** The recorded answer with the September 2025 CPI at its first promised date, 2025-10-15 08:30 (an edited copy). */
const BEFORE_THE_MOVE = POST_LAPSE.replace('DTSTART;TZID=US-Eastern:20251024T083000', 'DTSTART;TZID=US-Eastern:20251015T083000');
const CPI = 'test.us.bls.cpi_u';
const DID = 'test.nhs.diagnostic_imaging';
const ANNOUNCEMENT = '/government/statistics/announcements/diagnostic-imaging-dataset-for-september-2015';
const govuk = (f: string) => recorded(`govuk-announcement/${f}.json`);

function catalogue(): string {
  return writeTree({
    'publishers.yaml': `publishers:
  - { id: bls, name: Bureau of Labor Statistics, time_zone: America/New_York }
  - { id: nhs-england, name: NHS England, time_zone: Europe/London }
`,
    'series/s.yaml': `series:
  - id: ${CPI}
    publisher: bls
    title: Consumer price index for all urban consumers (test)
    unit: index 1982-1984=100
    frequency: monthly
    grid_from: 2025-08
    checked_through: 2025-10
    release: { lag_days: 10, time: "08:30", grace_days: 7 }
    values: values/cpi.csv
    calendar: { kind: bls_ics, release: Consumer Price Index, period: previous }
  - id: ${DID}
    publisher: nhs-england
    title: Diagnostic imaging dataset (test)
    unit: tests
    frequency: monthly
    grid_from: 2015-08
    checked_through: 2015-09
    release: { lag_days: 50, time: "09:30", grace_days: 3 }
    calendar: { kind: govuk_announcement, paths: ["${ANNOUNCEMENT}"] }
`,
    // August 2025 as FRED-derived data carry it (jonsflow/risk-model data/fred/CPIAUCSL.csv).
    'values/cpi.csv': `series_id,period,value,unit,source_repo,source_path\n${CPI},2025-08,323.291,index 1982-1984=100,jonsflow/risk-model,data/fred/CPIAUCSL.csv\n`,
  });
}

let server: ReplayServer;
beforeAll(async () => { server = await startReplayServer(); });
afterAll(async () => { await server.close(); });

function setup(start: number) {
  const { db } = loadedDb(start, catalogue());
  let now = start;
  const deps: CalendarDeps = {
    db, now: () => now, sources: { urls: { BLS_ICS: server.url, GOVUK_ANNOUNCEMENT: server.url }, apiKeys: {} },
    http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 24 }),
  };
  saveChannel(db, { id: 'desk', kind: 'webhook', settings: { url: 'http://127.0.0.1:9/hook' }, follows: { series: [], topics: [], publishers: [] }, digest: null, enabled: true }, 'cli', start);
  return { db, deps, setNow: (t: number) => { now = t; } };
}

const current = (db: ReturnType<typeof setup>['db'], id: string, period: string) =>
  db.select().from(promises).where(and(eq(promises.seriesId, id), eq(promises.period, period), isNull(promises.supersededAt))).get();

describe('the BLS release calendar, read on loopback', () => {
  it('stores every promise of the release with its source, period, date and when first seen, and archives the answer', async () => {
    const { db, deps } = setup(at('2025-09-12T12:00:00Z'));
    server.on(ICS_PATH, { headers: { 'content-type': 'text/calendar' }, body: POST_LAPSE });
    const r = await readCalendar(deps, CPI);
    expect(r).toMatchObject({ outcome: 'ok', versions: 23, changes: [], unmapped: 0 });
    expect(current(db, CPI, '2025-09')).toMatchObject({
      calendar: 'bls_ics', source: 'BLS release calendar: Consumer Price Index', entry: '01ce31a9-b86b-40b5-adc4-bcbb019dbe6d',
      dueAt: at('2025-10-24T12:30:00Z'), dueLocal: '2025-10-24 08:30', state: 'scheduled', seenAt: at('2025-09-12T12:00:00Z'), readId: r.readId,
    });
    const read = db.select().from(calendarReads).where(eq(calendarReads.id, r.readId)).get()!;
    expect(read).toMatchObject({ outcome: 'ok', url: `${server.url}${ICS_PATH}`, changed: 23 });
    expect(db.select().from(rawAnswers).where(eq(rawAnswers.hash, (JSON.parse(read.rawHashes) as string[])[0]!)).get()).toBeTruthy();
    // The same answer again changes nothing.
    expect(await readCalendar(deps, CPI)).toMatchObject({ outcome: 'no_change', versions: 0 });
  });

  it('turns the September 2025 CPI moved from 2025-10-15 to 2025-10-24 into a delayed event with both dates, keeps the first promise, and alerts', async () => {
    const { db, deps, setNow } = setup(at('2025-09-12T12:00:00Z'));
    server.on(ICS_PATH, { body: BEFORE_THE_MOVE }, { body: POST_LAPSE });
    expect((await readCalendar(deps, CPI)).outcome).toBe('ok');
    expect(current(db, CPI, '2025-09')!.dueLocal).toBe('2025-10-15 08:30');
    setNow(at('2025-10-12T14:00:00Z'));
    const r = await readCalendar(deps, CPI);
    expect(r.changes).toMatchObject([{ kind: 'moved_later', period: '2025-09', from: '2025-10-15 08:30', to: '2025-10-24 08:30' }]);
    const versions = db.select().from(promises).where(and(eq(promises.seriesId, CPI), eq(promises.period, '2025-09'))).orderBy(promises.id).all();
    expect(versions.map((v) => [v.dueLocal, v.supersededAt])).toEqual([['2025-10-15 08:30', at('2025-10-12T14:00:00Z')], ['2025-10-24 08:30', null]]);
    const delay = db.select().from(events).where(eq(events.kind, 'delayed')).get()!;
    expect(delay).toMatchObject({
      seriesId: CPI, date: '2025-10-12', periodFrom: '2025-09', periodTo: '2025-09', origin: 'inferred', evidenceKind: 'inferred',
      title: 'September 2025 release moved from 2025-10-15 08:30 to 2025-10-24 08:30 (BLS release calendar)',
    });
    const cite = db.select().from(citations).where(eq(citations.eventId, delay.id)).orderBy(citations.position).get()!;
    const rawHash = (JSON.parse(db.select().from(calendarReads).where(eq(calendarReads.id, r.readId)).get()!.rawHashes) as string[])[0];
    expect(cite.url).toBe(`/raw/${rawHash}`);
    const flip = db.select().from(flips).where(eq(flips.kind, 'promise')).get()!;
    expect(flip).toMatchObject({ alert: true, fromStatus: '2025-10-15 08:30', toStatus: '2025-10-24 08:30', period: '2025-09', eventIds: JSON.stringify([delay.id]) });
    expect(db.select().from(deliveries).where(eq(deliveries.flipId, flip.id)).all()).toHaveLength(1);
    expect(buildMessage(db, flip.id, 'http://lacuna.test').title).toBe('Promise moved later: Consumer price index for all urban consumers (test)');
    // On 2025-10-16 September is late against the first promise, explained by the delay.
    evaluateSeriesInStore(db, { kind: 'all' }, at('2025-10-16T12:00:00Z'));
    expect(db.select().from(series).where(eq(series.id, CPI)).get()!.statusReason).toBe(
      'Consumer price index for all urban consumers (test): September 2025 promised for 2025-10-24 08:30 (BLS release calendar: Consumer Price Index), not yet published (within grace); September 2025 release moved from 2025-10-15 08:30 to 2025-10-24 08:30 (BLS release calendar) (2025-10-12)',
    );
  });

  it('makes a promised date that passed without the release a late period and an alert naming the promise', async () => {
    const { db, deps } = setup(at('2025-09-12T12:00:00Z'));
    server.on(ICS_PATH, { body: POST_LAPSE });
    await readCalendar(deps, CPI);
    evaluateSeriesInStore(db, { kind: 'all' }, at('2025-10-24T12:00:00Z'));
    expect(db.select().from(series).where(eq(series.id, CPI)).get()!.status).toBe('current');
    const { flips: changed } = evaluateSeriesInStore(db, { kind: 'all' }, at('2025-10-24T13:00:00Z'));
    expect(changed).toMatchObject([{ seriesId: CPI, from: 'current', to: 'late', brokenPromise: true }]);
    const flip = db.select().from(flips).where(and(eq(flips.kind, 'status'), eq(flips.toStatus, 'late'))).get()!;
    expect(flip.alert).toBe(true);
    expect(db.select().from(deliveries).where(eq(deliveries.flipId, flip.id)).all()).toHaveLength(1);
    expect(buildMessage(db, flip.id, 'http://lacuna.test').text).toContain(
      'September 2025 promised for 2025-10-24 08:30 (BLS release calendar: Consumer Price Index), not yet published (within grace)',
    );
  });

  it('marks a promise a later answer no longer lists, its date to come, as removed, and alerts (an edited copy without the CPI of 2026-02-13)', async () => {
    const { db, deps, setNow } = setup(at('2026-01-20T12:00:00Z'));
    const isThatCpi = (block: string) => block.includes('DTSTART;TZID=US-Eastern:20260213T083000\n') && block.includes('SUMMARY:Consumer Price Index\n');
    const blocks = POST_LAPSE.split('BEGIN:VEVENT\n');
    expect(blocks.filter(isThatCpi)).toHaveLength(1);
    const without = blocks.filter((b) => !isThatCpi(b)).join('BEGIN:VEVENT\n');
    server.on(ICS_PATH, { body: POST_LAPSE }, { body: without });
    await readCalendar(deps, CPI);
    setNow(at('2026-01-21T12:00:00Z'));
    const r = await readCalendar(deps, CPI);
    expect(r.changes).toMatchObject([{ kind: 'removed', period: '2026-01', from: '2026-02-13 08:30' }]);
    expect(current(db, CPI, '2026-01')).toMatchObject({ state: 'removed', dueAt: null });
    expect(db.select().from(events).where(eq(events.seriesId, CPI)).all()).toEqual([]);
  });
});

describe('a calendar that fails', () => {
  it.each([
    ['a firewall page', { status: 403, headers: { 'content-type': 'text/html' }, body: '<html><head><title>Access Denied</title></head><body>Access Denied. Reference #18.2f</body></html>' }, 'http'],
    ['an HTML page served as 200', { headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>' }, 'malformed'],
    ['a truncated answer', { body: POST_LAPSE.slice(0, 20_000) }, 'malformed'],
    ['a calendar without the release', { body: POST_LAPSE.replaceAll('SUMMARY:Consumer Price Index\n', 'SUMMARY:Consumer Price Index (renamed)\n') }, 'absent'],
    ['a calendar with no release at all', { body: 'BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n' }, 'empty'],
    ['a server error', { status: 503, body: 'unavailable' }, 'http'],
  ] as const)('records %s as a failed read, changing no promise and making no period late', async (_what, answer, code) => {
    const { db, deps } = setup(at('2025-10-20T12:00:00Z'));
    server.on(ICS_PATH, answer);
    const r = await readCalendar(deps, CPI);
    expect([r.outcome, r.errorCode]).toEqual(['failed', code]);
    expect(db.select().from(calendarReads).where(eq(calendarReads.id, r.readId)).get()).toMatchObject({ outcome: 'failed', errorCode: code });
    expect(db.select().from(promises).all()).toEqual([]);
    evaluateSeriesInStore(db, { kind: 'all' }, at('2025-10-20T12:00:00Z'));
    expect(db.select().from(series).where(eq(series.id, CPI)).get()!.status).not.toBe('late');
  });

  it('keeps a captcha page as evidence and fails it as blocked', async () => {
    const { db, deps } = setup(at('2025-10-20T12:00:00Z'));
    server.on(ICS_PATH, { headers: { 'content-type': 'text/html' }, body: '<html><head><title>Just a moment...</title></head><body>Checking your browser before accessing. cf-chl captcha</body></html>' });
    const r = await readCalendar(deps, CPI);
    expect([r.outcome, r.errorCode]).toEqual(['failed', 'blocked']);
    const read = db.select().from(calendarReads).where(eq(calendarReads.id, r.readId)).get()!;
    expect(JSON.parse(read.rawHashes)).toHaveLength(1);
  });
});

describe('GOV.UK statistics announcements, read on loopback', () => {
  it('records the date the announcement replaced as the first promise, and a cancellation as a cancelled period with its stated reason', async () => {
    const { db, deps, setNow } = setup(at('2016-01-16T10:00:00Z'));
    server.on(`/api/content${ANNOUNCEMENT}`, { headers: { 'content-type': 'application/json' }, body: govuk('release_date_changed') },
      { headers: { 'content-type': 'application/json' }, body: govuk('cancelled_official_statistics') });
    const first = await readCalendar(deps, DID);
    expect(first.changes).toMatchObject([{ kind: 'moved_later', period: '2015-09', from: '2016-01-19 09:30', to: '2016-01-20 09:30' }]);
    expect(db.select().from(promises).orderBy(promises.id).all().map((p) => [p.period, p.dueLocal, p.state, p.reason])).toEqual([
      ['2015-09', '2016-01-19 09:30', 'scheduled', null],
      ['2015-09', '2016-01-20 09:30', 'scheduled', 'Amended after inputting an error.'],
    ]);
    setNow(at('2016-01-18T10:00:00Z'));
    const second = await readCalendar(deps, DID);
    expect(second.changes).toMatchObject([{ kind: 'cancelled', period: '2015-09' }]);
    expect(current(db, DID, '2015-09')).toMatchObject({ state: 'cancelled', dueAt: null, reason: 'Official Statistics' });
    const cancelled = db.select().from(events).where(eq(events.kind, 'cancelled')).get()!;
    expect(cancelled).toMatchObject({ seriesId: DID, date: '2016-01-17', periodFrom: '2015-09', periodTo: '2015-09', evidenceKind: 'official_notice', confidence: 'verified' });
    expect(cancelled.description).toContain('The publisher\'s stated reason: "Official Statistics".');
    // The period will never exist: cancelled, and the series suspended for it.
    expect(second.flips).toMatchObject([{ seriesId: DID, to: 'suspended' }]);
    expect(db.select().from(series).where(eq(series.id, DID)).get()!.statusReason).toContain('September 2015 cancelled by the publisher');
    const alert = db.select().from(flips).where(and(eq(flips.kind, 'promise'), eq(flips.toStatus, 'cancelled'))).get()!;
    expect(buildMessage(db, alert.id, 'http://lacuna.test').title).toBe('Release cancelled: Diagnostic imaging dataset (test)');
    // On /alerts, filtered to promises: the move and the cancellation, each with its dates.
    const html = await (await appAt(db, at('2016-01-18T10:00:00Z')).request('/alerts?kind=promise&quiet=1')).text();
    expect(html.match(/<tr id="flip-\d+" data-flip="\d+" data-kind="promise">/g)).toHaveLength(2);
    expect(html).toContain('<span class="promise-date">2016-01-20 09:30</span> <span aria-label="to">→</span> <span class="promise-date">cancelled</span>');
  });
});

describe('the calendar schedule', () => {
  it('reads a calendar never read, then six hours after an answer, and backs off after failures', async () => {
    const start = at('2025-09-12T12:00:00Z');
    const { db, deps, setNow } = setup(start);
    const HOUR = 3_600_000;
    expect(dueForCalendar(db, start)).toEqual([DID, CPI]);
    server.on(ICS_PATH, { body: POST_LAPSE }, { status: 404, body: 'gone' }, { status: 404, body: 'gone' });
    await readCalendar(deps, CPI);
    expect(dueForCalendar(db, start + 6 * HOUR - 1)).toEqual([DID]);
    expect(dueForCalendar(db, start + 6 * HOUR)).toEqual([DID, CPI]);
    setNow(start + 6 * HOUR);
    expect((await readCalendar(deps, CPI)).outcome).toBe('failed');
    expect(dueForCalendar(db, start + 6 * HOUR + 15 * 60_000 - 1)).not.toContain(CPI);
    expect(dueForCalendar(db, start + 6 * HOUR + 15 * 60_000)).toContain(CPI);
    setNow(start + 7 * HOUR);
    expect((await readCalendar(deps, CPI)).outcome).toBe('failed');
    expect(dueForCalendar(db, start + 7 * HOUR + 30 * 60_000 - 1)).not.toContain(CPI);
  });

  it('is a job that reads every calendar due and says what came of it', async () => {
    const now = at('2016-01-16T10:00:00Z');
    const { db, deps } = setup(now);
    server.on(ICS_PATH, { body: POST_LAPSE });
    server.on(`/api/content${ANNOUNCEMENT}`, { body: govuk('release_date_changed') });
    const job = jobs.find((j) => j.name === 'calendar-due')!;
    const jobDeps = { ...deps, log: silentLogger, secret: () => undefined, alerts: { publicUrl: 'http://lacuna.test', options: { alertOnLate: false }, reminderDays: 0 } };
    expect(await runJob(job, jobDeps)).toEqual({ ok: true, message: '2 calendars read: 0 failed, 1 promise change' });
    expect(await runJob(job, jobDeps)).toEqual({ ok: true, message: 'nothing due' });
    expect(db.select().from(calendarReads).all()).toHaveLength(2);
  });
});
