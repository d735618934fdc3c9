// Opens lacuna's pages in real headless Chromium: the board, and the youth unemployment page,
// where the suspension band must be drawn and clicking it must show its citation; every value of
// a chart drawn, year ticks, the calendar labelled and in the legend; every main page at phone
// width without horizontal overflow; axe-core finds no serious or critical violation.
// Saves screenshots to artifacts/. Run: npm run test:browser (needs /usr/bin/chromium and, for
// Chinese text, fonts-noto-cjk).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Page } from 'playwright-core';
import { parseConfig } from '../../src/app/config.js';
import { silentLogger } from '../../src/app/log.js';
import { start } from '../../src/app/start.js';
import { cancelledCatalogue, US_CPI } from '../fixtures/cancelled-catalogue.js';

const root = resolve(import.meta.dirname, '..', '..');
const out = join(root, 'artifacts');
mkdirSync(out, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'lacuna-browser-'));
const config = parseConfig({ PORT: '0', LACUNA_DB: join(tmp, 'lacuna.sqlite'), LACUNA_SCHEDULER: 'off' }, root);
const running = await start(config, silentLogger);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
});
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** Main pages: checked with axe-core and at phone width. */
const MAIN_PAGES = [
  '/', '/gaps', '/disclosure', '/calendar', '/alerts', '/statuses', '/search?q=unemployment',
  '/series/cn.nbs.unemployment.urban.age16_24', '/series/cn.nbs.real_estate.land_purchase_area.ytd', '/series/cn.nbs.consumer_confidence',
];

/** The serious and critical axe-core violations of the page, one line each. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated rather than added as a <script>: the pages' CSP refuses inline scripts, as it should.
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const result = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ['violations'] }));
  return (result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}, ${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** Waits for the Chart.js chart on a canvas to be drawn. */
async function chartReady(page: Page, selector: string): Promise<void> {
  await page.waitForFunction((sel) => {
    const c = document.querySelector(sel) as HTMLCanvasElement | null;
    return !!c && !!(window as any).Chart?.getChart(c);
  }, selector);
}

