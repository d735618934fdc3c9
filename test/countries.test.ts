// Countries are first-class: each publisher (or series) names one in the catalogue; the store keeps
// it; the board, the gaps timeline and the API filter by it; the CSVs carry it; a country has its
// badge and its own line in the disclosure index.
import { describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { countryName, countryProblem } from '../src/core/country.js';
import { CatalogueError, loadCatalogue } from '../src/catalogue/load.js';
import { appAt, at, BUNDLED_CATALOGUE, loadedDb, writeTree } from './helpers.js';

const NOW = at('2024-03-01T00:00:00Z');

const SERIES = (id: string, publisher: string, extra = '') => `  - id: ${id}
    publisher: ${publisher}${extra}
    title: ${id} (test)
    unit: percent
    frequency: monthly
    grid_from: 2023-01
    release: { lag_days: 15, grace_days: 5 }
`;

const PUBLISHERS = `publishers:
  - { id: nbs, name: National Bureau of Statistics of China, time_zone: Asia/Shanghai, country: CN }
  - { id: bls, name: Bureau of Labor Statistics, time_zone: America/New_York, country: US }
  - { id: imf, name: International Monetary Fund, time_zone: America/New_York }
`;

/** Three countries: a Chinese series, a US one with a suspension (dark), and an IMF series about China. */
function catalogue(): string {
  return writeTree({
    'publishers.yaml': PUBLISHERS,
    'series/s.yaml': `series:
${SERIES('cn.nbs.a', 'nbs')}${SERIES('us.bls.b', 'bls')}    events:
      - id: us-bls-b-suspended
        kind: suspension_announced
        date: 2023-06-01
        periods: { from: 2023-05 }
        title: suspended (test)
        evidence_kind: official_notice
        confidence: verified
        citations: [{ url: "https://example.org/notice", title: notice, publisher: example }]
${SERIES('cn.imf.c', 'imf', '\n    country: CN')}${SERIES('x.imf.d', 'imf')}`,
  });
}

describe('country codes', () => {
  it('accepts ISO 3166-1 alpha-2 codes and names them in English', () => {
    expect(['CN', 'US', 'GB', 'AR', 'RU', 'EU'].map(countryProblem)).toEqual([null, null, null, null, null, null]);
    expect(countryName('GB')).toBe('United Kingdom');
    expect(countryName('AR')).toBe('Argentina');
  });

  it.each([
    ['cn', /two upper-case letters/],
    ['USA', /two upper-case letters/],
    ['UK', /use GB/],
    ['XX', /not an ISO 3166-1 alpha-2 country code/],
    ['ZZ', /not an ISO 3166-1 alpha-2 country code/],
  ])('refuses %s', (code, why) => {
    expect(countryProblem(code)).toMatch(why);
  });
});

describe('the catalogue', () => {
  it('gives each series its publisher\'s country, or its own, and none for an international body\'s series without one', () => {
    const cat = loadCatalogue(catalogue());
    expect(Object.fromEntries(cat.series.map((s) => [s.id, s.country]))).toEqual({
      'cn.nbs.a': 'CN', 'us.bls.b': 'US', 'cn.imf.c': 'CN', 'x.imf.d': null,
    });
    expect(cat.publishers.find((p) => p.id === 'imf')!.country).toBeNull();
  });

  it('refuses a bad country with its file and line', () => {
    const dir = writeTree({ 'publishers.yaml': PUBLISHERS.replace('country: US', 'country: UK'), 'series/s.yaml': `series:\n${SERIES('us.bls.b', 'bls')}` });
    expect(() => loadCatalogue(dir)).toThrow(CatalogueError);
    expect(() => loadCatalogue(dir)).toThrow(/publishers\.yaml:3:\d+: publishers\.1\.country: "UK" is not the ISO 3166-1 code of the United Kingdom: use GB/);
  });

  it('gives every bundled series a country, and every Chinese series CN', () => {
    const cat = loadCatalogue(BUNDLED_CATALOGUE);
    expect(cat.series.filter((s) => s.country === null).map((s) => s.id)).toEqual([]);
    expect(cat.series.filter((s) => s.id.startsWith('cn.') && s.country !== 'CN').map((s) => s.id)).toEqual([]);
  });
});

describe('the web app by country', () => {
  const { db } = loadedDb(NOW, catalogue());
  const app = appAt(db, NOW);
  const text = async (path: string) => {
    const res = await app.request(path);
    expect(res.status, path).toBe(200);
    return res.text();
  };
  const csv = async (path: string) => (await text(path)).trim().split('\r\n').map((l) => l.split(','));

  it('filters the board by country and offers every country in the filter', async () => {
    const html = await text('/?country=US');
    expect(html).toContain('data-series="us.bls.b"');
    expect(html).not.toContain('data-series="cn.nbs.a"');
    expect(html).toMatch(/<select name="country">[\s\S]*<option value="CN">China \(2\)<\/option>[\s\S]*<option value="US" selected(="")?>United States \(1\)<\/option>/);
  });

  it('names the country on the series page, linked to the board filtered by it', async () => {
    expect(await text('/series/cn.imf.c')).toContain('<dt>Country</dt><dd><a href="/?country=CN" data-country="CN">China</a></dd>');
    expect(await text('/series/x.imf.d')).not.toContain('<dt>Country</dt>');
  });

  it('names the country in the API and filters by it', async () => {
    const body = await (await app.request('/api/series?country=CN')).json() as { total: number; series: { id: string; country: string; country_name: string }[] };
    expect(body.series.map((s) => [s.id, s.country, s.country_name])).toEqual([['cn.imf.c', 'CN', 'China'], ['cn.nbs.a', 'CN', 'China']]);
    const one = await (await app.request('/api/series/x.imf.d')).json() as { country: string | null };
    expect(one.country).toBeNull();
    expect((await app.request('/api/series?country=china')).status).toBe(400);
  });

  it('adds a country column to the period grid export, the series CSV, the gaps CSV and the events CSV', async () => {
    for (const path of ['/export.csv', '/series/us.bls.b.csv']) {
      const rows = await csv(path);
      expect(rows[0]!.at(-1), path).toBe('country');
      expect(new Set(rows.slice(1).filter((r) => r[0] === 'us.bls.b').map((r) => r.at(-1))), path).toEqual(new Set(['US']));
    }
    const exported = await csv('/export.csv');
    expect(new Set(exported.slice(1).filter((r) => r[0] === 'x.imf.d').map((r) => r.at(-1)))).toEqual(new Set(['']));
    const gaps = await csv('/gaps.csv?from=2023-01&to=2023-12');
    expect(gaps[0]!.at(-1)).toBe('country');
    expect(new Set(gaps.slice(1).filter((r) => r[0] === 'cn.imf.c').map((r) => r.at(-1)))).toEqual(new Set(['CN']));
    const events = await csv('/events.csv');
    expect(events[0]!.at(-1)).toBe('country');
    expect(events[1]!.slice(0, 2)).toEqual(['us-bls-b-suspended', 'us.bls.b']);
    expect(events[1]!.at(-1)).toBe('US');
  });

  it('filters and groups the gaps timeline by country', async () => {
    const html = await text('/gaps?group=country&from=2023-01&to=2023-12');
    expect(html).toMatch(/<h2 id="g-CN">China <span class="muted">\(2\)<\/span><\/h2>/);
    expect(html).toMatch(/<h2 id="g-US">United States <span class="muted">\(1\)<\/span><\/h2>/);
    const us = await text('/gaps?country=US');
    expect(us).toContain('data-series="us.bls.b"');
    expect(us).not.toContain('data-series="cn.nbs.a"');
  });

  it('draws a country badge that counts its dark series, and answers 404 for a country with none', async () => {
    const body = await (await app.request('/badge/country/US.json')).json() as { label: string; message: string; status: string; url: string; history: { series_id: string }[] };
    expect(body).toMatchObject({ label: 'United States', message: '1 of 1 series dark', status: 'dark', url: 'http://localhost/?country=US' });
    expect(body.history.map((h) => h.series_id)).toEqual(['us.bls.b']);
    const cn = await (await app.request('/badge/country/CN.json')).json() as { message: string; status: string };
    expect(cn).toMatchObject({ message: '0 of 2 series dark', status: 'clear' });
    const svg = await text('/badge/country/US.svg');
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('United States');
    expect((await app.request('/badge/country/FR.svg')).status).toBe(404);
  });

  it('counts the disclosure index by country in the JSON, the CSV and the page', async () => {
    const body = await (await app.request('/api/disclosure?by=country&from=2023-06&to=2023-06')).json() as {
      by: string; countries: { code: string; name: string }[]; months: { countries: { country: string; due: number; on_schedule: number }[] }[];
    };
    expect(body.by).toBe('country');
    expect(body.countries).toEqual([{ code: 'CN', name: 'China' }, { code: 'US', name: 'United States' }]);
    expect(body.months[0]!.countries.find((c) => c.country === 'US')).toMatchObject({ due: 1, on_schedule: 0 });
    const rows = await csv('/disclosure.csv?by=country&from=2023-06&to=2023-06');
    expect(rows[0]).toEqual(['month', 'country_id', 'country', 'due', 'on_schedule', 'share']);
    expect(rows.find((r) => r[1] === 'US')).toEqual(['2023-06', 'US', 'United States', '1', '0', '0']);
    const page = await text('/disclosure?by=country');
    expect(page).toContain('United States');
    expect(page).toMatch(/<a href="\/disclosure\?from=2015-01&amp;to=2024-03">by publisher<\/a> · <strong>by country<\/strong>/);
  });
});
