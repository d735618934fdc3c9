// Opens lacuna's pages in real headless Chromium: the board, and the youth unemployment page,
// where the suspension band must be drawn and clicking it must show its citation.
// Saves screenshots to artifacts/. Run: npm run test:browser (needs /usr/bin/chromium).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { parseConfig } from '../../src/app/config.js';
import { silentLogger } from '../../src/app/log.js';
import { start } from '../../src/app/start.js';

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
    const panel = await page.textContent('#citation-panel');
    assert.match(panel ?? '', /2023-08-15/);
    assert.match(panel ?? '', /ecns\.cn|globaltimes|rexun/);
    const events = await page.textContent('[data-testid="events"]');
    assert.match(events ?? '', /2023-08-15/);
    assert.match(events ?? '', /2024-01-17/);
    const periods = await page.textContent('[data-testid="periods"]');
    assert.match(periods ?? '', /Suspended/i);
    await page.screenshot({ path: join(out, 'youth-unemployment.png'), fullPage: true });
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

  assert.deepEqual(errors, [], 'the pages logged errors or fetched something outside lacuna');
  console.log(`${passed} passed, 0 failed`);
} finally {
  await browser.close();
  await running.close();
}
