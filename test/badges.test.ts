// Status badges through the HTTP app: the youth unemployment series tells its story (suspended,
// then resumed by its successor on a new method), publishers count their dark series, and the
// SVG is escaped, well-formed XML that reads without colour.
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client.js';
import { badgeSvg } from '../web/badge-svg.js';
import { escapeXml } from '../src/formats/markup.js';
import { badgeSnippets } from '../web/pages/embed.js';
import { appAt, at, loadedDb } from './helpers.js';

const NOW = at('2026-11-22T12:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const SUCCESSOR = 'cn.nbs.unemployment.urban.age16_24_excl_students';
const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');

interface BadgeJson {
  schemaVersion: number; label: string; message: string; color: string; status: string; url: string;
  history: Record<string, unknown>[];
}

const appFor = (db: Db, now = NOW, publicUrl?: string) => appAt(db, now, publicUrl);

let db: Db;
let app: ReturnType<typeof appFor>;
beforeAll(() => {
  db = loadedDb(NOW).db;
  app = appFor(db);
});

async function badge(path: string): Promise<BadgeJson> {
  const res = await app.request(path);
  expect(res.status).toBe(200);
  return await res.json() as BadgeJson;
}

describe('series badges', () => {
  it('tell the youth unemployment story in the shields.io endpoint format, with lacuna\'s status, history and url', async () => {
    const res = await app.request(`/badge/series/${YOUTH}.json`);
    expect(res.headers.get('cache-control')).toBe('max-age=300');
    const body = await res.json() as BadgeJson;
    expect(body).toMatchObject({
      schemaVersion: 1, label: 'lacuna', message: 'suspended Jul 2023 · resumed Dec 2023 (new method)',
      status: 'discontinued', url: `http://localhost/series/${YOUTH}`,
    });
    expect(body.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(body.history).toEqual([
      expect.objectContaining({ kind: 'dark', state: 'suspended', event_kind: 'suspension_announced', from: '2023-07', to: '2023-11', event_id: 'cn-nbs-youth-1624-suspension-announced-2023-08-15' }),
      expect.objectContaining({ kind: 'resumed', period: '2023-12', series_id: SUCCESSOR, method_break: true }),
    ]);
  });

  it('draw the same words as a flat SVG badge, cached for five minutes', async () => {
    const res = await app.request(`/badge/series/${YOUTH}.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('max-age=300');
    const svg = await res.text();
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('aria-label="lacuna: suspended Jul 2023 · resumed Dec 2023 (new method)"');
    expect(svg).toContain('<title>lacuna: suspended Jul 2023 · resumed Dec 2023 (new method)</title>');
    expect(svg).toContain('>suspended Jul 2023 · resumed Dec 2023 (new method)</text>');
  });

  it('tell the successor\'s own story: on a new method since December 2023, and unchecked since its bundled record ends', async () => {
    // The bundle runs to August 2026; September was due in October and lacuna holds no record of it.
    expect(await badge(`/badge/series/${SUCCESSOR}.json`)).toMatchObject({ status: 'unchecked', message: 'unchecked · new method since Dec 2023' });
    expect(await badge(`/badge/series/${SUCCESSOR}.json?as_of=2026-09-20`)).toMatchObject({ status: 'current', message: 'current · new method since Dec 2023' });
  });

  it.each([
    ['2023-06-30', 'current', 'current'],
    ['2023-09-01', 'suspended', 'suspended Jul 2023'],
    // The replacement was announced on 2024-01-17 in Beijing, which the end of 16 January UTC already is.
    ['2024-01-15', 'suspended', 'suspended Jul 2023'],
    ['2024-01-18', 'discontinued', 'suspended Jul 2023 · resumed Dec 2023 (new method)'],
  ])('tell the story as lacuna knew it on %s', async (asOf, status, message) => {
    const body = await badge(`/badge/series/${YOUTH}.json?as_of=${asOf}`);
    expect(body).toMatchObject({ status, message, url: `http://localhost/series/${YOUTH}?as_of=${asOf}` });
  });

  it('tell the fixture series\' suspension from its own grid', async () => {
    const now = at('2023-09-01T00:00:00Z');
    const res = await appFor(loadedDb(now, MINI).db, now, 'https://lacuna.example').request('/badge/series/test.youth.json');
    expect(await res.json()).toMatchObject({ status: 'suspended', message: 'suspended Jul 2023', url: 'https://lacuna.example/series/test.youth' });
  });

  it.each(['/badge/series/no.such.series.svg', '/badge/series/no.such.series.json'])('answer 404 with a JSON message for an unknown series at %s', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'unknown series: no.such.series' });
  });

  it('answer 400 naming a bad as_of', async () => {
    const res = await app.request(`/badge/series/${YOUTH}.svg?as_of=2023-02-30`);
    expect(res.status).toBe(400);
    expect((await res.json() as { parameter: string }).parameter).toBe('as_of');
  });
});

