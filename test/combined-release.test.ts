// The combined January-February release, end to end: the bundled industrial value-added series
// (jan_feb_combined: both) fetched from a replay of NBS's recorded 2024 answer, where January and
// February are listed without a value, and read back through the API and the CSV.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSeries } from '../src/fetch/runner.js';
import { createHttp } from '../src/sources/http.js';
import { loadCatalogue } from '../src/catalogue/load.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { appAt, at, BUNDLED_CATALOGUE, INDUSTRY_ID, loadedDb, withOldPortalBlock, writeTree } from './helpers.js';
import { cassette, startReplayServer, type ReplayServer } from './replay-server.js';

const NOW = at('2025-01-20T04:00:00Z');
const bundled = (path: string) => readFileSync(join(BUNDLED_CATALOGUE, path), 'utf8');

/** The bundled NBS industry series on its own, read from the old portal whose 2024 answer is recorded (an edited copy). */
const CATALOGUE = writeTree({
  'publishers.yaml': bundled('publishers.yaml'),
  'series/nbs-industry.yaml': withOldPortalBlock(bundled('series/nbs-industry.yaml')),
});

let server: ReplayServer;
beforeAll(async () => { server = await startReplayServer(); });
afterAll(async () => { await server.close(); });

describe('a combined January-February release of a growth rate', () => {
  it('is written jan_feb_combined: both in the catalogue, and any other word is refused with its file and line', () => {
    expect(loadCatalogue(CATALOGUE).series[0]!.release.janFebCombined).toBe('both');
    const wrong = writeTree({
      'publishers.yaml': bundled('publishers.yaml'),
      'series/nbs-industry.yaml': bundled('series/nbs-industry.yaml').replace('jan_feb_combined: both', 'jan_feb_combined: neither'),
    });
    const line = bundled('series/nbs-industry.yaml').split('\n').findIndex((l) => l.includes('jan_feb_combined')) + 1;
    expect(() => loadCatalogue(wrong)).toThrow(new RegExp(`series/nbs-industry\\.yaml:${line}(:\\d+)?: series\\.0\\.release\\.jan_feb_combined: jan_feb_combined is true, false or both`));
  });

  it('leaves 2024-01 and 2024-02 not expected, not missing, once the recorded 2024 answer lists them without a value', async () => {
    server.on('/easyquery.htm', cassette('nbs/cnstats-vcr-hgyd-A020101-2024.cassette.yaml'));
    const { db } = loadedDb(NOW, CATALOGUE);
    const http = createHttp({ userAgent: 't', timeoutMs: 2000, retries: 0, backoffMs: 1, maxBytes: 1 << 20 });
    const r = await fetchSeries({ db, now: () => NOW, sources: { urls: { NBS: server.url }, apiKeys: {} }, http }, INDUSTRY_ID, 'cli');
    expect(r).toMatchObject({ outcome: 'ok', added: 10, gaps: 2 });
    evaluateSeriesInStore(db, { kind: 'all' }, NOW);

    const app = appAt(db, NOW);
    const body = await (await app.request(`/api/series/${INDUSTRY_ID}/observations`)).json() as { periods: { period: string; state: string; sdmx_obs_status: string }[] };
    const first = body.periods.slice(0, 3).map((p) => [p.period, p.state, p.sdmx_obs_status]);
    expect(first).toEqual([['2024-01', 'not_expected', 'K'], ['2024-02', 'not_expected', 'K'], ['2024-03', 'disclosed', 'A']]);
    const csv = await (await app.request(`/series/${INDUSTRY_ID}.csv`)).text();
    expect(csv.split('\r\n').filter((l) => /,2024-0[12],/.test(l)).map((l) => l.split(',').slice(1, 5)))
      .toEqual([['2024-01', '', 'not_expected', 'K'], ['2024-02', '', 'not_expected', 'K']]);
    const status = await (await app.request(`/api/series/${INDUSTRY_ID}`)).json() as { status: string };
    expect(status.status).toBe('current');
  });
});
