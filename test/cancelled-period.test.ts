// A period announced never to exist, through the store, the pages and the exports: the US October
// 2025 CPI (BLS notice of 2025-11-21) and the UK April 2025 producer price release (cancelled on
// GOV.UK), from test catalogues (test/fixtures/cancelled-catalogue.ts).
import { describe, expect, it } from 'vitest';
import { appAt, at, loadedDb } from './helpers.js';
import { cancelledCatalogue, UK_PPI, UK_PPI_CANCELLED, US_CPI, US_CPI_CANCELLED } from './fixtures/cancelled-catalogue.js';

const NOW = at('2025-12-01T12:00:00Z');
const { db } = loadedDb(NOW, cancelledCatalogue());
const app = appAt(db, NOW);
const text = async (url: string) => (await app.request(url)).text();

describe('a cancelled period in the exports', () => {
  it("is exported as cancelled with SDMX's M, lacuna's code, and the notice that set it", async () => {
    const rows = (await text(`/series/${US_CPI}.csv`)).split('\r\n');
    expect(rows).toContain(`${US_CPI},2025-10,,cancelled,M,,,,,${US_CPI_CANCELLED},lacuna,US`);
    const ppi = (await text(`/series/${UK_PPI}.csv`)).split('\r\n');
    expect(ppi).toContain(`${UK_PPI},2025-04,,cancelled,M,,,,,${UK_PPI_CANCELLED},lacuna,GB`);
  });

  it('answers the API with the state, the code and the event', async () => {
    const body = await (await app.request(`/api/series/${US_CPI}/observations`)).json() as { periods: { period: string; state: string; sdmx_obs_status: string; event_id: string | null }[] };
    expect(body.periods.find((p) => p.period === '2025-10')).toMatchObject({ state: 'cancelled', sdmx_obs_status: 'M', event_id: US_CPI_CANCELLED });
  });

  it('keeps the UK announcement with its stated reason, quoted', async () => {
    const body = await (await app.request(`/api/series/${UK_PPI}`)).json() as { events: { id: string; kind: string; description: string; citations: { quote: string | null }[] }[] };
    const e = body.events.find((x) => x.id === UK_PPI_CANCELLED)!;
    expect(e).toMatchObject({ kind: 'cancelled', description: expect.stringContaining('an aggregation error has been identified') });
    expect(e.citations[0]!.quote).toBe('The PPI will not be published on 21 May 2025 as an aggregation error has been identified.');
  });

  it('makes the series suspended (a gap the publisher announced), with no days overdue', async () => {
    const body = await (await app.request(`/api/series/${US_CPI}`)).json() as { status: string; days_overdue: number | null; reason: string };
    expect(body).toMatchObject({ status: 'suspended', days_overdue: null });
    expect(body.reason).toContain('October 2025 cancelled by the publisher');
  });
});

describe('a cancelled period on the pages', () => {
  it('is struck out on the series page and named in its legend', async () => {
    const html = await text(`/series/${US_CPI}`);
    expect(html).toContain('class="swatch state-cancelled struck"');
    expect(html).toMatch(/<strong>Cancelled<\/strong>: the publisher announced that this period will never be published[^<]*\(struck out\)/);
    expect(html).toContain('Cancelled (will never be published)');
  });

  it('draws its own pattern on the chart image and in its legend', async () => {
    const svg = await text(`/series/${US_CPI}/chart.svg`);
    expect(svg).toContain('<pattern id="hatch-cancelled"');
    expect(svg.match(/fill="url\(#hatch-cancelled\)"/g)!.length).toBeGreaterThanOrEqual(2); // the band and its legend swatch
  });

  it('has its own pattern on the gaps timeline and in its legend', async () => {
    const html = await text('/gaps?from=2025-01&to=2025-12');
    expect(html).toContain('<pattern id="gap-hlines"');
    expect(html).toMatch(/data-state="cancelled"><title>[^<]*October 2025, Cancelled — BLS: no October 2025 CPI/);
    expect(html).toMatch(/<rect width="28" height="12" class="gap-run state-cancelled"><\/rect><rect width="28" height="12" fill="url\(#gap-hlines\)"><\/rect><\/svg>Cancelled/);
  });

  it("is struck out in the board's sparkline", async () => {
    const html = await text('/');
    const row = html.slice(html.indexOf(`data-series="${US_CPI}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(/<g class="gap gap-cancelled"><title>October 2025: Cancelled<\/title>.*fill="url\(#spark-struck\)"/s);
    expect(html).toContain('<pattern id="spark-struck"');
  });

  it('has its word on /statuses', async () => {
    const html = await text('/statuses');
    expect(html).toMatch(/<div id="state-cancelled"><dt><code>cancelled<\/code> \(Cancelled\)<\/dt><dd>the publisher announced that this period will never be published/);
    expect(html).toMatch(/<div id="word-cancelled"><dt><strong>Cancelled<\/strong><\/dt><dd>\s*the publisher announced that a period will never be published/);
  });
});
