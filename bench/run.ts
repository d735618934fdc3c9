// npm run bench: lacuna against baselines measured in the same run, on a synthetic catalogue of
// BENCH_SERIES monthly series over BENCH_YEARS years (default 10,000 x 30: 3.6 million periods)
// with gaps, suspensions, method breaks and revisions. Prints a table; writes artifacts/bench.json;
// deletes its temporary database unless BENCH_KEEP=1.
// Not part of npm test: tests check behaviour, this checks speed.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { request } from 'undici';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { openDb, type Db } from '../db/client.js';
import { recordValues, type IncomingValue } from '../db/record-values.js';
import { citations, events, publishers, series } from '../db/schema.js';
import { evaluateSeriesInSlices, evaluateSeriesInStore } from '../src/status/check.js';
import { periodRange } from '../src/core/index.js';
import { createApp } from '../web/app.js';
import { refreshHeadline } from '../src/status/headline.js';

const N = Number(process.env.BENCH_SERIES ?? 10_000);
const YEARS = Number(process.env.BENCH_YEARS ?? 30);
const NOW = Date.parse('2026-11-01T00:00:00Z');
const FIRST = `${2026 - YEARS}-10`;
const PERIODS = periodRange(FIRST, '2026-09', 'monthly');

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same data. */
function rng(seed: number) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const id = (i: number) => `bench.s${String(i).padStart(5, '0')}`;

function valuesOf(i: number, revised = false): IncomingValue[] {
  const r = rng(i + 1);
  const stopAt = i % 10 === 0 ? Math.floor(PERIODS.length * (0.5 + r() / 2)) : PERIODS.length; // a tenth stop
  const out: IncomingValue[] = [];
  let level = 100 * (1 + r());
  for (let k = 0; k < stopAt; k++) {
    level *= 1 + (r() - 0.5) / 50;
    if (r() < 0.02) continue; // a missing month now and then
    const v = revised && k % 97 === i % 97 ? level * 1.01 : level; // about 1% revised on the second pass
    const text = v.toFixed(2);
    out.push({ period: PERIODS[k]!, value: Number(text), valueText: text });
  }
  return out;
}

function setup(db: Db): void {
  db.insert(publishers).values({ id: 'bench', name: 'Synthetic benchmark publisher', timeZone: 'Asia/Shanghai' }).run();
  const rule = JSON.stringify({ lagDays: 17, time: '10:00', timeZone: 'Asia/Shanghai', graceDays: 7, janFebCombined: true, calendar: {} });
  db.transaction((tx) => {
    for (let i = 0; i < N; i++) {
      tx.insert(series).values({
        id: id(i), publisherId: 'bench', title: `Synthetic series ${i}`, unit: 'index', frequency: 'monthly', topics: '["bench"]',
        releaseRule: rule, gridFrom: FIRST, recordFrom: FIRST, checkedAt: NOW,
      }).run();
      if (i % 10 === 0) { // a suspension with its citation, and every 25th a method break
        tx.insert(events).values({ id: `bench-e${i}`, seriesId: id(i), kind: 'suspension_announced', date: '2024-01-15', periodFrom: '2023-12', title: 'Synthetic suspension', evidenceKind: 'inferred', confidence: 'unverified', origin: 'catalogue', recordedAt: NOW }).run();
        tx.insert(citations).values({ eventId: `bench-e${i}`, position: 0, url: 'https://example.org/synthetic', title: 'Synthetic', publisher: 'bench' }).run();
      }
      if (i % 25 === 0) tx.insert(events).values({ id: `bench-m${i}`, seriesId: id(i), kind: 'method_change', date: '2010-02-01', periodFrom: '2010-01', title: 'Synthetic method change', evidenceKind: 'inferred', confidence: 'unverified', origin: 'catalogue', recordedAt: NOW }).run();
    }
  });
}

