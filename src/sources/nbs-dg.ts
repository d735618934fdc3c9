// China's National Bureau of Statistics' data portal since 27 March 2026 (国家统计局数据发布库,
// data.stats.gov.cn/dg), the one NBS answers today. JSON over HTTP, undocumented; the shapes follow
// recorded answers (test/fixtures/recorded/nbs-dg):
//   GET  .../new/queryIndicatorsByCid?cid=<table>   the indicators of a table: data.list[{_id, i_showname, du_name}]
//   POST .../getEsDataByIndicatorIdAndDa            {cid, id, da, dt, rootId, dts: ["202607MM", ...]}
//        -> data[{dt, v}]; v "" for a period listed without a value
// Period codes: monthly 202607MM, quarterly 202602SS (Q2), annual 2026YY. An indicator is named by
// its id, or by its name, which is then looked up in the table's own catalogue at each read (and
// a name the catalogue lacks fails the read as misconfigured, naming what it lists).
import { z } from 'zod';
import { comparePeriods, periodOf, periodRange, shiftPeriod, type Frequency, type Period } from '../core/index.js';
import { SourceError, parseJson, publisherError, unexpectedShape } from './errors.js';
import type { ParsedObservation, ParsedPage, SourceAnswer, SourceContext, SourcePlugin, SourceRequest } from './types.js';

const uuid = z.string().regex(/^[0-9a-f]{32}$/, 'a portal id: 32 lower-case hex digits');

export const nbsDgRef = z.strictObject({
  /** The table (catalogue leaf) the indicator is in. */
  cid: uuid,
  /** The indicator's id in the table. */
  indicator: uuid.optional(),
  /** The indicator's name as the table lists it (i_showname, spaces and the unit in brackets aside). */
  indicator_name: z.string().trim().min(1).optional(),
  /** The rootId sent with each query: the frequency's root or the domain's node. */
  root: uuid,
  /** Added to every value: -100 turns an index with the previous year = 100 into a growth rate. */
  offset: z.number().optional(),
  /** The region: national by default. */
  area: z.string().regex(/^\d{12}$/).default('000000000000'),
}).refine((r) => r.indicator !== undefined || r.indicator_name !== undefined, { message: 'give indicator (an id) or indicator_name, or both' });
export type NbsDgRef = z.infer<typeof nbsDgRef>;

const PATH = '/dg/website/publicrelease/web/external';
const REFERER = 'https://data.stats.gov.cn/dg/website/page.html';
/** Period codes per values request, as public clients send them. */
const CHUNK = 36;
const SUFFIX: Record<Frequency, string | null> = { monthly: 'MM', quarterly: 'SS', annual: 'YY', weekly: null, daily: null };

/** The portal's code for a period: 2026-07 -> 202607MM, 2026-Q2 -> 202602SS, 2026 -> 2026YY. */
export function nbsDgCode(p: Period, f: Frequency): string {
  if (f === 'monthly') return `${p.replace('-', '')}MM`;
  if (f === 'quarterly') return `${p.slice(0, 4)}0${p.slice(-1)}SS`;
  if (f === 'annual') return `${p}YY`;
  throw new SourceError('config', `the NBS portal has no ${f} series`, true);
}

