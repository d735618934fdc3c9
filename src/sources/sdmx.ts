// SDMX 2.1 data queries (ECB, IMF, BIS, OECD, ISTAT). Each series names its publisher's service in
// its ref; the answer is read by what it is (XML root or JSON), not by the format asked for, since
// some services ignore the Accept header.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { comparePeriods, normalisePeriod, type Frequency } from '../core/index.js';
import { malformed, parseJson, publisherError, unexpectedShape } from './errors.js';
import { requestHeaders, withOptions } from './request-options.js';
import type { ParsedObservation, ParsedPage, ParsedSeries, SourceContext, SourcePlugin } from './types.js';

const ACCEPT = {
  generic: 'application/vnd.sdmx.genericdata+xml;version=2.1',
  structure_specific: 'application/vnd.sdmx.structurespecificdata+xml;version=2.1',
  json: 'application/vnd.sdmx.data+json;version=1.0.0',
} as const;
// Path pieces go into the URL unescaped ('+' and '.' are key syntax), so keep URL syntax out.
const PIECE = /^[^\s/?#,]+$/;
const FLAT = 'observations not grouped in series (dimensionAtObservation=AllDimensions)';

export const sdmxRef = z
  .strictObject({
    base_url: z.url(),
    flow: z.string().regex(PIECE),
    key: z.string().regex(PIECE),
    format: z.enum(['generic', 'structure_specific', 'json']),
    agency: z.string().regex(PIECE).optional(),
    version: z.string().regex(PIECE).optional(),
    /** Headers the service requires (an API key header, a Referer); Accept is the format's. */
    headers: requestHeaders.optional(),
    /**
     * The key's dimension ids in key order (Eurostat: freq, unit, na_item, geo), for a service that
     * writes a series' dimensions in another order: each is then read by its name.
     */
    dimensions: z.array(z.string().regex(PIECE)).min(1).optional(),
  })
  .refine((r) => !r.version || Boolean(r.agency), { message: 'version needs agency (flowRef is agency,flow,version)' })
  .refine((r) => !r.dimensions || r.dimensions.length === r.key.split('.').length, {
    path: ['dimensions'], error: (i) => {
      const r = i.input as { key: string; dimensions: string[] };
      return `${r.dimensions.length} dimensions for a key of ${r.key.split('.').length} parts (${r.key})`;
    },
  });
export type SdmxRef = z.infer<typeof sdmxRef>;

/** One series as read from any of the formats: its key values in key order, raw observations. */
interface RawSeries { key: string[]; unit: string | null; obs: { period: string; value: unknown; status: string | null }[] }
type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Child elements by local name; a lone or empty element (parsed as '') becomes a one-item list. */
function kids(n: unknown, name: string): Node[] {
  const v = isNode(n) ? n[name] : undefined;
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => (isNode(x) ? x : {}));
}
const attr = (n: unknown, name: string): string | undefined => {
  const v = isNode(n) ? n[`@${name}`] : undefined;
  return typeof v === 'string' ? v : undefined;
};
const text = (n: unknown): string => (typeof n === 'string' ? n : isNode(n) ? text(n['#text']) : '').trim();
/** ErrorMessage / footer Message elements as 'code: text'. */
const messages = (list: Node[]) =>
  list.map((m) => [attr(m, 'code'), kids(m, 'Text').map(text).join(' / ')].filter(Boolean).join(': ')).join('; ');

// Prefixes differ by publisher (message:, mes:, generic:, ss:, none), so match local names.
const XML = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false,
});

/** The values of the named dimensions, in that order (names matched in any case); '' for one the series lacks. */
function byName(pairs: [string | undefined, string | undefined][], dims: readonly string[]): string[] {
  const found = new Map(pairs.map(([k, v]) => [k?.toLowerCase(), v]));
  return dims.map((d) => found.get(d.toLowerCase()) ?? '');
}

function genericSeries(s: Node, dims: readonly string[] | undefined): RawSeries {
  const values = (n: unknown) => new Map(kids(n, 'Value').map((v) => [attr(v, 'id'), attr(v, 'value')]));
  const attrs = values(kids(s, 'Attributes')[0]);
  const keyValues = kids(kids(s, 'SeriesKey')[0], 'Value').map((v): [string | undefined, string | undefined] => [attr(v, 'id'), attr(v, 'value')]);
  return {
    key: dims ? byName(keyValues, dims) : keyValues.map(([, v]) => v ?? ''),
    unit: attrs.get('UNIT') ?? attrs.get('UNIT_MEASURE') ?? null,
    obs: kids(s, 'Obs').map((o) => ({
      period: attr(kids(o, 'ObsDimension')[0], 'value') ?? '',
      value: attr(kids(o, 'ObsValue')[0], 'value'),
      status: values(kids(o, 'Attributes')[0]).get('OBS_STATUS') ?? null,
    })),
  };
}

