// Stable addresses an article can cite: events and periods (gaps) redirect to their anchor on the
// series page, the page carries those anchors with a visible "#" link, and an event is also
// served as JSON with its citations.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client.js';
import type { createApp } from '../web/app.js';
import { appAt, at, badParameter, loadedDb } from './helpers.js';

const NOW = at('2026-11-22T12:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const SUSPENSION = 'cn-nbs-youth-1624-suspension-announced-2023-08-15';

let db: Db;
let app: ReturnType<typeof createApp>;
beforeAll(() => {
  db = loadedDb(NOW).db;
  app = appAt(db, NOW);
});

describe('event permalinks', () => {
  it('redirect /events/:id to the event on its series page', async () => {
    const res = await app.request(`/events/${SUSPENSION}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/series/${YOUTH}#event-${SUSPENSION}`);
  });

  it('land on an anchor that the series page carries, with a visible # link', async () => {
    const html = await (await app.request(`/series/${YOUTH}`)).text();
    expect(html).toContain(`id="event-${SUSPENSION}"`);
    expect(html).toMatch(new RegExp(`<a class="permalink" href="#event-${SUSPENSION}"[^>]*>#</a>`));
  });

  it('keep the as-of date, and know no event before it happened', async () => {
    const later = await app.request(`/events/${SUSPENSION}?as_of=2023-09-01`);
    expect(later.headers.get('location')).toBe(`/series/${YOUTH}?as_of=2023-09-01#event-${SUSPENSION}`);
    expect((await app.request(`/events/${SUSPENSION}?as_of=2023-08-01`)).status).toBe(404);
  });

  it('answer 404 for an unknown event', async () => {
    const res = await app.request('/events/no-such-event');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('no-such-event');
  });

  it('serve the event with its citations as JSON', async () => {
    const events = await (await app.request(`/api/events?series=${YOUTH}`)).json() as { events: { id: string }[] };
    const res = await app.request(`/api/events/${SUSPENSION}`);
    expect(res.status).toBe(200);
    const body = await res.json() as Record<string, unknown> & { citations: { url: string; quote: string | null }[] };
    expect(body).toMatchObject({
      ...events.events.find((e) => e.id === SUSPENSION), id: SUSPENSION, series_id: YOUTH, kind: 'suspension_announced', date: '2023-08-15',
      period_from: '2023-07', period_to: '2023-11', series_url: `/series/${YOUTH}#event-${SUSPENSION}`,
    });
    expect(body.citations[0]).toMatchObject({
      url: 'https://icebox.rexun.cn/yaowen/2023/0815/0815113189.html', quote: '自今年8月份开始，全国青年人等分年龄段的城镇调查失业率将暂停发布',
    });
  });

  it.each(['/api/events/no-such-event', `/api/events/${SUSPENSION}?as_of=2023-08-14`])('answer 404 JSON for an unknown event at %s', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect((await res.json() as { error: string }).error).toMatch(/^unknown event: /);
  });
});

describe('period and gap permalinks', () => {
  it('redirect /gaps/:seriesId/:period to the period\'s row on the series page', async () => {
    const res = await app.request(`/gaps/${YOUTH}/2023-07`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/series/${YOUTH}#period-2023-07`);
    expect((await app.request(`/gaps/${YOUTH}/2023-06?as_of=2023-08-01`)).headers.get('location'))
      .toBe(`/series/${YOUTH}?as_of=2023-08-01#period-2023-06`);
  });

  it('give every row of the periods table an anchor and a visible # link', async () => {
    const grid = await (await app.request(`/api/series/${YOUTH}/observations`)).json() as { periods: { period: string }[] };
    const html = await (await app.request(`/series/${YOUTH}`)).text();
    const table = /<table class="periods"[\s\S]*?<\/table>/.exec(html)![0];
    const anchors = [...table.matchAll(/<tr [^>]*id="period-([^"]+)"/g)].map((m) => m[1]);
    expect(anchors).toEqual(grid.periods.map((p) => p.period).reverse());
    expect(table).toMatch(/<a class="permalink" href="#period-2023-07"[^>]*>#<\/a>/);
  });

  it.each([
    ['an unknown series', '/gaps/no.such.series/2023-07'],
    ['a period the series does not have', `/gaps/${YOUTH}/2017-12`],
    ['a malformed period', `/gaps/${YOUTH}/2023-Q3`],
  ])('answer 404 for %s', async (_what, path) => {
    expect((await app.request(path)).status).toBe(404);
  });

  it('answer 400 naming a bad as_of', async () => {
    const res = await app.request(`/gaps/${YOUTH}/2023-07?as_of=soon`);
    expect(res.status).toBe(400);
    expect(await badParameter(res)).toBe('as_of');
  });
});