/** Latencies (ms) of the answers a load-generator thread got in `seconds` over `connections`. */
async function load(opts: { base: string; paths: string[]; headers: Record<string, string>; seconds: number; connections: number }): Promise<number[]> {
  const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData: opts });
  const [{ latencies, failure }] = await once(worker, 'message') as [{ latencies: number[]; failure: string | null }];
  await worker.terminate();
  if (failure) throw new Error(`bench load: ${failure}`);
  return latencies;
}

const time = <T>(f: () => T): [T, number] => { const t = performance.now(); const r = f(); return [r, performance.now() - t]; };
const timeAsync = async <T>(f: () => Promise<T>): Promise<[T, number]> => { const t = performance.now(); const r = await f(); return [r, performance.now() - t]; };

/** Downloads a CSV, counting its rows, and the growth of this process's peak memory meanwhile. */
async function download(url: string): Promise<{ rows: number; ms: number; growMb: number }> {
  let peak = process.memoryUsage().rss;
  const before = peak;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const [rows, ms] = await timeAsync(async () => {
    const res = await fetch(url);
    let lines = 0;
    // Lines counted with indexOf (memchr), so the client in this same process costs little.
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    }
    return lines - 1;
  });
  clearInterval(sampler);
  return { rows, ms, growMb: (peak - before) / 1048576 };
}