function structureSpecificSeries(s: Node, dims: readonly string[] | undefined): RawSeries {
  // Dimensions and attributes are both XML attributes; most publishers write the dimensions first,
  // in key order, so the key is matched against the leading ones. Eurostat writes them in another
  // order: a ref that names its dimensions has them read by name.
  const pairs = Object.keys(s).filter((k) => k.startsWith('@')).map((k): [string, string] => [k.slice(1), s[k] as string]);
  const key = dims ? byName(pairs, dims) : pairs.map(([, v]) => v);
  const obs = kids(s, 'Obs').map((o) => ({
    period: attr(o, 'TIME_PERIOD') ?? '', value: attr(o, 'OBS_VALUE'), status: attr(o, 'OBS_STATUS') ?? null,
  }));
  return { key, unit: attr(s, 'UNIT') ?? attr(s, 'UNIT_MEASURE') ?? null, obs };
}

function readXml(body: string, dims: readonly string[] | undefined): RawSeries[] {
  const html = () => malformed(`SDMX: an HTML page, not SDMX-ML; starts ${JSON.stringify(body.slice(0, 60))}`);
  if (/^<(!doctype html|html[\s>])/i.test(body)) throw html();
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw malformed(`SDMX: not well-formed XML (truncated?): ${valid.err.msg} (line ${valid.err.line})`);
  const [name, root] = Object.entries(XML.parse(body) as Node).find(([k]) => !k.startsWith('?')) ?? ['(none)', {}];
  if (name.toLowerCase() === 'html') throw html();
  if (name === 'Error') throw publisherError(`SDMX error: ${messages(kids(root, 'ErrorMessage')) || 'no message'}`);
  const generic = /^Generic(TimeSeries)?Data$/.test(name);
  if (!generic && !/^StructureSpecific(TimeSeries)?Data$/.test(name)) {
    throw unexpectedShape(`SDMX: not a data message: root element <${name}>`);
  }
  const sets = kids(root, 'DataSet');
  if (sets.some((d) => kids(d, 'Obs').length > 0)) throw unexpectedShape(`SDMX: ${FLAT}`);
  const series = sets.flatMap((d) => kids(d, 'Series')).map((s) => (generic ? genericSeries(s, dims) : structureSpecificSeries(s, dims)));
  // Some services explain an empty answer in a footer message; quote it.
  const footer = messages(kids(kids(root, 'Footer')[0], 'Message'));
  if (series.length === 0 && footer) throw publisherError(`SDMX: no data: ${footer}`);
  return series;
}

const Value = z.object({ id: z.string().optional(), name: z.unknown().optional() });
const Component = z.object({ id: z.string().optional(), keyPosition: z.number().optional(), values: z.array(Value) });
const Components = z.array(Component).default([]);
const SdmxJson = z.object({
  structure: z.object({
    dimensions: z.object({ dataSet: Components, series: Components, observation: Components }),
    attributes: z.object({ series: Components, observation: Components }).default({ series: [], observation: [] }),
  }),
  dataSets: z.array(z.object({
    series: z.record(z.string(), z.object({
      attributes: z.array(z.number().nullable()).default([]),
      observations: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.null()]))).default({}),
    })).optional(),
    observations: z.unknown().optional(),
  })),
});
type Comps = z.infer<typeof Components>;

/** The id of attribute `id` given per-attribute value indexes (null: not set). */
function attrId(defs: Comps, idx: (number | string | null)[], id: string): string | null {
  const at = defs.findIndex((d) => d.id === id);
  const v = typeof idx[at] === 'number' ? defs[at]?.values[idx[at]] : undefined;
  return v?.id ?? (typeof v?.name === 'string' ? v.name : null);
}

