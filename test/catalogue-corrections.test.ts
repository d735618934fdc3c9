// The bundled catalogue where machine-readable sources contradicted it: the atlas keeps a claim
// with its citation, records the counter-evidence as a dated event with its own, and shows each
// period as the evidence supports (as of each date), never more.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { citations, events, series } from '../db/schema.js';
import { evaluateSeries } from '../src/core/index.js';
import { seriesFacts } from '../src/read/facts.js';
import { at, loadedDb } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const { db } = loadedDb(NOW);

function grid(id: string, when = NOW) {
  const row = db.select().from(series).where(eq(series.id, id)).get()!;
  return evaluateSeries(seriesFacts(db, row), when).grid;
}
const stateOf = (id: string, period: string, when = NOW) => grid(id, when).find((c) => c.period === period)?.state;
/** The series' events, each with its citations as one text (URL, title, quote) to search in. */
const eventsOf = (id: string) => db.select().from(events).where(eq(events.seriesId, id)).all().map((e) => ({
  ...e,
  citations: db.select().from(citations).where(eq(citations.eventId, e.id)).all().map((c) => [c.url, c.title, c.quote ?? ''].join(' | ')).join('\n'),
}));

describe('consumer confidence after March 2023', () => {
  const ID = 'cn.nbs.consumer_confidence';

  it('shows the months after March 2023 as released but not on record, no longer as discontinued', () => {
    expect(['2023-04', '2024-07', '2026-06'].map((p) => stateOf(ID, p))).toEqual(['unknown', 'unknown', 'unknown']);
    // As lacuna knew it before the counter-evidence (2024-09-05), the reported halt stood.
    expect(stateOf(ID, '2023-04', at('2024-06-01T00:00:00Z'))).toBe('discontinued');
  });

  it('keeps the reported halt as an unverified lead and cites the counter-evidence', () => {
    const byKind = Object.fromEntries(eventsOf(ID).map((e) => [e.kind, e]));
    expect(byKind.discontinued).toMatchObject({ date: '2023-08-20', confidence: 'unverified', periodFrom: '2023-04' });
    expect(byKind.resumed).toMatchObject({ date: '2024-09-05', confidence: 'partly_verified', periodFrom: '2023-04', periodTo: null });
    expect(byKind.resumed!.citations).toContain('https://web.lifelines.name/read/3683121c-5115-556b-bd18-92d55c210acd');
    expect(byKind.resumed!.citations).toContain('The figure is so bad it is a wonder the government still releases it.');
  });
});

describe('entrepreneur confidence from the fourth quarter of 2021', () => {
  const ID = 'cn.nbs.entrepreneur_confidence.quarterly';

  it('shows the last values, then the index dark from 2021-Q4 rather than from 2025', () => {
    const g = grid(ID);
    expect(g.filter((c) => c.state === 'disclosed').map((c) => [c.period, c.valueText])).toEqual([['2021-Q2', '126.00'], ['2021-Q3', '120.90']]);
    expect(['2021-Q4', '2022-Q2', '2024-Q4', '2025-Q1'].map((p) => stateOf(ID, p))).toEqual(['discontinued', 'discontinued', 'discontinued', 'discontinued']);
  });

  it('dates the earlier evidence, a secondary table, as partly verified and keeps the WSJ report beside it', () => {
    const dark = eventsOf(ID).find((e) => e.periodFrom === '2021-Q4')!;
    expect(dark).toMatchObject({ kind: 'discontinued', confidence: 'partly_verified', evidenceKind: 'inferred', dateApproximate: true });
    expect(dark.citations).toContain('github.com/akfamily/akshare/blob/15487206552b8e21e404cf8557e5537b6c0e4758/docs/data/macro/macro.md');
    expect(eventsOf(ID).find((e) => e.periodFrom === '2025-Q1')).toMatchObject({ kind: 'discontinued', date: '2025-05-05' });
  });
});

describe('Stock Connect northbound flows', () => {
  it('are watched live from the exchanges, turnover being what they still publish daily', () => {
    const source = (id: string) => JSON.parse(db.select().from(series).where(eq(series.id, id)).get()!.source ?? 'null') as { kind: string } | null;
    expect(source('cn.sse.stock_connect.northbound_daily_turnover')).toMatchObject({ kind: 'table', value_column: 'totalAmount', covers: 'listed', headers: { Referer: 'https://www.sse.com.cn/' } });
    expect(source('cn.szse.stock_connect.northbound_daily_turnover')).toMatchObject({ kind: 'szse', catalog: 'SGT_SGTJYRB' });
  });

  it('cite the machine-readable record of the end of daily net buying beside the reports of it', () => {
    for (const id of ['cn.sse.stock_connect.northbound_daily_net_buying', 'cn.szse.stock_connect.northbound_daily_net_buying']) {
      const ended = eventsOf(id).find((e) => e.kind === 'discontinued')!;
      expect(ended.citations).toContain('koala73/worldmonitor');
      expect(ended.citations).toContain('akfamily/akshare/issues/6394');
    }
  });
});
