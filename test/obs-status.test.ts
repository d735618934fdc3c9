// The publisher's own observation status (SDMX OBS_STATUS), end to end: recorded from a replay of
// ISTAT's StructureSpecific answer (2022 marked OBS_STATUS="e", lower case), exported as given in
// the CSV and the API with who gave it, and a change of status alone kept as a revision.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observations } from '../db/schema.js';
import { recordValues, type IncomingValue, type RecordOptions } from '../db/record-values.js';
import { fetchSeries, type FetchDeps } from '../src/fetch/runner.js';
import { createHttp } from '../src/sources/http.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { appAt, at, loadedDb, writeTree } from './helpers.js';
import { recorded, startReplayServer, type ReplayServer } from './replay-server.js';

const NOW = at('2023-01-20T00:00:00Z');
const DAY = 86_400_000;
const ID = 'it.istat.population.men.jan1';
const PATH = '/data/22_289/A.IT.JAN.1.TOTAL.99';
const ISTAT = recorded('sdmx/istat-22_289-structurespecific-obs-status-e.xml').toString('utf8');

const CATALOGUE = writeTree({
  'publishers.yaml': 'publishers:\n  - { id: istat, name: Istituto Nazionale di Statistica, time_zone: Europe/Rome }\n',
  'series/istat.yaml': `series:
  - id: ${ID}
    publisher: istat
    title: Resident population on 1 January, men
    unit: persons
    frequency: annual
    grid_from: 2019
    release: { lag_days: 1, grace_days: 30 }
    source: { kind: sdmx, base_url: https://esploradati.istat.it/SDMXWS/rest, flow: 22_289, key: A.IT.JAN.1.TOTAL.99, format: structure_specific }
`,
});

/** The recorded answer with the 2022 status `e` replaced by `status`. */
const withStatus = (status: string) => ({ headers: { 'content-type': 'application/xml' }, body: ISTAT.replaceAll('OBS_STATUS="e"', `OBS_STATUS="${status}"`) });

let server: ReplayServer;
beforeAll(async () => { server = await startReplayServer(); });
afterAll(async () => { await server.close(); });

function setUp() {
  const { db } = loadedDb(NOW, CATALOGUE);
  const deps = (now: number): FetchDeps => ({
    db, now: () => now, sources: { urls: { SDMX: server.url }, apiKeys: {} },
    http: createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 20 }),
  });
  return { db, deps };
}

type ApiPeriod = { period: string; value_text: string | null; state: string; sdmx_obs_status: string; sdmx_obs_status_from: string; marks: { revised: boolean } };

