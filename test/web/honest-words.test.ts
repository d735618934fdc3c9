// Words a journalist could quote: "current" only when the latest period due is on record, a word
// of its own for a series with no record, no days overdue on a discontinued series, a glossary, a
// board that leads with the stories, and a series page that says why it is empty.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { appAt, at, loadedDb } from '../helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
let app: Hono;
beforeAll(() => { app = appAt(loadedDb(NOW).db, NOW); });

interface ApiSeries { id: string; status: string; last_disclosed: string | null; days_overdue: number | null; dark_since: string | null; reason: string }
const series = async (id: string) => await (await app.request(`/api/series/${id}`)).json() as ApiSeries;

describe('honest status words', () => {
  it('does not call an annual series last disclosed in 1999 current', async () => {
    const s = await series('cn.nbs.real_estate.land_purchase_area.annual');
    expect(s).toMatchObject({ status: 'unchecked', last_disclosed: '1999' });
    expect(s.reason).toContain('last disclosed 1999; no record since');
  });

  it('does not call a monthly series with no record for months current', async () => {
    const s = await series('cn.imf.total_reserves_excl_gold.monthly');
    expect(s.status).toBe('unchecked');
  });

  it('calls a series with no value and no event "no record", not "new"', async () => {
    const s = await series('cn.nbs.gdp.real_growth_yoy.quarterly');
    expect(s.status).toBe('no_record');
    const board = await (await app.request('/?sort=name')).text();
    const row = /<tr data-status="[a-z_]+" data-series="cn\.nbs\.gdp\.real_growth_yoy\.quarterly">[\s\S]*?<\/tr>/.exec(board)![0];
    expect(row).toContain('>No record</span>');
    expect(board).not.toContain('>New</span>');
  });

  it('gives a discontinued series no days overdue, in the API and on its page', async () => {
    const s = await series('cn.nbs.unemployment.urban.age16_24');
    expect(s).toMatchObject({ status: 'discontinued', dark_since: '2023-07', days_overdue: null });
    const page = await (await app.request('/series/cn.nbs.unemployment.urban.age16_24')).text();
    expect(page).not.toContain('<dt>Days overdue</dt>');
  });

  it('defines every status word for a reader, and links each status to its definition', async () => {
    const html = await (await app.request('/statuses')).text();
    for (const word of ['Current', 'Unchecked', 'Late', 'Overdue', 'Suspended', 'Discontinued', 'No record', 'Paused']) expect(html).toContain(`>${word}</span>`);
    expect(html).toContain('the latest period due has been disclosed, and lacuna holds that value');
    const page = await (await app.request('/series/cn.nbs.real_estate.land_purchase_area.annual')).text();
    expect(page).toContain('href="/statuses#status-unchecked"');
  });

  it('leads the board with the series that went dark most recently, and sorts by name on request', async () => {
    const board = await (await app.request('/')).text();
    const ids = [...board.matchAll(/<tr data-status="([a-z_]+)" data-series="([^"]+)"/g)].map((m) => ({ status: m[1]!, id: m[2]! }));
    const api = await (await app.request('/api/series?limit=1000')).json() as { series: ApiSeries & { due_at: string | null }[] };
    const dueOf = new Map((api.series as unknown as (ApiSeries & { due_at: string | null })[]).map((s) => [s.id, s.due_at]));
    const darkRows = ids.filter((r) => ['overdue', 'suspended', 'discontinued'].includes(r.status));
    expect(ids.slice(0, darkRows.length)).toEqual(darkRows); // the dark ones first
    const dues = darkRows.map((r) => dueOf.get(r.id)!);
    expect(dues).toEqual([...dues].sort().reverse()); // most recently dark first
    const byName = await (await app.request('/?sort=name')).text();
    const titles = [...byName.matchAll(/<th scope="row" class="series-cell">\s*<a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!);
    expect(titles.length).toBeGreaterThan(10);
    expect(titles).toEqual([...titles].sort());
  });

  it('says why a page has no values, whether or not lacuna reads a source for it, and draws no empty value axis', async () => {
    const unsourced = await (await app.request('/series/cn.nhc.covid19.asymptomatic_infections.daily')).text();
    expect(unsourced).toContain('data-testid="empty-series"');
    expect(unsourced).toContain('No values are bundled for this series and lacuna reads no source for it');
    // Consumer confidence is read live from Eastmoney's table, which has not been read here.
    const unread = await (await app.request('/series/cn.nbs.consumer_confidence')).text();
    expect(unread).toContain('data-testid="empty-series"');
    expect(unread).toContain('lacuna reads this series from its source (table) but holds no value from it yet: the source has not been read.');
  });
});
