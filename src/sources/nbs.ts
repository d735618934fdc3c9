// China's National Bureau of Statistics' old data portal (data.stats.gov.cn/easyquery.htm). No
// official documentation exists; the shape follows recorded answers (test/fixtures/recorded/nbs).
// NO LONGER LIVE: since NBS opened its new portal on 27 March 2026 its firewall refuses every
// easyquery request (reason: UrlACL). The kind stays for old recordings and for mirrors that serve
// the same answers (LACUNA_SOURCE_URL_NBS); live series use nbs_dg (nbs-dg.ts).
import { z } from 'zod';
import { normalisePeriod, periodOf, periodRange, shiftPeriod, type Frequency, type Period } from '../core/index.js';
import { SourceError, parseJson, publisherError, unexpectedShape } from './errors.js';
import type { ParsedObservation, ParsedPage, ParsedSeries, SourceAnswer, SourceContext, SourcePlugin } from './types.js';

const DATABASES = { hgyd: 'monthly', hgjd: 'quarterly', hgnd: 'annual' } as const satisfies Record<string, Frequency>;

export const nbsRef = z.strictObject({
  /** National monthly (hgyd), quarterly (hgjd) or annual (hgnd) database. */
  db: z.enum(['hgyd', 'hgjd', 'hgnd']),
  /** The indicator code (`zb`), e.g. A020101. */
  zb: z.string().regex(/^[A-Z0-9]+$/, 'an NBS indicator code such as A020101'),
  /** Catalogue node the indicator is listed under (m=getTree), to notice it disappearing. */
  parent: z.string().regex(/^[A-Z0-9]+$/).optional(),
});
export type NbsRef = z.infer<typeof nbsRef>;

interface DataNode { code?: string; data?: { data?: number; hasdata?: boolean; strdata?: string }; wds?: { wdcode: string; valuecode: string }[] }
interface WdNode { wdcode: string; nodes: ({ code: string; unit?: string } | null)[] }

/** NBS period codes: monthly 202306, quarterly 2023A..2023D, annual 2023. */
export function nbsPeriodCode(p: Period, f: Frequency): string {
  if (f === 'monthly') return p.replace('-', '');
  if (f === 'quarterly') return `${p.slice(0, 4)}${'ABCD'[Number(p.slice(-1)) - 1]}`;
  return p;
}

export const nbs: SourcePlugin<NbsRef> = {
  kind: 'nbs',
  ref: nbsRef,
  defaultBaseUrl: 'https://data.stats.gov.cn',
  request(ref, ctx) {
    const f = DATABASES[ref.db];
    const to = periodOf(ctx.now, f);
    // The block's `since` reaches here as ctx.from on a full backfill; without one, ten years back.
    const from = ctx.from ?? shiftPeriod(to, f, f === 'monthly' ? -120 : f === 'quarterly' ? -40 : -10);
    // An explicit comma list of periods, the form seen in recorded answers.
    const sj = periodRange(from, to, f).map((p) => nbsPeriodCode(p, f)).join(',');
    return {
      url: `${ctx.baseUrl}/easyquery.htm`,
      method: 'POST',
      headers: { 'x-requested-with': 'XMLHttpRequest', referer: `${ctx.baseUrl}/easyquery.htm?cn=A01` },
      form: {
        m: 'QueryData', dbcode: ref.db, rowcode: 'zb', colcode: 'sj', wds: '[]',
        dfwds: JSON.stringify([{ wdcode: 'zb', valuecode: ref.zb }, { wdcode: 'sj', valuecode: sj }]),
        k1: String(ctx.now),
      },
    };
  },
  key: (ref) => ref.zb,
  parse(answer, ref, ctx) {
    return parseNbsData(answer, ref, ctx);
  },
  listing: {
    request: (ref, ctx) => (ref.parent ? nbsTreeRequest({ ...ref, parent: ref.parent }, ctx) : null),
    contains: (answer, ref) => parseNbsTree(answer).includes(ref.zb),
  },
};