async function api(db: ReturnType<typeof setUp>['db'], now: number, query = ''): Promise<ApiPeriod[]> {
  const res = await appAt(db, now).request(`/api/series/${ID}/observations${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { periods: ApiPeriod[] }).periods;
}

describe("the publisher's observation status", () => {
  it('reaches the CSV and the API as given (e, lower case), marked as the publisher\'s, and lacuna\'s own code elsewhere', async () => {
    server.on(PATH, { headers: { 'content-type': 'application/xml' }, body: ISTAT });
    const { db, deps } = setUp();
    expect(await fetchSeries(deps(NOW), ID, 'cli')).toMatchObject({ outcome: 'ok', added: 4 });
    evaluateSeriesInStore(db, { kind: 'all' }, NOW);

    // The stored answer (written by the status check) and one written on the request (as of a date) agree.
    for (const query of ['', '?as_of=2023-01-20']) {
      expect((await api(db, NOW, query)).map((p) => [p.period, p.value_text, p.sdmx_obs_status, p.sdmx_obs_status_from])).toEqual([
        ['2019', '29131195', 'A', 'lacuna'], ['2020', '29050096', 'A', 'lacuna'], ['2021', '28866226', 'A', 'lacuna'],
        ['2022', '28747417', 'e', 'publisher'], ['2023', null, '', ''],
      ]);
    }
    const app = appAt(db, NOW);
    for (const url of [`/series/${ID}.csv`, '/export.csv']) {
      const lines = (await (await app.request(url)).text()).split('\r\n');
      expect(lines[0]).toBe('series_id,period,value,state,sdmx_obs_status,first_seen_at,break,revised,backfilled,event_id,sdmx_obs_status_from,country');
      expect(lines.filter((l) => l.startsWith(`${ID},2022,`) || l.startsWith(`${ID},2021,`))).toEqual([
        `${ID},2021,28866226,disclosed,A,2023-01-20T00:00:00.000Z,,,1,,lacuna,`, // backfilled: lacuna first saw it past grace
        `${ID},2022,28747417,disclosed,e,2023-01-20T00:00:00.000Z,,,,,publisher,`,
      ]);
    }
  });

  it('keeps a change of status alone (P, then A for the same value) as a revision, first seen when it came', async () => {
    const { db, deps } = setUp();
    server.on(PATH, withStatus('P'));
    expect(await fetchSeries(deps(NOW), ID)).toMatchObject({ outcome: 'ok', added: 4, revised: 0 });
    const later = NOW + 30 * DAY;
    server.on(PATH, withStatus('A'));
    expect(await fetchSeries(deps(later), ID)).toMatchObject({ outcome: 'ok', added: 0, revised: 1, unchanged: 3 });

    const rows = db.select().from(observations).where(and(eq(observations.seriesId, ID), eq(observations.period, '2022'))).orderBy(observations.id).all();
    expect(rows.map((r) => [r.valueText, r.obsStatus, r.firstSeenAt, r.supersededAt])).toEqual([
      ['28747417', 'P', NOW, later], ['28747417', 'A', later, null],
    ]);
    evaluateSeriesInStore(db, { kind: 'all' }, later);
    const p2022 = (await api(db, later)).find((p) => p.period === '2022')!;
    expect(p2022).toMatchObject({ sdmx_obs_status: 'A', sdmx_obs_status_from: 'publisher', marks: { revised: true } });

    // The same answer once more changes nothing.
    server.on(PATH, withStatus('A'));
    expect((await fetchSeries(deps(later + DAY), ID)).outcome).toBe('no_change');
  });
});

describe('recording a value whose status changes', () => {
  // [what, first recording, second recording, revised by the second?]
  type Step = [origin: RecordOptions['origin'], obsStatus: IncomingValue['obsStatus']];
  const cases: [string, Step, Step, boolean][] = [
    ['provisional, then final (P to A)', ['fetch', 'P'], ['fetch', 'A'], true],
    ['a flag the publisher drops when the figure is final (P to none, as the World Bank writes it)', ['fetch', 'P'], ['fetch', null], true],
    ['a status given where the last answer gave none', ['fetch', null], ['fetch', 'e'], true],
    ['the same status again', ['fetch', 'P'], ['fetch', 'P'], false],
    ['no status, twice', ['fetch', null], ['fetch', null], false],
    ['a bundled value (no status), then the publisher gives one for it', ['bundle', undefined], ['fetch', 'A'], false],
    ['a fetched status, then the same value from an import, which carries none', ['fetch', 'P'], ['import', undefined], false],
  ];

  it.each(cases)('%s: recorded as a revision: %s', (_what, [origin1, status1], [origin2, status2], revised) => {
    const { db } = setUp();
    const value = (obsStatus: IncomingValue['obsStatus']): IncomingValue => ({
      period: '2022', value: 28747417, valueText: '28747417', ...(obsStatus === undefined ? {} : { obsStatus }),
    });
    recordValues(db, ID, [value(status1)], { origin: origin1, now: NOW });
    const counts = recordValues(db, ID, [value(status2)], { origin: origin2, now: NOW + DAY });
    expect(counts).toEqual({ added: 0, revised: revised ? 1 : 0, unchanged: revised ? 0 : 1, withdrawn: 0 });
    const rows = db.select().from(observations).where(eq(observations.seriesId, ID)).orderBy(observations.id).all();
    expect(rows.map((r) => [r.obsStatus, r.firstSeenAt, r.supersededAt])).toEqual(revised
      ? [[status1 ?? null, NOW, NOW + DAY], [status2 ?? null, NOW + DAY, null]]
      : [[status1 ?? null, NOW, null]]);
  });
});
