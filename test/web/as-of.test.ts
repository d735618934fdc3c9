// As of a date, the page tells only what was known then: text the catalogue holds today
// (descriptions, notes, event accounts) is folded away and marked as written later, citations
// published later are left out, and a successor launched later is not shown.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { appAt, at, loadedDb } from '../helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
let app: Hono;
beforeAll(() => { app = appAt(loadedDb(NOW).db, NOW); });

/** The page without the blocks marked as written later. */
const outsideLater = (html: string) => html.replace(/<details class="written-later[\s\S]*?<\/details>/g, '');

describe('an as-of page', () => {
  it('does not say, under its as-of banner, that youth unemployment resumed in January 2024', async () => {
    const html = await (await app.request(`/series/${YOUTH}?as_of=2023-09-01`)).text();
    expect(html).toContain('As of 2023-09-01');
    expect(outsideLater(html)).not.toMatch(/January 2024|2024-01/);
    expect(html).toContain('Written later: today&#39;s text, which may tell of events after 2023-09-01');
    // Today's page says it plainly.
    expect(await (await app.request(`/series/${YOUTH}`)).text()).toContain('resumed in January 2024');
  });

  it('leaves out a successor lacuna had no record of then, and citations published later', async () => {
    const html = await (await app.request(`/series/${YOUTH}?as_of=2023-09-01`)).text();
    expect(html).not.toContain('/series/cn.nbs.unemployment.urban.age16_24_excl_students');
    const citationDates = [...outsideLater(html).matchAll(/<time datetime="(\d{4}-\d{2}-\d{2})">/g)].map((m) => m[1]!);
    expect(citationDates.every((d) => d <= '2023-09-01')).toBe(true);
  });

  it('omits today\'s description and notes from the as-of JSON', async () => {
    const body = await (await app.request(`/api/series/${YOUTH}?as_of=2023-09-01`)).json() as Record<string, unknown>;
    expect(body).toMatchObject({ description: null, notes: null, later_text_omitted: true });
    expect(JSON.stringify(body)).not.toContain('January 2024');
    const events = (body as { events: { description: string | null; citations: { date: string | null }[] }[] }).events;
    expect(events.every((e) => e.description === null && e.citations.every((c) => !c.date || c.date <= '2023-09-01'))).toBe(true);
  });
});
