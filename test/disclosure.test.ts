// The disclosure index through the HTTP app: the page, the CSV and the JSON on the bundled
// catalogue, and the board's headline. Figures are computed from the database, never hard-coded
// series totals (the catalogue grows).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client.js';
import { disclosureIndex } from '../src/core/disclosure.js';
import { disclosureHeadline } from '../src/read/disclosure.js';
import { refreshHeadline } from '../src/status/headline.js';
import { summaries } from '../db/schema.js';
import { evaluateSeriesInStore } from '../src/status/check.js';
import { recordValues } from '../db/record-values.js';
import { DisclosureHeadline } from '../web/pages/disclosure.js';
import { evaluateAll, getSeries } from '../src/read/read-model.js';
import { appAt, at, badParameter, loadedDb } from './helpers.js';

const NOW = at('2026-11-22T12:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const MINI = join(import.meta.dirname, 'fixtures', 'mini-catalogue');

interface Count { due: number; on_schedule: number; share: number | null }
interface Api {
  from: string; to: string; as_of: string | null;
  publishers: { id: string; name: string }[];
  months: { month: string; complete_at: string; overall: Count; access: Count; publishers: ({ publisher_id: string } & Count)[] }[];
}

const appFor = (db: Db, now = NOW) => appAt(db, now);

let db: Db;
let app: ReturnType<typeof appFor>;
beforeAll(() => {
  db = loadedDb(NOW).db;
  app = appFor(db);
});

async function api(query: string): Promise<Api> {
  const res = await app.request(`/api/disclosure?${query}`);
  expect(res.status).toBe(200);
  return await res.json() as Api;
}

const nbs = (m: Api['months'][number]) => m.publishers.find((p) => p.publisher_id === 'nbs')!;
const sum = (ms: Api['months'], pick: (m: Api['months'][number]) => Count) => {
  const due = ms.reduce((n, m) => n + pick(m).due, 0);
  return ms.reduce((n, m) => n + pick(m).on_schedule, 0) / due;
};

describe('the disclosure index', () => {
  it('falls for NBS in the months after youth unemployment went dark (from the July 2023 figure, due in August)', async () => {
    const body = await api('from=2023-03&to=2023-12');
    const before = body.months.filter((m) => m.month <= '2023-07');
    const after = body.months.filter((m) => m.month >= '2023-08');
    expect(before).toHaveLength(5);
    expect(after).toHaveLength(5);
    expect(sum(after, nbs)).toBeLessThan(sum(before, nbs));
  });

  it('counts the youth series on schedule in July 2023 (its June figure) and not in August 2023 (its suspended July)', () => {
    const youth = getSeries(db, YOUTH, NOW)!;
    const [july, august] = disclosureIndex([{ publisherId: 'nbs', grid: youth.evaluation.grid, timeZone: 'Asia/Shanghai' }], '2023-07', '2023-08');
    expect(july!.overall).toEqual({ due: 1, onSchedule: 1, share: 1 });
    expect(august!.overall).toEqual({ due: 1, onSchedule: 0, share: 0 });
  });

  it('sums the publishers into the overall figure and gives share = on schedule / due, null when nothing is due', async () => {
    const body = await api('from=2015-01&to=2026-10');
    expect(body.months).toHaveLength(12 * 11 + 10);
    for (const m of body.months) {
      expect(m.overall.due).toBe(m.publishers.reduce((n, p) => n + p.due, 0));
      expect(m.overall.on_schedule).toBe(m.publishers.reduce((n, p) => n + p.on_schedule, 0));
      for (const c of [m.overall, ...m.publishers]) expect(c.share).toBe(c.due ? c.on_schedule / c.due : null);
    }
    expect(body.publishers.map((p) => p.id)).toContain('nbs');
  });

  it('runs from January 2015 to the month of now by default', async () => {
    const body = await api('');
    expect([body.from, body.to, body.months[0]!.month, body.months.at(-1)!.month]).toEqual(['2015-01', '2026-11', '2015-01', '2026-11']);
  });

  it('answers as lacuna knew it on an as-of date: the range ends that month and later facts are hidden', async () => {
    const july = await api('as_of=2023-07-31&from=2023-07');
    expect(july.to).toBe('2023-07');
    expect(july.as_of).toBe('2023-07-31');
    // The suspension was announced on 2023-08-15: as of the end of August the July figure counts as due and withheld.
    const aug = await api('as_of=2023-08-31&from=2023-08');
    const youthOnly = disclosureIndex([{ publisherId: 'nbs', grid: getSeries(db, YOUTH, at('2023-08-31T23:59:59Z'))!.evaluation.grid }], '2023-08', '2023-08');
    expect(youthOnly[0]!.overall).toEqual({ due: 1, onSchedule: 0, share: 0 });
    expect(nbs(aug.months[0]!).due).toBeGreaterThan(nbs(aug.months[0]!).on_schedule);
  });

  it.each([
    ['/api/disclosure?from=2023-13', 'from'],
    ['/api/disclosure?to=2023', 'to'],
    ['/disclosure?from=2024-02&to=2024-01', 'from'],
    ['/disclosure.csv?as_of=2023-02-30', 'as_of'],
    ['/disclosure.csv?dl=yes', 'dl'],
    ['/api/disclosure?publisher=nbs', 'publisher'],
  ])('answers 400 naming the parameter for %s', async (path, parameter) => {
    const res = await app.request(path);
    expect(res.status).toBe(400);
    expect(await badParameter(res)).toBe(parameter);
  });
});

describe('the disclosure index by series', () => {
  it('weighs each series once a month, so daily access probes cannot swamp it, and counts them in their own index', async () => {
    const body = await api('from=2026-01&to=2026-10');
    const statistical = (await (await app.request('/api/series?limit=1000')).json() as { series: { id: string; topics: string[] }[] })
      .series.filter((s) => !s.topics.includes('access'));
    for (const m of body.months) {
      // At most one count per statistical series, however many of its periods fall due in the month.
      expect(m.overall.due, m.month).toBeLessThanOrEqual(statistical.length);
      expect(m.access.due, m.month).toBeGreaterThan(0);
      expect(m.access.due, m.month).toBeLessThanOrEqual(11);
    }
    // The bundled access series are all cut off: none is on schedule, and none drags "all publishers" down.
    expect(body.months.every((m) => m.access.on_schedule === 0)).toBe(true);
    const h = disclosureHeadline(db, NOW)!;
    // Before, the headline counted periods: "2 of 494", most of them the access series' days.
    expect(h.latest.due).toBeLessThanOrEqual(statistical.length);
  });
});

describe('the disclosure CSV', () => {
  it('has one row per month for all publishers and one per publisher, with the same numbers as the JSON, in CRLF lines', async () => {
    const [res, body] = await Promise.all([app.request('/disclosure.csv?from=2023-07&to=2023-08'), api('from=2023-07&to=2023-08')]);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBeNull();
    const text = await res.text();
    expect(text.startsWith('month,publisher_id,publisher,due,on_schedule,share\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n').slice(1, -1);
    expect(lines).toHaveLength(2 * (body.publishers.length + 2)); // all, each publisher, access
    const share = (c: Count) => (c.share === null ? '' : String(Math.round(c.share * 10_000) / 10_000));
    const aug = body.months[1]!;
    expect(lines).toContain(`2023-08,all,All publishers,${aug.overall.due},${aug.overall.on_schedule},${share(aug.overall)}`);
    expect(lines).toContain(`2023-08,nbs,National Bureau of Statistics of China,${nbs(aug).due},${nbs(aug).on_schedule},${share(nbs(aug))}`);
    expect(lines[0]!.startsWith('2023-07,all,')).toBe(true);
  });

  it('comes as an attachment with ?dl=1', async () => {
    const res = await app.request('/disclosure.csv?from=2023-07&to=2023-07&dl=1');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="lacuna-disclosure.csv"');
  });
});

describe('the disclosure page', () => {
  it('draws one chart per publisher plus one overall from embedded JSON, with a table of the same numbers and the definition', async () => {
    const [res, body] = await Promise.all([app.request('/disclosure?from=2023-01&to=2023-12'), api('from=2023-01&to=2023-12')]);
    expect(res.status).toBe(200);
    const html = await res.text();
    const canvases = [...html.matchAll(/<canvas id="disclosure-chart-([a-z0-9_.-]+)"/g)].map((m) => m[1]);
    expect(canvases).toEqual(['all', ...body.publishers.map((p) => p.id), 'access']);
    expect(html).toContain('<script src="/assets/chart.umd.min.js"></script>');
    expect(html).toContain('<script src="/assets/disclosure.js"></script>');
    const json = JSON.parse(/<script type="application\/json" id="disclosure-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as
      { months: string[]; charts: { id: string; share: (number | null)[]; due: number[] }[] };
    expect(json.months).toEqual(body.months.map((m) => m.month));
    expect(json.charts.find((c) => c.id === 'nbs')!.share).toEqual(body.months.map((m) => nbs(m).share));
    const aug = nbs(body.months.find((m) => m.month === '2023-08')!);
    const row = /<tr id="month-2023-08"[\s\S]*?<\/tr>/.exec(html)![0];
    expect(row).toContain(`<td data-publisher="nbs">${(Math.round(aug.share! * 1000) / 10).toFixed(1)}% <span class="muted">(${aug.on_schedule} of ${aug.due})</span></td>`);
    expect(html).toContain('a value that came only after the grace (marked <em>backfilled</em>) is not on schedule');
    expect(html).toContain('<div class="table-wrap" tabindex="0">');
  });

  it('serves its chart script from this server', async () => {
    const res = await app.request('/assets/disclosure.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(await res.text()).toContain('disclosure-data');
  });
});

describe('the board headline', () => {
  it('gives the latest complete month with something due and the same month a year earlier, as the JSON does', async () => {
    const h = disclosureHeadline(db, NOW)!;
    const body = await api('from=2024-01&to=2026-11');
    const complete = body.months.filter((m) => Date.parse(m.complete_at) <= NOW && m.overall.due > 0);
    expect(h.latest.month).toBe(complete.at(-1)!.month);
    const latest = body.months.find((m) => m.month === h.latest.month)!;
    expect(h.latest).toEqual({ month: latest.month, due: latest.overall.due, onSchedule: latest.overall.on_schedule, share: latest.overall.share });
    const earlier = body.months.find((m) => m.month === h.yearEarlier.month)!;
    expect(Number(h.latest.month.slice(0, 4)) - Number(h.yearEarlier.month.slice(0, 4))).toBe(1);
    expect(h.yearEarlier.month.slice(5)).toBe(h.latest.month.slice(5));
    expect(h.yearEarlier.onSchedule).toBe(earlier.overall.on_schedule);
  });

  it('renders as a sentence with both shares and a link to the index', () => {
    const h = disclosureHeadline(db, NOW)!;
    const html = String(DisclosureHeadline({ headline: h, asOf: '2026-11-01' }));
    expect(html).toContain(`(${h.latest.onSchedule} of ${h.latest.due} series)`);
    expect(html).toContain('href="/disclosure?as_of=2026-11-01"');
  });

  it('is read from the copy the status check keeps, recomputed only when an evaluation changed or a month settles', () => {
    const { db: own } = loadedDb(NOW);
    expect(refreshHeadline(own, NOW)).toBe(true); // none kept yet
    expect(refreshHeadline(own, NOW + 60_000)).toBe(false); // nothing evaluated since
    const kept = own.select().from(summaries).get()!;
    const marked = { ...JSON.parse(kept.value), latest: { ...JSON.parse(kept.value).latest, due: -1 } };
    own.update(summaries).set({ value: JSON.stringify(marked) }).run();
    expect(disclosureHeadline(own, NOW)!.latest.due).toBe(-1); // the board reads the kept copy
    expect(disclosureHeadline(own, NOW, { live: evaluateAll(own, NOW) })!.latest.due).not.toBe(-1); // as-of views compute
    expect(refreshHeadline(own, kept.validUntil!)).toBe(true); // a month settles
    own.update(summaries).set({ computedAt: NOW, validUntil: null }).run();
    // A fetch that finds nothing new re-evaluates the series: that is not a reason to recompute.
    evaluateSeriesInStore(own, { kind: 'ids', ids: [YOUTH] }, NOW + 60_000);
    expect(refreshHeadline(own, NOW + 120_000)).toBe(false);
    // A new value changes the series' evaluation.
    recordValues(own, YOUTH, [{ period: '2026-10', value: 17.3, valueText: '17.3' }], { origin: 'fetch', now: NOW + 180_000 });
    evaluateSeriesInStore(own, { kind: 'ids', ids: [YOUTH] }, NOW + 180_000);
    expect(refreshHeadline(own, NOW + 240_000)).toBe(true);
    expect(disclosureHeadline(own, NOW)!.latest.due).toBeGreaterThan(0);
  });

  it('is null when no month has anything due yet', () => {
    const early = at('2023-04-01T00:00:00Z');
    expect(disclosureHeadline(loadedDb(early, MINI).db, early)).toBeNull();
    expect(String(DisclosureHeadline({ headline: null }))).toBe('');
  });
});