let passed = 0;
const check = async (name: string, fn: () => Promise<void>) => {
  await fn();
  passed++;
  console.log(`ok - ${name}`);
};

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('request', (r) => { if (!r.url().startsWith(running.url)) errors.push(`request outside lacuna: ${r.url()}`); });

  await check('the board lists every bundled series with its status', async () => {
    await page.goto(`${running.url}/`);
    const rows = page.locator('[data-testid="board"] tbody tr');
    assert.ok(await rows.count() >= 15, `expected the bundled series on the board, saw ${await rows.count()}`);
    assert.match(await page.textContent('body') ?? '', /Youth|youth/);
    assert.match(await page.textContent('body') ?? '', /gone dark/i);
    await page.screenshot({ path: join(out, 'board.png'), fullPage: true });
  });

  await check('the youth unemployment page draws the suspension band and shows its citation on click', async () => {
    await page.goto(`${running.url}/series/cn.nbs.unemployment.urban.age16_24`);
    await page.waitForFunction(() => {
      const c = document.querySelector('#series-chart') as HTMLCanvasElement | null;
      return !!c && !!(window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): unknown } }).Chart?.getChart(c);
    });
    // Clicked where a reader would: with the chart on screen (it starts below the fold on a page with a long header).
    await page.locator('#series-chart').scrollIntoViewIfNeeded();
    const band = await page.evaluate(() => {
      const canvas = document.querySelector('#series-chart') as HTMLCanvasElement;
      const chart = (window as any).Chart.getChart(canvas);
      const anns = Object.values(chart.options.plugins.annotation.annotations) as any[];
      const box = anns.find((a) => a.type === 'box' && /Suspended/.test(String(a.label?.content ?? a.id ?? '')));
      if (!box) return null;
      const x = chart.scales.x.getPixelForValue(box.xMin) / 2 + chart.scales.x.getPixelForValue(box.xMax) / 2;
      const y = (chart.chartArea.top + chart.chartArea.bottom) / 2;
      const r = canvas.getBoundingClientRect();
      return { x: r.left + x, y: r.top + y, lines: anns.filter((a) => a.type === 'line').length };
    });
    assert.ok(band, 'no suspension band among the chart annotations');
    assert.ok(band.lines >= 1, 'no method-break marker on the chart');
    await page.mouse.click(band.x, band.y);
    // The panel fills after the click is handled: wait for it to leave its invitation (or time out and say what it holds).
    await page.waitForFunction(() => !/^Click a shaded band/.test(document.querySelector('#citation-panel')?.textContent?.trim() ?? ''), undefined, { timeout: 5000 }).catch(() => {});
    const panel = await page.textContent('#citation-panel');
    assert.match(panel ?? '', /2023-08-15/);
    assert.match(panel ?? '', /ecns\.cn|globaltimes|rexun/);
    assert.match(panel ?? '', /Evidence\s*Official notice|Evidence\s*Media report/);
    const events = await page.textContent('[data-testid="events"]');
    assert.match(events ?? '', /2023-08-15/);
    assert.match(events ?? '', /2024-01-17/);
    const periods = await page.textContent('[data-testid="periods"]');
    assert.match(periods ?? '', /Suspended/i);
    await page.screenshot({ path: join(out, 'youth-unemployment.png'), fullPage: true });
    // The chart section with the citation panel open, as the README shows it.
    await page.locator('#chart').screenshot({ path: join(out, 'youth-unemployment-chart.png') });
    // The top of the page, chart and citation panel, as the README shows it.
    await page.screenshot({ path: join(out, 'youth-unemployment-top.png'), clip: { x: 0, y: 0, width: 1280, height: 900 } });
  });

  await check('the page works at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${running.url}/series/cn.nbs.unemployment.urban.age16_24`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than a phone screen`);
    await page.screenshot({ path: join(out, 'youth-unemployment-phone.png') });
  });

  await check('the alerts page lists the rules, the channels and the feeds', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${running.url}/alerts`);
    const text = await page.textContent('main');
    assert.match(text ?? '', /resumed/i);
    assert.match(text ?? '', /feed\.atom/);
    const feed = await page.evaluate(async () => (await fetch('/feed.atom')).headers.get('content-type'));
    assert.equal(feed, 'application/atom+xml; charset=utf-8');
    await page.screenshot({ path: join(out, 'alerts.png'), fullPage: true });
  });

  await check('the gaps timeline shows every series with its dark periods, and works at phone width', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${running.url}/gaps`);
    const total = (await page.evaluate(async () => (await (await fetch('/api/series?limit=1000')).json()).total)) as number;
    const rows = await page.locator('tr[data-series]').count();
    assert.equal(rows, total, `the timeline has ${rows} rows for ${total} series`);
    const youth = page.locator('tr[data-series="cn.nbs.unemployment.urban.age16_24"] rect[data-state="suspended"]');
    assert.equal(await youth.count(), 1, 'no suspended band on the youth unemployment row');
    assert.match((await youth.locator('title').textContent()) ?? '', /July 2023 – November 2023, Suspended — NBS suspends/);
    await page.screenshot({ path: join(out, 'gaps.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${running.url}/gaps`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the timeline page is ${overflow}px wider than a phone screen`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await check('the youth unemployment badge reads suspended, then resumed, with dates', async () => {
    // Shown as an embedding site would: an <img> on a page (opening the SVG alone makes the browser ask for /favicon.ico).
    await page.setContent(`<p><img id="b" src="${running.url}/badge/series/cn.nbs.unemployment.urban.age16_24.svg"></p>`);
    await page.waitForFunction(() => (document.getElementById('b') as HTMLImageElement).complete);
    assert.ok(await page.evaluate(() => (document.getElementById('b') as HTMLImageElement).naturalWidth > 0), 'the badge did not render');
    const text = await page.evaluate(async (u) => (await fetch(u)).text(), `${running.url}/badge/series/cn.nbs.unemployment.urban.age16_24.svg`);
    assert.match(text, /suspended Jul 2023/);
    assert.match(text, /resumed Dec 2023/);
    await page.screenshot({ path: join(out, 'badge.png') });
  });

  await check('a chart draws every value, a lone one between two gaps as a dot, with year ticks and the calendar labelled and in the legend', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${running.url}/series/cn.nbs.real_estate.land_purchase_area.ytd`);
    await chartReady(page, '#series-chart');
    const drawn = await page.evaluate(() => {
      const chart = (window as any).Chart.getChart(document.querySelector('#series-chart'));
      const meta = chart.getDatasetMeta(0);
      const values = chart.data.datasets[0].data as (number | null)[];
      // A value is drawn when its point has a radius or a line segment reaches it.
      const seen = values.flatMap((v, i) => (v === null ? [] : [{ i, v, r: meta.data[i].options.radius, joined: values[i - 1] != null || values[i + 1] != null }]));
      const ticks = chart.scales.x.ticks.map((t: { label: unknown }) => t.label).filter((l: unknown) => l !== null && l !== undefined && l !== '');
      const legend = chart.legend.legendItems.map((it: { text: string }) => it.text);
      const anns = Object.values(chart.options.plugins.annotation.annotations) as any[];
      const calendarLabels = anns.filter((a) => a.type === 'box' && a.borderDash && a.label?.display === true).length;
      return { seen, ticks, legend, calendarLabels, labels: chart.data.labels as string[] };
    });
    const visible = drawn.seen.filter((p) => p.r > 0 || p.joined);
    assert.equal(visible.length, 10, `drew ${visible.length} of the 10 land-purchase values`);
    const last = drawn.seen.at(-1)!;
    assert.equal(drawn.labels[last.i], '2021-12');
    assert.equal(last.v, 215.9);
    assert.ok(last.r > 0, 'the December 2021 value, between two gaps, has no dot');
    assert.ok(drawn.ticks.length >= 5 && drawn.ticks.every((t: string) => /^\d{4}$/.test(t)), `ticks are not years: ${drawn.ticks.join(' ')}`);
    assert.ok(drawn.calendarLabels >= 3, 'the calendar boxes have no labels');
    assert.ok(drawn.legend.some((t: string) => /Political calendar/.test(t)), `no calendar entry in the legend: ${drawn.legend.join(' | ')}`);
    for (const ext of ['png', 'svg']) {
      const href = await page.getAttribute(`.chart-downloads a[href*="chart.${ext}"]`, 'href');
      const type = await page.evaluate(async (u) => (await fetch(u!)).headers.get('content-type'), href);
      assert.match(type ?? '', ext === 'png' ? /^image\/png/ : /^image\/svg\+xml/);
    }
    await page.screenshot({ path: join(out, 'land-purchase.png'), clip: { x: 0, y: 0, width: 1280, height: 1100 }, fullPage: true });
  });

  await check('a series with no value says why and draws no empty value axis', async () => {
    await page.goto(`${running.url}/series/cn.nbs.consumer_confidence`);
    await chartReady(page, '#series-chart');
    assert.match(await page.textContent('[data-testid="empty-series"]') ?? '', /No value on record/);
    const axis = await page.evaluate(() => (window as any).Chart.getChart(document.querySelector('#series-chart')).options.scales.y.display);
    assert.equal(axis, false, 'an empty chart draws a value axis');
  });

  await check('the embedded chart shows its source and links back', async () => {
    await page.goto(`${running.url}/embed/series/cn.nbs.unemployment.urban.age16_24`);
    assert.match(await page.textContent('body') ?? '', /Data: National Bureau of Statistics of China/);
    assert.ok(await page.locator('a[href$="/series/cn.nbs.unemployment.urban.age16_24"]').count() >= 1);
  });

  await check('every main page fits a 390 px phone: no horizontal overflow, the board shows each status, the timeline scrolls in its box', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of MAIN_PAGES) {
      await page.goto(`${running.url}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${path} is ${overflow}px wider than a phone screen`);
    }
    await page.goto(`${running.url}/`);
    const off = await page.evaluate(() => Array.from(document.querySelectorAll('table.board tbody tr')).filter((tr) => {
      const b = tr.querySelector('[data-status]')!.getBoundingClientRect();
      return b.right > window.innerWidth || b.left < 0;
    }).length);
    assert.equal(off, 0, `${off} board rows have their status off-screen`);
    await page.screenshot({ path: join(out, 'board-phone.png') });
    await page.goto(`${running.url}/gaps`);
    const box = await page.evaluate(() => {
      const wrap = document.querySelector('.gap-group .table-wrap') as HTMLElement;
      const label = wrap.querySelector('th.gap-label') as HTMLElement;
      return { scrolls: wrap.scrollWidth > wrap.clientWidth, labelWidth: label.getBoundingClientRect().width, wrapWidth: wrap.clientWidth };
    });
    assert.ok(box.scrolls, 'the timeline does not scroll inside its box');
    assert.ok(box.labelWidth < box.wrapWidth / 2, `the series names take ${box.labelWidth}px of ${box.wrapWidth}px`);
    await page.screenshot({ path: join(out, 'gaps-phone.png') });
    await page.goto(`${running.url}/series/cn.nbs.unemployment.urban.age16_24`);
    await chartReady(page, '#series-chart');
    const clipped = await page.evaluate(() => {
      const chart = (window as any).Chart.getChart(document.querySelector('#series-chart'));
      return (chart.legend.legendHitBoxes as { left: number; width: number }[]).filter((b) => b.left < 0 || b.left + b.width > chart.width + 1).length;
    });
    assert.equal(clipped, 0, `${clipped} chart legend entries run past the chart`);
    await page.goto(`${running.url}/disclosure`);
    await chartReady(page, '#disclosure-chart-all');
    const crowded = await page.evaluate(() => {
      const chart = (window as any).Chart.getChart(document.querySelector('#disclosure-chart-all'));
      const x = chart.scales.x;
      const shown = x.ticks.map((t: { label: unknown }, i: number) => ({ label: t.label, px: x.getPixelForTick(i) })).filter((t: { label: unknown }) => t.label);
      return shown.slice(1).filter((t: { px: number }, i: number) => t.px - shown[i].px < 34).length;
    });
    assert.equal(crowded, 0, `${crowded} disclosure axis labels overlap their neighbour`);
    await page.click('figure[data-publisher="all"] a.chart-png');
    const png = await page.getAttribute('figure[data-publisher="all"] a.chart-png', 'href');
    assert.match(png ?? '', /^data:image\/png;base64,/, 'the disclosure chart offers no PNG');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await check('a cancelled period is struck out on the live chart and in the legend, and the page passes axe-core', async () => {
    // A second lacuna on the test catalogue of the US October 2025 CPI (BLS notice of 2025-11-21).
    const other = await start(parseConfig({
      PORT: '0', LACUNA_DB: join(tmp, 'cancelled.sqlite'), LACUNA_SCHEDULER: 'off', LACUNA_CATALOGUE: cancelledCatalogue(),
    }, root), silentLogger);
    try {
      const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await p.goto(`${other.url}/series/${US_CPI}`);
      await chartReady(p, '#series-chart');
      const band = await p.evaluate(() => {
        const chart = (window as any).Chart.getChart(document.querySelector('#series-chart'));
        const anns = Object.values(chart.options.plugins.annotation.annotations) as any[];
        const box = anns.find((a) => a.type === 'box' && /Cancelled/.test(String(a.label?.content ?? '')));
        return box ? { pattern: box.backgroundColor instanceof CanvasPattern } : null;
      });
      assert.deepEqual(band, { pattern: true }, 'the cancelled band is not drawn with its own pattern');
      assert.equal(await p.locator('.state-legend .swatch.state-cancelled.struck').count(), 1, 'no struck-out swatch in the legend');
      await p.locator('#chart').screenshot({ path: join(out, 'cancelled-period-chart.png') });
      assert.deepEqual(await axeViolations(p), []);
      await p.close();
    } finally {
      await other.close();
    }
  });

  await check('axe-core finds no serious or critical violation on the main pages', async () => {
    const found: string[] = [];
    for (const path of MAIN_PAGES) {
      await page.goto(`${running.url}${path}`);
      for (const v of await axeViolations(page)) found.push(`${path}: ${v}`);
    }
    assert.deepEqual(found, []);
  });

  await check('every page is served under a Content-Security-Policy that it satisfies (no violation logged)', async () => {
    for (const path of MAIN_PAGES) {
      const res = await page.goto(`${running.url}${path}`);
      assert.match((await res!.allHeaders())['content-security-policy'] ?? '', /script-src 'self'/, `${path} has no CSP`);
    }
    // Chromium logs a refused inline script or style as a console error: collected in `errors`.
  });

  assert.deepEqual(errors, [], 'the pages logged errors (CSP violations among them) or fetched something outside lacuna');
  console.log(`${passed} passed, 0 failed`);
} finally {
  await browser.close();
  await running.close();
}
