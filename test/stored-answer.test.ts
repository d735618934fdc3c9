// The answers the status check stores (series_answers): the observations answer, byte for byte the
// answer written from a fresh evaluation, sent compressed to clients that accept gzip and inflated
// for the rest, with an ETag that turns a repeated request into a 304, and dropped with the
// evaluation whenever a fact of the series changes.
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seriesFacts } from '../src/read/facts.js';
import { recordValues } from '../db/record-values.js';
import { series, seriesAnswers, seriesGrids } from '../db/schema.js';
import { evaluateSeries } from '../src/core/index.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { observationsJson } from '../src/formats/grid-format.js';
import { acceptsGzip, gzipEtag } from '../web/stored-answer.js';
import { appAt, at, loadedDb } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const HOUR = 3_600_000;
const GZIP = { 'accept-encoding': 'gzip, deflate' };

describe('Accept-Encoding', () => {
  it.each([
    ['gzip', true], ['gzip, deflate, br', true], ['x-gzip', true], ['GZIP;q=0.5', true], ['*', true], ['br, *;q=0.1', true],
    [undefined, false], ['', false], ['identity', false], ['br, deflate', false], ['gzip;q=0', false], ['gzip;q=0.000', false],
    ['*, gzip;q=0', false], ['*;q=0', false], ['gzip;q=nonsense', false],
  ])('%j admits gzip: %s', (header, admits) => {
    expect(acceptsGzip(header)).toBe(admits);
  });
});

describe('the stored observations answer', () => {
  const { db } = loadedDb(NOW);
  const app = appAt(db, NOW);
  const rows = db.select().from(series).all();
  const fresh = (id: string, t = NOW) => {
    const row = rows.find((r) => r.id === id)!;
    const ev = evaluateSeries(seriesFacts(db, row), t, row.title);
    return observationsJson({ seriesId: row.id, unit: row.unit, frequency: row.frequency, asOf: null }, ev.grid);
  };

  it('is the answer of a fresh evaluation, byte for byte, for every bundled series, compressed or not', async () => {
    for (const row of rows) {
      const zipped = await app.request(`/api/series/${row.id}/observations`, { headers: GZIP });
      expect(zipped.status).toBe(200);
      expect(zipped.headers.get('content-encoding'), row.id).toBe('gzip');
      expect(zipped.headers.get('vary')).toBe('accept-encoding');
      expect(zipped.headers.get('content-type')).toBe('application/json');
      const bytes = Buffer.from(await zipped.arrayBuffer());
      expect(gunzipSync(bytes).toString('utf8'), row.id).toBe(fresh(row.id));

      const plain = await app.request(`/api/series/${row.id}/observations`);
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(await plain.text()).toBe(fresh(row.id));
      expect(plain.headers.get('etag')).toBe(zipped.headers.get('etag'));
    }
  });

  it('is a fraction of the JSON it stands for', () => {
    const stored = db.select().from(seriesAnswers).where(eq(seriesAnswers.seriesId, YOUTH)).get()!.observationsGz;
    expect(stored.length).toBeLessThan(Buffer.byteLength(fresh(YOUTH)) / 4);
  });

  it('answers a repeated request with If-None-Match with a 304, and a changed answer with the new one', async () => {
    const first = await app.request(`/api/series/${YOUTH}/observations`, { headers: GZIP });
    const etag = first.headers.get('etag')!;
    // Weak: the gzip and the inflated answer share it (a strong one must differ between codings).
    expect(etag).toMatch(/^W\/"[0-9a-f]{16}"$/);
    for (const ifNoneMatch of [etag, etag.slice(2), `"other", ${etag}`, '*']) {
      const again = await app.request(`/api/series/${YOUTH}/observations`, { headers: { ...GZIP, 'if-none-match': ifNoneMatch } });
      expect(again.status, ifNoneMatch).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(await again.text()).toBe('');
    }
    const other = await app.request(`/api/series/${YOUTH}/observations`, { headers: { 'if-none-match': '"0000000000000000"' } });
    expect(other.status).toBe(200);
    // Two series with different answers have different validators.
    const industry = await app.request('/api/series/cn.nbs.industry.value_added_yoy/observations');
    expect(industry.headers.get('etag')).not.toBe(etag);
  });

  it('is what the API sends while the evaluation holds, and never for an as-of view or after it expires', async () => {
    const grid = db.select().from(seriesGrids).where(eq(seriesGrids.seriesId, YOUTH)).get()!;
    const stored = db.select().from(seriesAnswers).where(eq(seriesAnswers.seriesId, YOUTH)).get()!;
    const marker = '{"read_from":"series_answers"}';
    db.update(seriesAnswers).set({ observationsGz: gzipSync(marker) }).where(eq(seriesAnswers.seriesId, YOUTH)).run();
    try {
      expect(await (await app.request(`/api/series/${YOUTH}/observations`)).text()).toBe(marker);
      expect(await (await appAt(db, grid.validUntil - 1).request(`/api/series/${YOUTH}/observations`)).text()).toBe(marker);
      const asOf = await (await app.request(`/api/series/${YOUTH}/observations?as_of=2026-11-19`)).json() as { as_of: string };
      expect(asOf.as_of).toBe('2026-11-19');
      const expired = await (await appAt(db, grid.validUntil).request(`/api/series/${YOUTH}/observations`)).text();
      expect(expired).toBe(fresh(YOUTH, grid.validUntil));
      const before = await (await appAt(db, NOW - 1).request(`/api/series/${YOUTH}/observations`)).text();
      expect(before).toBe(fresh(YOUTH, NOW - 1));
    } finally {
      db.update(seriesAnswers).set({ observationsGz: stored.observationsGz }).where(eq(seriesAnswers.seriesId, YOUTH)).run();
    }
  });

  it('is what /export.csv and nothing else sends for the series while its evaluation holds', async () => {
    const stored = db.select().from(seriesAnswers).where(eq(seriesAnswers.seriesId, YOUTH)).get()!;
    const rows = gunzipSync(stored.csvGz).toString('utf8');
    expect(rows.split('\r\n')[0]).toMatch(new RegExp(`^${YOUTH.replaceAll('.', '\\.')},\\d{4}-\\d{2},`));
    const marker = `${YOUTH},read from series_answers\r\n`;
    db.update(seriesAnswers).set({ csvGz: gzipSync(marker) }).where(eq(seriesAnswers.seriesId, YOUTH)).run();
    try {
      const now = await (await app.request('/export.csv')).text();
      expect(now).toContain(marker);
      expect(now).not.toContain(rows);
      const asOf = await (await app.request('/export.csv?as_of=2026-11-19')).text();
      expect(asOf).not.toContain(marker);
      expect(asOf).toContain(`${YOUTH},2023-06,21.3,disclosed,`);
    } finally {
      db.update(seriesAnswers).set({ csvGz: stored.csvGz }).where(eq(seriesAnswers.seriesId, YOUTH)).run();
    }
    expect(await (await app.request('/export.csv')).text()).toContain(rows);
  });

  it('has a validator read from the gzip trailer: the CRC-32 and length of the JSON', () => {
    expect(gzipEtag(gzipSync('{}'))).toBe(gzipEtag(gzipSync('{}', { level: 9 })));
    expect(gzipEtag(gzipSync('{}'))).toBe(`"${crc32('{}').toString(16).padStart(8, '0')}00000002"`);
    expect(gzipEtag(gzipSync('{"a":1}'))).not.toBe(gzipEtag(gzipSync('{}')));
  });
});