function readJson(body: string): RawSeries[] {
  const doc = parseJson(body, 'SDMX-JSON');
  const errors = isNode(doc) && Array.isArray(doc.errors) ? doc.errors : [];
  const said = (e: unknown) =>
    isNode(e) ? [e.code, e.message ?? e.title ?? e.detail].filter((x) => x != null).join(': ') : String(e);
  if (errors.length > 0) throw publisherError(`SDMX error: ${errors.map(said).join('; ')}`);
  const r = SdmxJson.safeParse(doc);
  const issue = r.error?.issues[0];
  if (!r.success) throw unexpectedShape(`SDMX-JSON: not a data message: ${issue?.path.join('.')}: ${issue?.message}`);
  const { structure: { dimensions: dim, attributes: att }, dataSets: [ds] } = r.data;
  if (ds?.observations !== undefined && ds.series === undefined) throw unexpectedShape(`SDMX-JSON: ${FLAT}`);
  const time = dim.observation.find((d) => d.id === 'TIME_PERIOD') ?? dim.observation[0];
  return Object.entries(ds?.series ?? {}).map(([k, s]) => {
    // Dataset-level dimensions have one value and are left out of the series' index key.
    const key: string[] = [];
    dim.dataSet.forEach((d, i) => (key[d.keyPosition ?? i] = d.values[0]?.id ?? ''));
    k.split(':').forEach((ix, i) => {
      const d = dim.series[i];
      key[d?.keyPosition ?? dim.dataSet.length + i] = d?.values[Number(ix)]?.id ?? '';
    });
    const obs = Object.entries(s.observations).sort(([a], [b]) => Number(a) - Number(b)).map(([i, [value, ...idx]]) => ({
      period: time?.values[Number(i)]?.id ?? '', value, status: attrId(att.observation, idx, 'OBS_STATUS'),
    }));
    const unit = attrId(att.series, s.attributes, 'UNIT') ?? attrId(att.series, s.attributes, 'UNIT_MEASURE');
    return { key: Array.from(key, (v) => v ?? ''), unit, obs };
  });
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** SDMX reporting periods (2021-M01, 2021-A1), which the IMF's new service writes, in the common form. */
function reportingPeriod(p: string): string {
  const m = /^(\d{4})-(M(\d{2})|A1)$/.exec(p);
  if (!m) return p;
  return m[3] !== undefined ? `${m[1]}-${m[3]}` : m[1]!;
}

function observation(o: RawSeries['obs'][number], f: Frequency): ParsedObservation {
  let period: string;
  try {
    period = normalisePeriod(reportingPeriod(o.period), f);
  } catch {
    throw unexpectedShape(`SDMX: period ${JSON.stringify(o.period)} is not a ${f} period`);
  }
  const raw = o.value === null || o.value === undefined ? '' : String(o.value).trim();
  // An empty or NaN OBS_VALUE is a listed gap (usually with OBS_STATUS M or O), never a zero.
  if (raw === '' || raw === 'NaN') return { period, value: null, valueText: '', obsStatus: o.status };
  if (!NUMBER.test(raw)) throw unexpectedShape(`SDMX: value ${JSON.stringify(raw)} for ${period} is not a number`);
  return { period, value: Number(raw), valueText: raw, obsStatus: o.status };
}

/** A key position matches when empty (any value) or when it names the value ('A+B' = A or B). */
const matches = (have: string[], want: string[]) =>
  have.length >= want.length && want.every((w, i) => w === '' || w.split('+').includes(have[i]!));

/**
 * Every series of the answer under its own key, except that the series matching the ref's key
 * (its wildcards and '+' alternatives) are reported under the ref's key, as asked for: two matches
 * then make the runner refuse the answer as ambiguous. Only the matching series are read.
 */
function toPage(all: RawSeries[], ref: SdmxRef, ctx: SourceContext): ParsedPage {
  const want = ref.key.split('.');
  const found = all.filter((s) => matches(s.key, want));
  const series = found.map((s): ParsedSeries => {
    const observations = s.obs.map((o) => observation(o, ctx.frequency));
    const seen = new Set<string>();
    for (const o of observations) {
      if (seen.has(o.period)) throw unexpectedShape(`SDMX: period ${o.period} appears twice in series ${ref.key}`);
      seen.add(o.period);
    }
    const last = [...seen].sort((a, b) => comparePeriods(a, b, ctx.frequency)).at(-1);
    // A series listed with no observation at all says nothing about which periods it covers.
    const covers = last === undefined ? null : ctx.from === null ? 'all' : { from: ctx.from, to: last };
    return { key: ref.key, observations, covers, unit: s.unit };
  });
  return { series, others: all.filter((s) => !found.includes(s)).map((s) => s.key.join('.')) };
}

export const sdmx: SourcePlugin<SdmxRef> = {
  kind: 'sdmx',
  ref: sdmxRef,
  defaultBaseUrl: null,
  request(ref, ctx) {
    const flowRef = [ref.agency, ref.flow, ref.version].filter(Boolean).join(',');
    const query = ctx.from === null ? '' : `?${new URLSearchParams({ startPeriod: ctx.from })}`;
    const url = `${ctx.baseUrl.replace(/\/+$/, '')}/data/${flowRef}/${ref.key}${query}`;
    return withOptions({ url, headers: { accept: ACCEPT[ref.format] } }, { headers: ref.headers });
  },
  key: (ref) => ref.key,
  parse(answer, ref, ctx) {
    const body = answer.text.replace(/^\uFEFF/, '').trimStart();
    if (body === '') throw malformed('SDMX: empty answer');
    if (body.startsWith('{')) return toPage(readJson(body), ref, ctx);
    if (body.startsWith('<')) return toPage(readXml(body, ref.dimensions), ref, ctx);
    throw malformed(`SDMX: neither SDMX-ML nor SDMX-JSON; starts ${JSON.stringify(body.slice(0, 60))}`);
  },
};
