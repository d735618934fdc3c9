// Feeds and alerts that tell the story: the catalogue's dated events are feed entries with their
// real dates; a source alert's chart link is not a broken anchor; a series alert's chart link
// reaches the chart.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { Db } from '../../db/client.js';
import { flips } from '../../db/schema.js';
import { buildMessage } from '../../src/alerts/message.js';
import { appAt, at, loadedDb } from '../helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';
const SITE = 'https://lacuna.example';
let db: Db;
let app: Hono;
beforeAll(() => { db = loadedDb(NOW).db; app = appAt(db, NOW, SITE); });

describe('feeds that tell the story', () => {
  it('gives the youth 16-24 feed its dated events, with their real dates, and a real <updated>', async () => {
    const xml = await (await app.request(`/series/${YOUTH}/feed.atom`)).text();
    expect(xml).not.toContain('1970-01-01');
    expect(xml).toContain('<updated>2024-01-17T00:00:00.000Z</updated>');
    expect(xml).toContain(`<id>${SITE}/events/cn-nbs-youth-1624-suspension-announced-2023-08-15</id>`);
    expect(xml).toContain('<published>2023-08-15T00:00:00.000Z</published>');
    expect(xml).toMatch(/<title type="html"><!\[CDATA\[Suspension announced: Urban surveyed unemployment rate, ages 16-24/);
    expect(xml).toContain(`${SITE}/series/${YOUTH}#event-cn-nbs-youth-1624-suspension-announced-2023-08-15`);
    const all = await (await app.request('/feed.atom')).text();
    expect((all.match(/<entry>/g) ?? []).length).toBeGreaterThan(10);
    const topic = await (await app.request('/topics/labour/feed.atom')).text();
    expect(topic).toContain('cn-nbs-youth-1624-suspension-announced-2023-08-15');
  });

  it('links a source alert to the alert, not to a "#flip-N#chart" anchor, and a series alert to the chart section', async () => {
    const id = db.insert(flips).values({ kind: 'source', publisherId: 'nbs', at: NOW, fromStatus: 'ok', toStatus: 'failing', reason: 'HTTP 503', alert: true }).returning({ id: flips.id }).get().id;
    const source = buildMessage(db, id, SITE);
    expect(source.links.chart).toBe(`${SITE}/alerts#flip-${id}`);
    const sid = db.insert(flips).values({ kind: 'status', seriesId: YOUTH, at: NOW, fromStatus: 'current', toStatus: 'suspended', reason: 'x', alert: true }).returning({ id: flips.id }).get().id;
    const series = buildMessage(db, sid, SITE);
    expect(series.links.chart).toBe(`${SITE}/series/${YOUTH}#chart`);
    expect(await (await app.request(`/series/${YOUTH}`)).text()).toContain('<section class="chart-section" id="chart"');
  });
});
