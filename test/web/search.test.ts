// Search over series and events from every page's header: English and Chinese titles, topics,
// publishers and event accounts, kept in step with the catalogue by the index's triggers.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { series } from '../../db/schema.js';
import { search } from '../../src/read/search.js';
import { appAt, at, loadedDb } from '../helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
let db: Db;
let app: Hono;
beforeAll(() => { db = loadedDb(NOW).db; app = appAt(db, NOW); });

const ids = (q: string) => search(db, q).map((h) => h.ref);

describe('search', () => {
  it('finds series by English words, a Chinese title, a topic and a publisher', () => {
    expect(ids('youth unemployment')).toContain(YOUTH);
    expect(ids('16-24')).toContain(YOUTH);
    expect(ids('失业率')).toContain(YOUTH);
    expect(ids('城镇')).toContain(YOUTH); // two characters: matched as a substring
    expect(ids('土地购置')).toContain('cn.nbs.real_estate.land_purchase_area.ytd');
    expect(ids('sentiment')).toContain('cn.nbs.consumer_confidence');
    expect(search(db, 'China Index Academy').some((h) => h.kind === 'series' && h.seriesId.startsWith('cn.china_index_academy'))).toBe(true);
  });

  it('finds events by their accounts, after the series', () => {
    const hits = search(db, 'suspends youth');
    expect(hits.some((h) => h.kind === 'event' && h.ref === 'cn-nbs-youth-1624-suspension-announced-2023-08-15')).toBe(true);
    const firstEvent = hits.findIndex((h) => h.kind === 'event');
    expect(hits.slice(firstEvent).every((h) => h.kind === 'event')).toBe(true);
  });

  it('follows the catalogue: a renamed series is found by its new title', () => {
    const { db: own } = loadedDb(NOW);
    own.update(series).set({ title: 'Zorblax rate' }).where(eq(series.id, YOUTH)).run();
    expect(search(own, 'zorblax').map((h) => h.ref)).toEqual([YOUTH]);
    expect(search(own, 'ages 16-24').map((h) => h.ref)).not.toContain(YOUTH);
  });

  it('treats quotes and operators as text, and answers nothing for nothing', () => {
    expect(search(db, '"')).toEqual([]);
    // FTS5 operators and quotes are searched as words, never parsed (no syntax error).
    expect(() => search(db, 'NOT OR * "unemploy AND (')).not.toThrow();
    expect(search(db, 'unemployment" OR "x').length).toBe(0);
    expect(search(db, '   ')).toEqual([]);
  });

  it('answers from every page header, as a page and as JSON', async () => {
    expect(await (await app.request('/gaps')).text()).toContain('<form class="site-search" method="get" action="/search" role="search">');
    const page = await (await app.request(`/search?q=${encodeURIComponent('城镇 16-24')}&utm_source=x`)).text();
    expect(page).toContain(`href="/series/${YOUTH}"`);
    const api = await (await app.request('/api/search?q=youth')).json() as { results: { id: string; url: string }[] };
    expect(api.results.find((r) => r.id === YOUTH)!.url).toBe(`/series/${YOUTH}`);
  });
});