describe('the stored answer over time', () => {
  type TestDb = ReturnType<typeof loadedDb>['db'];
  const answer = (db: TestDb) => db.select().from(seriesAnswers).where(eq(seriesAnswers.seriesId, YOUTH)).get();
  const grid = (db: TestDb) => db.select().from(seriesGrids).where(eq(seriesGrids.seriesId, YOUTH)).get();

  it('goes with the stored evaluation, and the next check stores one that names a new unit', () => {
    const { db } = loadedDb(NOW);
    db.update(series).set({ unit: 'percent of the labour force' }).where(eq(series.id, YOUTH)).run();
    expect(grid(db)).toBeUndefined();
    expect(answer(db)).toBeUndefined();
    expect(db.select().from(series).where(eq(series.id, YOUTH)).get()!.nextCheckAt).toBeNull();
    evaluateSeriesInStore(db, { kind: 'due' }, NOW + HOUR);
    const body = JSON.parse(gunzipSync(answer(db)!.observationsGz).toString('utf8')) as { unit: string };
    expect(body.unit).toBe('percent of the labour force');
    // A new value drops both as well.
    recordValues(db, YOUTH, [{ period: '2026-10', value: 17.3, valueText: '17.3' }], { origin: 'fetch', now: NOW + 2 * HOUR });
    expect(answer(db)).toBeUndefined();
  });

  it('is kept, with changed_at, when a check finds the same evaluation; a series without one gets it at the next check', () => {
    const { db } = loadedDb(NOW);
    const before = { ...grid(db)!, ...answer(db)! };
    evaluateSeriesInStore(db, { kind: 'ids', ids: [YOUTH] }, NOW + HOUR);
    expect(grid(db)!.evaluatedAt).toBe(NOW + HOUR);
    expect(grid(db)!.changedAt).toBe(before.changedAt);
    expect(answer(db)!.observationsGz.equals(before.observationsGz)).toBe(true);

    // A database from before answers were stored (migration 0005): the next check writes the
    // answer, and the evaluation is unchanged, so changed_at stays.
    db.delete(seriesAnswers).where(eq(seriesAnswers.seriesId, YOUTH)).run();
    evaluateSeriesInStore(db, { kind: 'ids', ids: [YOUTH] }, NOW + 2 * HOUR);
    expect(gunzipSync(answer(db)!.observationsGz).equals(gunzipSync(before.observationsGz))).toBe(true);
    expect(grid(db)!.changedAt).toBe(before.changedAt);
  });

  it('is not sent while missing: the API writes the answer itself', async () => {
    const { db } = loadedDb(NOW);
    db.delete(seriesAnswers).where(eq(seriesAnswers.seriesId, YOUTH)).run();
    const res = await appAt(db, NOW).request(`/api/series/${YOUTH}/observations`, { headers: GZIP });
    // Written now (no stored copy, so no ETag), and compressed on the way like any JSON.
    expect(res.headers.get('etag')).toBeNull();
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = res.headers.get('content-encoding') === 'gzip' ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
    const body = JSON.parse(text) as { series_id: string; periods: { period: string; value_text: string | null }[] };
    expect(body.series_id).toBe(YOUTH);
    expect(body.periods.find((p) => p.period === '2023-06')!.value_text).toBe('21.3');
  });
});
