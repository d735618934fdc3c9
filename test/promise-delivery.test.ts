// Promise and delivery side by side, on the series page, in the API and in a CSV, with the US
// September 2025 CPI: first promised for 2025-10-15 08:30 (New York), moved to 2025-10-24 08:30,
// published then; 9 days late against the first promise (research US-1: "+9 days, derived").
// The calendar answers are replayed on loopback as in test/calendar-read.test.ts (the first
// promise made by editing a copy of the recorded answer, as that test says); the September value,
// 324.245, is FRED's as the derived file carries it, recorded here as a fetched value first seen
// ten minutes after the release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCalendar } from '../src/fetch/calendar-read.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { recordValues } from '../db/record-values.js';
import { createHttp } from '../src/sources/http.js';
import { promiseDelivery } from '../src/core/index.js';
import { appAt, at, loadedDb, writeTree } from './helpers.js';
import { recorded, startReplayServer, type ReplayServer } from './replay-server.js';

const CPI = 'test.us.bls.cpi_u';
const POST_LAPSE = recorded('bls-ics/rex0227-bls-2025-2026.ics').toString('utf8');
const BEFORE_THE_MOVE = POST_LAPSE.replace('DTSTART;TZID=US-Eastern:20251024T083000', 'DTSTART;TZID=US-Eastern:20251015T083000');
const DELIVERED = at('2025-10-24T12:40:00Z');
const NOW = at('2025-11-01T12:00:00Z');

let server: ReplayServer;
let app: ReturnType<typeof appAt>;
beforeAll(async () => {
  server = await startReplayServer();
  server.on('/schedule/news_release/bls.ics', { body: BEFORE_THE_MOVE }, { body: POST_LAPSE });
  const dir = writeTree({
    'publishers.yaml': 'publishers:\n  - { id: bls, name: Bureau of Labor Statistics, time_zone: America/New_York }\n',
    'series/s.yaml': `series:
  - id: ${CPI}
    publisher: bls
    title: Consumer price index for all urban consumers (test)
    unit: index 1982-1984=100
    frequency: monthly
    grid_from: 2025-08
    checked_through: 2025-10
    release: { lag_days: 10, time: "08:30", grace_days: 7 }
    calendar: { kind: bls_ics, release: Consumer Price Index }
`,
  });
  const { db } = loadedDb(at('2025-09-12T12:00:00Z'), dir);
  let now = at('2025-09-12T12:00:00Z');
  const deps = { db, now: () => now, sources: { urls: { BLS_ICS: server.url }, apiKeys: {} }, http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 24 }) };
  await readCalendar(deps, CPI);
  now = at('2025-10-12T14:00:00Z');
  await readCalendar(deps, CPI);
  recordValues(db, CPI, [{ period: '2025-09', value: 324.245, valueText: '324.245', provenance: 'test' }], { origin: 'fetch', now: DELIVERED });
  evaluateSeriesInStore(db, { kind: 'all' }, NOW);
  app = appAt(db, NOW);
});
afterAll(async () => { await server.close(); });

describe('promise and delivery', () => {
  it('counts days late from the first promise: 9 for the September 2025 CPI', () => {
    const rows = promiseDelivery([
      { period: '2025-09', dueAt: at('2025-10-15T12:30:00Z'), seenAt: 1, state: 'scheduled', source: 'cal' },
      { period: '2025-09', dueAt: at('2025-10-24T12:30:00Z'), seenAt: 2, state: 'scheduled', source: 'cal' },
    ], [{
      period: '2025-09', state: 'disclosed', dueAt: 0, graceEndsAt: 0, value: 1, valueText: '1', firstSeenAt: DELIVERED, obsStatus: null,
      marks: { break: false, revised: false, backfilled: false }, eventId: null,
    }], new Map([['2025-09', DELIVERED]]), NOW);
    expect(rows).toMatchObject([{ period: '2025-09', moved: true, deliveredAt: DELIVERED, daysLate: 9 }]);
  });

  it('shows on the series page the first and the latest promised dates, the delivery and the days late', async () => {
    const html = await (await app.request(`/series/${CPI}`)).text();
    const row = html.slice(html.indexOf('<tr data-period="2025-09"'), html.indexOf('</tr>', html.indexOf('<tr data-period="2025-09"')));
    expect(row).toContain('<td>2025-10-15 08:30</td>');
    expect(row).toMatch(/<td>2025-10-24 08:30<span class="tag">moved<\/span>/);
    expect(row).toContain('<td>2025-10-24 12:40 UTC</td>');
    expect(row).toContain('9 days late');
    expect(row).toMatch(/2 versions<\/summary><ol><li>2025-10-15 08:30 \(promised\), first seen 2025-09-12 12:00 UTC · <a href="\/raw\/[0-9a-f]{64}">archived answer<\/a>/);
    // The recent periods, to the one in progress: November 2025, promised for 2025-12-18 (October
    // has no entry: it was cancelled). Promises further ahead are in the CSV and the API.
    expect(html).toContain('<tr data-period="2025-11" data-promise="scheduled">');
    expect([...html.matchAll(/<tr data-period="([^"]+)"/g)].map((m) => m[1])).toEqual(['2025-11', '2025-09', '2025-08']);
  });

  it('gives the same in the API, with every version and its archived answer', async () => {
    const body = await (await app.request(`/api/series/${CPI}/promises`)).json() as { calendar: unknown; promises: Record<string, unknown>[] };
    expect(body.calendar).toEqual({ kind: 'bls_ics', release: 'Consumer Price Index' });
    const sept = body.promises.find((p) => p.period === '2025-09')!;
    expect(sept).toMatchObject({
      source: 'BLS release calendar: Consumer Price Index', state: 'scheduled',
      first_promised_at: '2025-10-15T12:30:00.000Z', first_promised: '2025-10-15 08:30', promised_at: '2025-10-24T12:30:00.000Z', promised: '2025-10-24 08:30',
      moved: true, delivered_at: '2025-10-24T12:40:00.000Z', days_late: 9, period_state: 'disclosed',
    });
    expect((sept.versions as { raw_answer: string }[]).map((v) => v.raw_answer)).toEqual([expect.stringMatching(/^\/raw\/[0-9a-f]{64}$/), expect.stringMatching(/^\/raw\/[0-9a-f]{64}$/)]);
  });

  it('gives the same in a CSV, one row per promised period', async () => {
    const lines = (await (await app.request(`/series/${CPI}/promises.csv`)).text()).split('\r\n');
    expect(lines[0]).toBe('series_id,period,source,state,first_promised_at,first_promised,promised_at,promised,moved,delivered_at,days_late,period_state,reason');
    expect(lines).toContain(`${CPI},2025-09,BLS release calendar: Consumer Price Index,scheduled,2025-10-15T12:30:00.000Z,2025-10-15 08:30,2025-10-24T12:30:00.000Z,2025-10-24 08:30,1,2025-10-24T12:40:00.000Z,9,disclosed,`);
  });

  it('answers as of a date before the move with the first promise alone', async () => {
    const body = await (await app.request(`/api/series/${CPI}/promises?as_of=2025-10-01`)).json() as { promises: Record<string, unknown>[] };
    expect(body.promises.find((p) => p.period === '2025-09')).toMatchObject({ promised: '2025-10-15 08:30', moved: false, delivered_at: null, days_late: null });
  });
});