describe('publisher badges', () => {
  it('count the publisher\'s dark series out of all its series', async () => {
    const all = await (await app.request('/api/series?publisher=nbs&limit=1000')).json() as { total: number };
    const dark = await (await app.request('/api/series?publisher=nbs&status=dark&limit=1000')).json() as { total: number; series: { id: string }[] };
    const body = await badge('/badge/publisher/nbs.json');
    expect(body).toMatchObject({ schemaVersion: 1, label: 'NBS', message: `${dark.total} of ${all.total} series dark`, status: 'dark', url: 'http://localhost/?publisher=nbs' });
    expect(body.history.map((h) => h.series_id)).toEqual(dark.series.map((s) => s.id));
    expect(body.history.map((h) => h.series_id)).toContain(YOUTH);
    const svg = await (await app.request('/badge/publisher/nbs.svg')).text();
    expect(svg).toContain(`>${dark.total} of ${all.total} series dark</text>`);
  });

  it('count as of a date: before the suspension the youth series was not dark', async () => {
    const body = await badge('/badge/publisher/nbs.json?as_of=2023-06-30');
    expect(body.history.map((h) => h.series_id)).not.toContain(YOUTH);
  });

  it('answer 404 with a JSON message for an unknown publisher', async () => {
    const res = await app.request('/badge/publisher/nobody.svg');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'unknown publisher: nobody' });
  });
});

describe('the badge SVG', () => {
  it('escapes every text so a label cannot inject markup', () => {
    const svg = badgeSvg({ label: '<script>&"\'', message: 'a < b & c', color: '#123456' });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;&amp;&quot;&#39;');
    expect(svg).toContain('a &lt; b &amp; c');
    expect(escapeXml('tab\u0001ok')).toBe('tabok');
  });

  it('refuses a colour that is not a hex colour', () => {
    expect(badgeSvg({ label: 'a', message: 'b', color: 'red" onload="x' })).not.toContain('onload');
  });

  it('grows with its message', () => {
    const width = (svg: string) => Number(/^<svg[^>]* width="(\d+)"/.exec(svg)![1]);
    expect(width(badgeSvg({ label: 'lacuna', message: 'current · new method since Dec 2023', color: '#2e7d32' })))
      .toBeGreaterThan(width(badgeSvg({ label: 'lacuna', message: 'current', color: '#2e7d32' })));
  });
});

describe('the embed snippet', () => {
  it('links the badge to the series page in HTML and Markdown', () => {
    const s = badgeSnippets(YOUTH, 'Youth <16-24> [old]', 'https://lacuna.example');
    expect(s.html).toBe(`<a href="https://lacuna.example/series/${YOUTH}"><img src="https://lacuna.example/badge/series/${YOUTH}.svg" alt="lacuna status of Youth &lt;16-24> [old]"></a>`);
    expect(s.markdown).toBe(`[![lacuna status of Youth <16-24> \\[old\\]](https://lacuna.example/badge/series/${YOUTH}.svg)](https://lacuna.example/series/${YOUTH})`);
  });

  it('is on the series page, escaped, with the badge itself', async () => {
    const html = await (await app.request(`/series/${YOUTH}`)).text();
    expect(html).toContain('<h2 id="embed-h">Embed</h2>');
    expect(html).toContain(`<img src="/badge/series/${YOUTH}.svg"`);
    // The snippet carries the site's own address (here the request's origin), so it works when pasted elsewhere.
    expect(html).toContain(`&lt;a href=&quot;http://localhost/series/${YOUTH}&quot;&gt;&lt;img src=&quot;http://localhost/badge/series/${YOUTH}.svg&quot;`);
    expect(html).toContain(`[![lacuna status of `);
  });
});
