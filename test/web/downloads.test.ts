// Downloads for researchers: metadata a program can read (datapackage.json), first_seen_at and
// published_at side by side, values without float noise, a byte-order mark for Excel, snake_case
// events, an OpenAPI document whose paths answer, and CORS on the API and the downloads.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { withoutFloatNoise } from '../../src/formats/value-text.js';
import { appAt, at, loadedDb } from '../helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const FX = 'cn.safe.fx_reserves.monthly';
const ORIGIN = 'https://lacuna.example';
let app: Hono;
beforeAll(() => { app = appAt(loadedDb(NOW).db, NOW, ORIGIN); });

describe('downloads for researchers', () => {
  it('describes a series CSV in a Frictionless datapackage.json: title, unit, publisher, sources, licence, citation and typed columns', async () => {
    const res = await app.request(`/series/${YOUTH}/datapackage.json`);
    expect(res.status).toBe(200);
    const pkg = await res.json() as Record<string, any>;
    expect(pkg).toMatchObject({
      profile: 'tabular-data-package', title: expect.stringContaining('ages 16-24'), unit: 'percent',
      publisher: { id: 'nbs', name: 'National Bureau of Statistics of China' },
    });
    expect(pkg.citation).toContain(`National Bureau of Statistics of China, "`);
    expect(pkg.citation).toContain(`${ORIGIN}/series/${YOUTH}`);
    expect(pkg.licenses[0].title).toContain('subject to its terms');
    expect(pkg.sources.some((s: { title: string }) => /^Bundled from /.test(s.title))).toBe(true);
    const periods = pkg.resources.find((r: { name: string }) => r.name === 'periods');
    expect(periods.path).toBe(`${ORIGIN}/series/${YOUTH}.csv`);
    const header = (await (await app.request(`/series/${YOUTH}.csv`)).text()).split('\r\n')[0]!.split(',');
    expect(periods.schema.fields.map((f: { name: string }) => f.name)).toEqual(header);
    const values = pkg.resources.find((r: { name: string }) => r.name === 'values');
    const valuesHeader = (await (await app.request(`/series/${YOUTH}/values.csv`)).text()).split('\r\n')[0]!.split(',');
    expect(values.schema.fields.map((f: { name: string }) => f.name)).toEqual(valuesHeader);
    const all = await (await app.request('/datapackage.json')).json() as { resources: { path: string }[] };
    expect(all.resources.map((r) => r.path)).toEqual([`${ORIGIN}/export.csv`, `${ORIGIN}/events.csv`]);
  });

  it('exports first_seen_at beside published_at, and never the load time as first_seen_at of a bundled value', async () => {
    const text = await (await app.request(`/series/${YOUTH}/values.csv`)).text();
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('series_id,period,value,unit,first_seen_at,published_at,known_from,superseded_at,withdrawn_at,origin,provenance');
    const june = lines.find((l) => l.startsWith(`${YOUTH},2023-06,`))!;
    expect(june.split(',').slice(2, 6)).toEqual(['21.3', 'percent', '', '']);
    // What the as-of views use for it: the scheduled release (17 July 2023, 10:00 Beijing time), exported too.
    expect(june.split(',')[6]).toBe('2023-07-17T02:00:00.000Z');
    expect(june).toContain(',bundle,');
    // Nor on the series page, where a bundled value is marked as such.
    const page = await (await app.request(`/series/${YOUTH}`)).text();
    const row = /<tr[^>]*id="period-2023-06"[\s\S]*?<\/tr>/.exec(page)![0];
    expect(row).toContain(">bundled</span>");
    const grid = await (await app.request(`/series/${YOUTH}.csv`)).text();
    expect(grid.split('\r\n').find((l) => l.startsWith(`${YOUTH},2023-06,`))).toBe(`${YOUTH},2023-06,21.3,disclosed,A,,,,,,lacuna,CN`);
  });

  it('writes values without binary floating-point noise, and keeps every other text as written', async () => {
    expect(withoutFloatNoise('3120.6549999999997')).toBe('3120.655');
    expect(withoutFloatNoise('3418.7760000000003')).toBe('3418.776');
    expect(withoutFloatNoise('2345.00000000000')).toBe('2345.00000000000');
    expect(withoutFloatNoise('21.3')).toBe('21.3');
    expect(withoutFloatNoise('0.1234567890123456')).toBe('0.1234567890123456'); // 16 real digits, not noise
    const csv = await (await app.request(`/series/${FX}.csv`)).text();
    expect(csv).not.toMatch(/\d\.\d*(9999999|0000000)\d,/);
    expect(csv).toContain(`${FX},2016-10,3120.655,`);
    const api = await (await app.request(`/api/series/${FX}/observations`)).json() as { periods: { period: string; value_text: string | null }[] };
    expect(api.periods.find((p) => p.period === '2016-10')!.value_text).toBe('3120.655');
    const page = await (await app.request(`/series/${FX}`)).text();
    expect(page).toContain('>3120.655<');
    expect(page).not.toContain('>3120.6549999999997<'); // (the catalogue's note quotes the noisy text, as it should)
    expect(page).not.toMatch(/"values":\[[^\]]*3120\.6549999999997/);
  });

  it('starts a CSV with a byte-order mark for Excel when asked, and not otherwise', async () => {
    for (const path of [`/series/${YOUTH}.csv`, '/export.csv', '/events.csv', '/gaps.csv', '/disclosure.csv', `/series/${YOUTH}/values.csv`]) {
      const plain = new Uint8Array(await (await app.request(path)).arrayBuffer());
      const bom = new Uint8Array(await (await app.request(`${path}${path.includes('?') ? '&' : '?'}bom=1`)).arrayBuffer());
      expect([...bom.subarray(0, 3)], path).toEqual([0xef, 0xbb, 0xbf]);
      expect(plain[0], path).not.toBe(0xef);
      expect(bom.length, path).toBe(plain.length + 3);
    }
  });

  it('writes events in snake_case in /api/events and /api/series/:id, like every other field', async () => {
    const list = await (await app.request(`/api/events?series=${YOUTH}`)).json() as { events: Record<string, unknown>[] };
    const one = await (await app.request(`/api/series/${YOUTH}`)).json() as { events: Record<string, unknown>[] };
    for (const e of [...list.events, ...one.events]) {
      for (const key of Object.keys(e)) expect(key).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(e).toHaveProperty('series_id', YOUTH);
    }
  });

  it('allows any origin to read the API and the downloads (CORS)', async () => {
    for (const path of ['/api/series', `/api/series/${YOUTH}/observations`, `/series/${YOUTH}.csv`, '/export.csv', `/series/${YOUTH}/datapackage.json`]) {
      const res = await app.request(path, { headers: { origin: 'https://notebook.example' } });
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
    }
    const pre = await app.request('/api/series', { method: 'OPTIONS', headers: { origin: 'https://x.example', 'access-control-request-method': 'GET' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('publishes an OpenAPI document whose every path answers', async () => {
    const doc = await (await app.request('/api/openapi.json')).json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of Object.keys(doc.paths)) {
      const url = path.replace('{id}', YOUTH).replace('{eventId}', 'cn-nbs-youth-1624-suspension-announced-2023-08-15');
      expect((await app.request(url)).status, url).toBe(200);
    }
  });
});
