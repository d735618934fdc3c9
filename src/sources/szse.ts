// The Shenzhen Stock Exchange's report service: `GET /api/report/ShowReport/data?SHOWTYPE=JSON&
// CATALOGID=..&TABKEY=..&txtDate=YYYY-MM-DD` (with the exchange's Referer). A report answers as a list
// of tabs; a one-day "vertical" report such as 深股通交易日报 (SGT_SGTJYRB) lists that day as
// {label, total} rows, the day in `metadata.subname`. A day not published yet, or not a trading day,
// comes back with no rows and a blank subname: the plug-in then asks for the day before (paging),
// up to lookback_days, so a read on a Sunday or in the Spring Festival still finds the last trading day.
import { z } from 'zod';
import { formatDay, localDay, parseDay } from '../core/index.js';
import { SourceError, parseJson, publisherError, unexpectedShape } from './errors.js';
import type { ParsedPage, SourceAnswer, SourceContext, SourcePlugin, SourceRequest } from './types.js';

export const szseRef = z.strictObject({
  catalog: z.string().regex(/^[A-Za-z0-9_]+$/, 'a CATALOGID such as SGT_SGTJYRB'),
  tab: z.string().regex(/^tab\d+$/, 'a TABKEY such as tab1').default('tab1'),
  /** The row holding the series, as labelled: 当日交易总额（亿元人民币）. */
  label: z.string().min(1),
  column: z.string().min(1).default('total'),
  lookback_days: z.number().int().min(1).max(31).default(14),
});
export type SzseRef = z.infer<typeof szseRef>;

const DAY = 86_400_000;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clean = (s: unknown) => String(s ?? '').replace(/\s+/g, ' ').trim();
const GAPS = new Set(['', '-', '--', '—']);
const NUMBER = /^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;

/** Today in Beijing, where the exchange dates its reports. */
const today = (ctx: SourceContext) => formatDay(localDay(ctx.now, 'Asia/Shanghai'));

function requestFor(ref: SzseRef, baseUrl: string, day: string): SourceRequest {
  const q = new URLSearchParams({ SHOWTYPE: 'JSON', CATALOGID: ref.catalog, TABKEY: ref.tab, txtDate: day });
  return { url: `${baseUrl.replace(/\/+$/, '')}/api/report/ShowReport/data?${q}`, headers: { referer: 'https://www.szse.cn/' } };
}

/** The tab asked for, from the list the report answers. */
function tabOf(answer: SourceAnswer, ref: SzseRef, what: string): Record<string, unknown> {
  const doc = parseJson(answer.text, what);
  if (!Array.isArray(doc) || !doc.every(isObject)) throw unexpectedShape(`${what}: the answer is not a list of report tabs`);
  const tab = doc.find((t) => isObject(t.metadata) && t.metadata.tabkey === ref.tab);
  if (!tab) throw unexpectedShape(`${what}: no tab ${ref.tab}; the answer has ${doc.map((t) => JSON.stringify(isObject(t.metadata) ? t.metadata.tabkey : null)).join(', ')}`);
  if (tab.error !== null && tab.error !== undefined && tab.error !== '') throw publisherError(`${what}: ${clean(JSON.stringify(tab.error))}`);
  return tab;
}

function parse(answer: SourceAnswer, ref: SzseRef, ctx: SourceContext): ParsedPage {
  const what = `SZSE ${ref.catalog}`;
  if (ctx.frequency !== 'daily') throw new SourceError('config', `${what}: a one-day report feeds a daily series, not a ${ctx.frequency} one`, true);
  const tab = tabOf(answer, ref, what);
  const meta = tab.metadata as Record<string, unknown>;
  if (meta.catalogid !== ref.catalog) return { series: [], others: [`report ${clean(meta.catalogid)}`] };
  if (!Array.isArray(tab.data) || !tab.data.every(isObject)) throw unexpectedShape(`${what}: data is not a list of rows`);
  const asked = new URL(answer.url, 'http://x').searchParams.get('txtDate') ?? '';
  if (tab.data.length === 0) return { series: [], next: dayBefore(ref, ctx, asked, what) };
  const day = clean(meta.subname);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw unexpectedShape(`${what}: rows without the day they are for (subname ${JSON.stringify(meta.subname)})`);
  const rows = tab.data as Record<string, unknown>[];
  const row = rows.find((r) => clean(r.label) === clean(ref.label));
  if (!row) return { series: [], others: rows.map((r) => clean(r.label)) };
  const raw = clean(row[ref.column]);
  if (!GAPS.has(raw) && !NUMBER.test(raw)) throw unexpectedShape(`${what}: ${ref.label} on ${day} is ${JSON.stringify(raw)}, not a number`);
  const value = GAPS.has(raw) ? null : Number(raw.replace(/,/g, ''));
  return {
    series: [{ key: clean(ref.label), observations: [{ period: day, value, valueText: value === null ? '' : raw }], covers: { from: day, to: day } }],
    others: rows.filter((r) => r !== row).map((r) => clean(r.label)),
  };
}

/** The request for the day before, while within lookback_days of today; then the read fails as empty. */
function dayBefore(ref: SzseRef, ctx: SourceContext, asked: string, what: string): SourceRequest {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asked)) throw unexpectedShape(`${what}: an empty answer for no day (txtDate ${JSON.stringify(asked)})`);
  const previous = parseDay(asked) - DAY;
  const first = parseDay(today(ctx)) - (ref.lookback_days - 1) * DAY;
  if (previous < first) throw new SourceError('empty', `${what}: no day published from ${formatDay(first)} to ${today(ctx)}`, true);
  return requestFor(ref, ctx.baseUrl, formatDay(previous));
}

export const szse: SourcePlugin<SzseRef> = {
  kind: 'szse',
  ref: szseRef,
  defaultBaseUrl: 'https://www.szse.cn',
  request: (ref, ctx) => requestFor(ref, ctx.baseUrl, today(ctx)),
  key: (ref) => clean(ref.label),
  parse,
};