function periodOfCode(code: string, f: Frequency): Period {
  const m = /^(\d{4})(\d{2})?(MM|SS|YY)$/.exec(code);
  if (!m) throw unexpectedShape(`NBS portal: period code ${JSON.stringify(code)} is not one it uses`);
  const want = SUFFIX[f];
  if (m[3] !== want) throw new SourceError('config', `NBS portal: period ${code} is not ${f} (the series is ${f}; check the table)`, true);
  if (f === 'annual') return m[1]!;
  if (f === 'quarterly') return `${m[1]}-Q${Number(m[2])}`;
  return `${m[1]}-${m[2]}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Names are compared as NBS writes them, with its full-width brackets, spaces and a trailing unit aside. */
const squash = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
function sameName(showname: string, unit: string, wanted: string): boolean {
  const name = squash(showname);
  return name === squash(wanted) || name === squash(`${wanted}(${unit})`);
}

/** The portal's envelope {data, success, state, message}: its data, or the publisher's error. */
function envelope(answer: SourceAnswer, what: string): unknown {
  const doc = parseJson(answer.text, what);
  if (!isObject(doc) || !('success' in doc)) throw unexpectedShape(`${what}: no success flag in the answer`);
  if (doc.success !== true) throw publisherError(`${what}: ${String(doc.message ?? 'success: false')} (state ${String(doc.state)})`);
  return doc.data;
}

interface Listed { id: string; name: string; unit: string }

/** The indicators a queryIndicatorsByCid answer lists. */
export function parseNbsDgIndicators(answer: SourceAnswer, cid: string): Listed[] {
  const data = envelope(answer, `NBS portal table ${cid}`);
  if (!isObject(data) || !Array.isArray(data.list)) throw unexpectedShape(`NBS portal table ${cid}: no data.list of indicators`);
  return data.list.map((i: unknown) => {
    if (!isObject(i) || typeof i._id !== 'string') throw unexpectedShape(`NBS portal table ${cid}: an indicator without an _id`);
    return { id: i._id, name: String(i.i_showname ?? i._name ?? ''), unit: String(i.du_name ?? '') };
  });
}

function listingRequest(ref: NbsDgRef, ctx: SourceContext): SourceRequest {
  return { url: `${ctx.baseUrl}${PATH}/new/queryIndicatorsByCid?cid=${ref.cid}`, headers: { referer: REFERER, accept: 'application/json' } };
}

/** The indicator the ref names, in a table's listing: by id (checked against the name when both are given) or by name. */
function resolve(listed: Listed[], ref: NbsDgRef): Listed {
  const byId = ref.indicator ? listed.find((i) => i.id === ref.indicator) : undefined;
  const names = () => listed.map((i) => `${i.name.trim()} (${i.id})`).join('; ');
  if (ref.indicator_name !== undefined) {
    const byName = listed.filter((i) => sameName(i.name, i.unit, ref.indicator_name!));
    if (byId && !byName.includes(byId)) {
      throw new SourceError('config', `NBS portal table ${ref.cid} lists ${ref.indicator} as "${byId.name.trim()}", not "${ref.indicator_name}"`, true);
    }
    if (byId) return byId;
    if (ref.indicator === undefined && byName.length === 1) return byName[0]!;
    if (byName.length > 1) throw new SourceError('config', `NBS portal table ${ref.cid} lists ${byName.length} indicators named "${ref.indicator_name}"; give its indicator id`, true);
    throw new SourceError('config', `NBS portal table ${ref.cid} lists no indicator ${ref.indicator ?? `named "${ref.indicator_name}"`}; it lists: ${names()}`, true);
  }
  if (!byId) throw new SourceError('config', `NBS portal table ${ref.cid} lists no indicator ${ref.indicator}; it lists: ${names()}`, true);
  return byId;
}

/** The periods asked for: from ctx.from (or ten years back) to the period in progress, in requests of CHUNK codes. */
function periods(ctx: SourceContext): Period[] {
  const f = ctx.frequency;
  const to = periodOf(ctx.now, f);
  const from = ctx.from ?? shiftPeriod(to, f, f === 'monthly' ? -120 : f === 'quarterly' ? -40 : -10);
  return comparePeriods(from, to, f) > 0 ? [to] : periodRange(from, to, f);
}

function valuesRequest(ref: NbsDgRef, id: string, codes: string[], ctx: SourceContext): SourceRequest {
  return {
    url: `${ctx.baseUrl}${PATH}/getEsDataByIndicatorIdAndDa`, method: 'POST', headers: { referer: REFERER, accept: 'application/json' },
    json: { cid: ref.cid, id, da: ref.area, dt: '', rootId: ref.root, dts: codes },
  };
}

/** The key the answer is judged under: the indicator id, or its name when only the name is given. */
const keyOf = (ref: NbsDgRef) => ref.indicator ?? `name:${ref.indicator_name}`;

/** Adds the ref's offset, keeping the publisher's decimals ("104.3" - 100 -> "4.3"). */
function withOffset(text: string, offset: number | undefined): { value: number; valueText: string } {
  const value = Number(text);
  if (offset === undefined) return { value, valueText: text };
  const decimals = /\.(\d+)$/.exec(text)?.[1]?.length ?? 0;
  const shifted = Number((value + offset).toFixed(decimals));
  return { value: shifted, valueText: shifted.toFixed(decimals) };
}

function parseValues(answer: SourceAnswer, ref: NbsDgRef, ctx: SourceContext): ParsedPage {
  const what = `NBS portal indicator ${ref.indicator ?? ref.indicator_name} (table ${ref.cid})`;
  const data = envelope(answer, what);
  if (!Array.isArray(data)) throw unexpectedShape(`${what}: data is not a list of periods`);
  const observations: ParsedObservation[] = data.map((item: unknown) => {
    if (!isObject(item) || typeof item.dt !== 'string') throw unexpectedShape(`${what}: a period without a dt code`);
    const period = periodOfCode(item.dt, ctx.frequency);
    const raw = item.v === null || item.v === undefined ? '' : String(item.v).trim();
    if (raw === '') return { period, value: null, valueText: '' };
    if (!/^-?\d+(\.\d+)?$/.test(raw)) throw unexpectedShape(`${what}: value ${JSON.stringify(item.v)} for ${period} is not a number`);
    return { period, ...withOffset(raw, ref.offset) };
  });
  // The portal lists every period asked for (an unpublished one with v ""): an answer covers the
  // periods it lists, so that a period it omits is withdrawn only when it listed it empty.
  const listed = observations.map((o) => o.period).sort((a, b) => comparePeriods(a, b, ctx.frequency));
  const covers = listed.length ? { from: listed[0]!, to: listed.at(-1)! } : null;
  const asked = ((answer.request?.json as { dts?: string[] } | undefined)?.dts ?? []).map((c) => periodOfCode(c, ctx.frequency));
  const id = (answer.request?.json as { id?: string } | undefined)?.id;
  const rest = periods(ctx).filter((p) => asked.length > 0 && comparePeriods(p, asked.at(-1)!, ctx.frequency) > 0);
  const next = rest.length && id ? valuesRequest(ref, id, rest.slice(0, CHUNK).map((p) => nbsDgCode(p, ctx.frequency)), ctx) : null;
  return { series: observations.length ? [{ key: keyOf(ref), observations, covers, unit: null }] : [], periods: observations.map((o) => o.period), next };
}

export const nbsDg: SourcePlugin<NbsDgRef> = {
  kind: 'nbs_dg',
  ref: nbsDgRef,
  defaultBaseUrl: 'https://data.stats.gov.cn',
  // With a name, the table's catalogue comes first: it says which indicator the name means.
  request(ref, ctx) {
    if (ref.indicator_name !== undefined) return listingRequest(ref, ctx);
    return valuesRequest(ref, ref.indicator!, periods(ctx).slice(0, CHUNK).map((p) => nbsDgCode(p, ctx.frequency)), ctx);
  },
  key: keyOf,
  parse(answer, ref, ctx) {
    if (/\/queryIndicatorsByCid/.test(answer.url)) {
      const indicator = resolve(parseNbsDgIndicators(answer, ref.cid), ref);
      return { series: [], next: valuesRequest(ref, indicator.id, periods(ctx).slice(0, CHUNK).map((p) => nbsDgCode(p, ctx.frequency)), ctx) };
    }
    return parseValues(answer, ref, ctx);
  },
  // An indicator named by id alone is looked up in the table's catalogue after each read, so that
  // one NBS stops listing shows as a dropped line.
  listing: {
    request: (ref, ctx) => (ref.indicator_name === undefined ? listingRequest(ref, ctx) : null),
    contains: (answer, ref) => parseNbsDgIndicators(answer, ref.cid).some((i) => i.id === ref.indicator),
  },
};