interface Row { what: string; ours: string; baseline: string; ratio: number | null; target: string; met: boolean | null }
const rows: Row[] = [];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lacuna-bench-'));
  const file = join(dir, 'bench.sqlite');
  const db = openDb(file);
  setup(db);
  console.error(`lacuna bench: ${N} series x ${PERIODS.length} months in ${file}`);

  // 1. Ingest with vintage tracking, against a bare prepared insert of the same rows.
  let all: IncomingValue[][] | null = Array.from({ length: N }, (_, i) => valuesOf(i));
  const total = all!.reduce((n, v) => n + v.length, 0);
  const [, ingestMs] = time(() => db.transaction((tx) => {
    all!.forEach((vals, i) => recordValues(tx as unknown as Db, id(i), vals, { origin: 'import', now: NOW }));
  }));
  db.$client.exec('CREATE TABLE bare (series_id TEXT, period TEXT, value REAL, value_text TEXT, first_seen_at INTEGER)');
  const ins = db.$client.prepare('INSERT INTO bare VALUES (?, ?, ?, ?, ?)');
  const [, bareMs] = time(() => db.$client.transaction(() => {
    all!.forEach((vals, i) => { for (const v of vals) ins.run(id(i), v.period, v.value, v.valueText, NOW); });
  })());
  all = null; // 3.6 million objects the later steps must not carry through their collections
  const [, reviseMs] = time(() => db.transaction((tx) => {
    for (let i = 0; i < N; i++) recordValues(tx as unknown as Db, id(i), valuesOf(i, true), { origin: 'import', now: NOW + 1 });
  }));
  rows.push({ what: `ingest ${fmt(total)} values with vintage tracking`, ours: `${fmt(total / ingestMs * 1000)} rows/s`, baseline: `${fmt(total / bareMs * 1000)} rows/s (bare prepared insert)`, ratio: bareMs / ingestMs, target: '>= 0.6x', met: bareMs / ingestMs >= 0.6 });
  rows.push({ what: 'second pass with ~1% revisions', ours: `${fmt(total / reviseMs * 1000)} rows/s`, baseline: '-', ratio: null, target: '-', met: null });

  // 2. Full recompute of every grid and status, against a bare iteration over the same rows.
  const [, fullMs] = time(() => evaluateSeriesInStore(db, { kind: 'all' }, NOW));
  const [, iterMs] = time(() => { let n = 0; for (const _ of db.$client.prepare('SELECT * FROM observations').iterate()) n++; return n; });
  rows.push({ what: `full recompute (${fmt(N * PERIODS.length)} periods)`, ours: `${fmt(fullMs)} ms`, baseline: `${fmt(iterMs)} ms (bare iteration)`, ratio: iterMs / fullMs, target: '>= 0.6x', met: iterMs / fullMs >= 0.6 });

  // 3. Incremental check after one series' fetch.
  // The median of seven, each a different series: one timing of a few milliseconds is noise.
  const incs = [7, 1007, 2007, 3007, 4007, 5007, 6007].map((k) => time(() => evaluateSeriesInStore(db, { kind: 'ids', ids: [id(k % N)] }, NOW)));
  const [inc, incMs] = incs.sort((a, b) => a[1] - b[1])[3]!;
  rows.push({ what: 'incremental check of one series', ours: `${incMs.toFixed(1)} ms, ${inc.evaluated} series`, baseline: `${fmt(fullMs)} ms (full)`, ratio: incMs / fullMs, target: '< 1/1000 of full', met: inc.evaluated === 1 && incMs / fullMs < 0.001 });

  // The board's headline over every series, which the status check recomputes after evaluating.
  const [, headlineMs] = time(() => refreshHeadline(db, NOW));
  rows.push({ what: "status check's headline refresh (all series)", ours: `${fmt(headlineMs)} ms`, baseline: '-', ratio: null, target: '-', met: null });
  // What the stored answers cost on disk (the README quotes it).
  const sizes = db.$client.prepare('SELECT avg(length(observations_gz)) AS obs, avg(length(csv_gz)) AS csv, sum(length(observations_gz) + length(csv_gz)) AS total FROM series_answers')
    .get() as { obs: number; csv: number; total: number };
  rows.push({
    what: 'stored answers (gzip), per series', ours: `${(sizes.obs / 1024).toFixed(1)} KB API + ${(sizes.csv / 1024).toFixed(1)} KB CSV`,
    baseline: `${fmt(sizes.total / 1048576)} MB in all`, ratio: null, target: '-', met: null,
  });

  // 4-6. Over HTTP, on a real server on loopback.
  const app = createApp({ db, now: () => NOW });
  app.get('/__bare', (c) => c.json({ ok: true }));
  // Static assets of the pages' sizes, held in memory and sent as they are, as /assets/ sends
  // lacuna's own scripts: the baseline of the readers-at-scale rows.
  const statics = new Map<string, Uint8Array>();
  app.get('/__static/:name', (c) => c.body(statics.get(c.req.param('name'))! as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/octet-stream' }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!;
  await new Promise((ok) => server.once('listening', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { rows: exported, ms: exportMs, growMb } = await download(`${base}/export.csv`);
  let sqliteRate: number | null = null;
  try {
    execFileSync('sh', ['-c', 'command -v sqlite3'], { stdio: 'ignore' });
    const t = performance.now();
    await new Promise<void>((ok, fail) => {
      const p = spawn('sqlite3', ['-csv', file, 'SELECT series_id, period, value_text FROM observations WHERE superseded_at IS NULL'], { stdio: ['ignore', 'ignore', 'inherit'] });
      p.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`sqlite3 exited ${code}`))));
    });
    sqliteRate = total / ((performance.now() - t) / 1000);
  } catch { /* no sqlite3 on this machine */ }
  const ourRate = exported / (exportMs / 1000);
  rows.push({
    what: `/export.csv over HTTP (${fmt(exported)} rows)`, ours: `${fmt(ourRate)} rows/s, RSS +${growMb.toFixed(0)} MB`,
    baseline: sqliteRate ? `${fmt(sqliteRate)} rows/s (sqlite3 -csv)` : 'sqlite3 not installed (apt-get install sqlite3)',
    ratio: sqliteRate ? ourRate / sqliteRate : null, target: '>= 0.5x, < 100 MB', met: sqliteRate ? ourRate / sqliteRate >= 0.5 && growMb < 100 : null,
  });

  // The load generator runs in a thread of its own (bench/load-worker.mjs), as wrk or autocannon
  // run in a process of their own, so the server's thread is billed for the server's work only.
  // Every path takes one warm-up round, then rounds taken in turn, so that neither side gets the
  // quieter moments of the run (the collector still settling after the export, another process).
  const rps = async (loads: [paths: string[], headers: Record<string, string>][], connections = 2, rounds = 4, seconds = 1) => {
    for (const [paths, headers] of loads) await load({ base, paths, headers, seconds: 0.5, connections });
    const counts = loads.map(() => 0);
    for (let r = 0; r < rounds; r++) {
      for (const [i, [paths, headers]] of loads.entries()) counts[i]! += (await load({ base, paths, headers, seconds, connections })).length;
    }
    return counts.map((n) => n / (rounds * seconds));
  };
  // Every request asks for another series, so no answer is read twice in a row.
  const obsPaths = Array.from({ length: N }, (_, n) => `/api/series/${id((n * 7919) % N)}/observations`);
  const gzip = { 'accept-encoding': 'gzip' };
  // A client that does not accept gzip gets the answer inflated by the server: shown, no target.
  const [obsRps, bareRps, plainRps] = await rps([[obsPaths, gzip], [['/__bare'], gzip], [obsPaths, { 'accept-encoding': 'identity' }]]) as [number, number, number];
  rows.push({ what: '/api/series/:id/observations, 2 connections', ours: `${fmt(obsRps)} req/s`, baseline: `${fmt(bareRps)} req/s (bare Hono route)`, ratio: obsRps / bareRps, target: '>= 0.6x', met: obsRps / bareRps >= 0.6 });
  rows.push({ what: '  the same, client refusing gzip', ours: `${fmt(plainRps)} req/s`, baseline: `${fmt(bareRps)} req/s`, ratio: plainRps / bareRps, target: '-', met: null });

  // Never frozen: one client asks for series one after another while the server's status check
  // recomputes every series (each made due), a slice at a time; the 99th percentile of its waits.
  const seriesPath = (n: number) => `/api/series/${id((n * 7919) % N)}`;
  const idle: number[] = [];
  for (let i = 0; i < 200; i++) idle.push((await timeAsync(async () => (await request(base + seriesPath(i))).body.arrayBuffer()))[1]);
  db.$client.prepare('UPDATE series SET next_check_at = NULL').run();
  let recomputing = true;
  const recompute = timeAsync(() => evaluateSeriesInSlices(db, { kind: 'due' }, NOW)).finally(() => { recomputing = false; });
  const during: number[] = [];
  for (let i = 0; recomputing; i++) during.push((await timeAsync(async () => (await request(base + seriesPath(i))).body.arrayBuffer()))[1]);
  const [, sliceRecomputeMs] = await recompute;
  const p99During = p99(during);
  rows.push({
    what: `/api/series/:id during a full recompute (${fmt(sliceRecomputeMs)} ms, ${fmt(during.length)} requests)`,
    ours: `p99 ${p99During.toFixed(0)} ms`, baseline: `p99 ${p99(idle).toFixed(0)} ms (no recompute)`, ratio: null, target: 'p99 < 200 ms', met: p99During < 200,
  });
  // The as-of board: every series evaluated as of a past date (the first request for that date).
  const [, asOfBoardMs] = await timeAsync(async () => (await fetch(`${base}/?as_of=2024-06-30`)).text());
  rows.push({ what: `the as-of board, ${fmt(N)} series`, ours: `${fmt(asOfBoardMs)} ms`, baseline: '-', ratio: null, target: '< 2,000 ms', met: asOfBoardMs < 2000 });

  // Server time per page: the median of five requests for the first page.
  const boardTimes: number[] = [];
  for (let i = 0; i < 5; i++) boardTimes.push((await timeAsync(async () => (await fetch(`${base}/`)).text()))[1]);
  const boardMs = boardTimes.sort((a, b) => a - b)[2]!;
  rows.push({ what: `the board, ${fmt(N)} series (first page)`, ours: `${fmt(boardMs)} ms`, baseline: '-', ratio: null, target: '< 100 ms', met: boardMs < 100 });

  // Pages that read every series, measured without a target so that a regression shows.
  const gapsTimes: number[] = [];
  for (let i = 0; i < 5; i++) gapsTimes.push((await timeAsync(async () => (await fetch(`${base}/gaps`)).text()))[1]);
  rows.push({ what: 'the gaps timeline (first page)', ours: `${fmt(gapsTimes.sort((a, b) => a - b)[2]!)} ms`, baseline: '-', ratio: null, target: '-', met: null });
  const gaps = await download(`${base}/gaps.csv`);
  rows.push({
    what: `/gaps.csv (${fmt(gaps.rows)} rows, 2015 on)`, ours: `${fmt(gaps.rows / (gaps.ms / 1000))} rows/s, RSS +${gaps.growMb.toFixed(0)} MB`,
    baseline: '-', ratio: null, target: '-', met: null,
  });
  const [, disclosureMs] = await timeAsync(async () => (await fetch(`${base}/disclosure`)).text());
  rows.push({ what: '/disclosure (every series, 2015 on)', ours: `${fmt(disclosureMs)} ms`, baseline: '-', ratio: null, target: '-', met: null });
  // Readers at scale: 50 connections on a page (kept, gzip-compressed) and on a static file of the
  // same size from the same server, in alternating rounds; requests/s and the 99th percentile.
  const load50 = (path: string, seconds: number) => load({ base, paths: [path], headers: gzip, seconds, connections: 50 });
  const pagesToTest: [string, string][] = [['the board', '/'], ['a series page', `/series/${id(10)}`], ['the gaps timeline', '/gaps']];
  for (const [name, path] of pagesToTest) {
    const first = await request(base + path, { headers: gzip });
    const size = (await first.body.arrayBuffer()).byteLength;
    statics.set(`${name.replace(/\W+/g, '-')}.bin`, new Uint8Array(randomBytes(size)));
    const staticPath = `/__static/${name.replace(/\W+/g, '-')}.bin`;
    await load50(path, 0.5);
    await load50(staticPath, 0.5); // warm both
    const ours: number[] = [];
    const bare: number[] = [];
    const rounds = 3;
    const seconds = 2;
    for (let r = 0; r < rounds; r++) {
      ours.push(...await load50(path, seconds));
      bare.push(...await load50(staticPath, seconds));
    }
    const ourRps = ours.length / (rounds * seconds);
    const bareRps = bare.length / (rounds * seconds);
    const ourP99 = p99(ours);
    rows.push({
      what: `${name}, 50 connections (${(size / 1024).toFixed(0)} KB gzip)`,
      ours: `${fmt(ourRps)} req/s, p99 ${ourP99.toFixed(0)} ms`,
      baseline: `${fmt(bareRps)} req/s, p99 ${p99(bare).toFixed(0)} ms (static file)`,
      ratio: ourRps / bareRps, target: '>= 0.5x, p99 < 100 ms', met: ourRps / bareRps >= 0.5 && ourP99 < 100,
    });
  }
  server.close();
  db.$client.close();
  // The database is most of a gigabyte: kept only when asked for (BENCH_KEEP=1).
  if (process.env.BENCH_KEEP === '1') console.error(`lacuna bench: kept ${file}`);
  else rmSync(dir, { recursive: true, force: true });

  const widths = [44, 30, 44, 8, 18, 5];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(`lacuna bench, ${cpus().length} cores, node ${process.version}, ${N} series x ${PERIODS.length} months`);
  console.log(line(['what', 'lacuna', 'baseline', 'ratio', 'target', 'met']));
  for (const r of rows) console.log(line([r.what, r.ours, r.baseline, r.ratio === null ? '-' : `${r.ratio < 0.01 ? r.ratio.toExponential(1) : r.ratio.toFixed(2)}x`, r.target, r.met === null ? '-' : r.met ? 'yes' : 'NO']));
  mkdirSync('artifacts', { recursive: true });
  writeFileSync('artifacts/bench.json', JSON.stringify({ cores: cpus().length, node: process.version, series: N, months: PERIODS.length, rows }, null, 2));
}

await main();