function parseNbsData(answer: SourceAnswer, ref: NbsRef, ctx: SourceContext): ParsedPage {
  const f = DATABASES[ref.db];
  if (f !== ctx.frequency) throw new SourceError('config', `NBS database ${ref.db} is ${f} but the series is ${ctx.frequency}`, true);
  const doc = parseJson(answer.text, `NBS ${ref.db} ${ref.zb}`) as { returncode?: unknown; returndata?: unknown };
  if (typeof doc !== 'object' || doc === null || !('returncode' in doc)) throw unexpectedShape(`NBS ${ref.zb}: no returncode in the answer`);
  if (doc.returncode !== 200) {
    throw publisherError(`NBS ${ref.zb}: returncode ${String(doc.returncode)}: ${typeof doc.returndata === 'string' ? doc.returndata : JSON.stringify(doc.returndata)}`);
  }
  const rd = doc.returndata as { datanodes?: unknown; wdnodes?: unknown } | null;
  if (!rd || !Array.isArray(rd.datanodes) || !Array.isArray(rd.wdnodes)) throw unexpectedShape(`NBS ${ref.zb}: returndata lacks datanodes or wdnodes`);
  const wdnodes = rd.wdnodes as WdNode[];
  const indicators = (wdnodes.find((w) => w.wdcode === 'zb')?.nodes ?? []).flatMap((n) => (n ? [n] : []));
  const periods = (wdnodes.find((w) => w.wdcode === 'sj')?.nodes ?? []).flatMap((n) => (n ? [toPeriod(n.code, f, ref.zb)] : [])).sort();

  // Only the indicator asked for is read; the others the answer holds are named (another table).
  const observations: ParsedObservation[] = [];
  const others = new Set(indicators.map((n) => n.code));
  for (const node of rd.datanodes as DataNode[]) {
    const zb = node.wds?.find((w) => w.wdcode === 'zb')?.valuecode;
    const sj = node.wds?.find((w) => w.wdcode === 'sj')?.valuecode;
    if (!zb || !sj || !node.data) throw unexpectedShape(`NBS ${ref.zb}: a data node without zb, sj or data (${JSON.stringify(node).slice(0, 80)})`);
    if (zb === ref.zb) observations.push(observation(sj, node.data, f, ref.zb));
    else others.add(zb);
  }
  others.delete(ref.zb);
  observations.sort((a, b) => (a.period < b.period ? -1 : 1));
  // The answer covers the periods it lists (sj): one listed without a data node has no value.
  const series: ParsedSeries[] = observations.length ? [{
    key: ref.zb, observations, covers: periods.length ? { from: periods[0]!, to: periods.at(-1)! } : null,
    unit: indicators.find((n) => n.code === ref.zb)?.unit || null,
  }] : [];
  return { series, others: [...others], periods };
}

function observation(sj: string, data: NonNullable<DataNode['data']>, f: Frequency, zb: string): ParsedObservation {
  const period = toPeriod(sj, f, zb);
  // hasdata:false comes with data:0: a missing value, never a zero.
  if (!data.hasdata) return { period, value: null, valueText: '' };
  const text = data.strdata?.trim() || String(data.data);
  const value = Number(text);
  if (!Number.isFinite(value)) throw unexpectedShape(`NBS ${zb} ${sj}: value ${JSON.stringify(text)} is not a number`);
  return { period, value, valueText: text };
}

function toPeriod(code: string, f: Frequency, zb: string): Period {
  try {
    return normalisePeriod(code, f);
  } catch {
    throw unexpectedShape(`NBS ${zb}: period code ${JSON.stringify(code)} is not ${f}`);
  }
}

/** The indicator ids an `m=getTree` answer lists under a catalogue node. */
export function parseNbsTree(answer: SourceAnswer): string[] {
  const doc = parseJson(answer.text, 'NBS getTree');
  if (!Array.isArray(doc)) throw unexpectedShape('NBS getTree: expected a JSON array');
  return doc.map((n: { id?: unknown }) => {
    if (typeof n?.id !== 'string') throw unexpectedShape('NBS getTree: a node without an id');
    return n.id;
  });
}

/** The `m=getTree` request for a catalogue node. */
export function nbsTreeRequest(ref: NbsRef & { parent: string }, ctx: SourceContext) {
  return {
    url: `${ctx.baseUrl}/easyquery.htm`,
    method: 'POST' as const,
    form: { m: 'getTree', dbcode: ref.db, rowcode: 'zb', colcode: 'sj', wds: '[]', dfwds: '[]', k1: String(ctx.now), id: ref.parent, wdcode: 'zb' },
  };
}
