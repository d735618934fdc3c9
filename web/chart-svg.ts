// The series chart as a static SVG (and, through resvg, a PNG): what a link preview, a download,
// an embed without JavaScript and a baked site show. The same data as the interactive chart
// (web/chart-data.ts): every disclosed value (a lone value between two gaps as a dot), gap bands
// coloured and hatched by state, method breaks, the political calendar, year ticks, a legend and
// the attribution.
import { escapeXml as esc } from '../src/formats/markup.js';
import type { PeriodState } from '../src/core/index.js';
import type { ChartData } from './chart-data.js';
import { stateLabel } from './chart-data.js';

export const CHART_W = 1200;
export const CHART_H = 630;
const PLOT = { left: 84, right: CHART_W - 40, top: 118, bottom: CHART_H - 132 };
const FONT = 'DejaVu Sans, Noto Sans, Noto Sans CJK SC, Arial, sans-serif';

/** Same hex values as the --state-* custom properties in style.css and series-chart.js. */
export const STATE_COLOR: Partial<Record<PeriodState, string>> = {
  late: '#e0a21b', missing: '#d64541', suspended: '#7a4cc2', cancelled: '#0f766e', discontinued: '#3d4654',
  withdrawn: '#c2185b', access_cut: '#e8702a', unknown: '#c8c8c8', not_expected: '#9fb3c8', not_due: '#e6ecf2',
};
const HATCHED = new Set<PeriodState>(['suspended', 'discontinued', 'access_cut', 'withdrawn']);
/** Struck out (horizontal stripes): a period the publisher announced will never exist. */
const STRUCK = new Set<PeriodState>(['cancelled']);
const MAIN = '#1f5fa8';
const RELATED = ['#0f8b6e', '#b5651d', '#6b7280', '#9c27b0'];
const CALENDAR = '#2563eb';

export interface ChartMeta {
  title: string;
  /** The status in words ('Suspended since July 2023'). */
  subtitle: string;
  publisher: string;
  /** Where the chart comes from, printed in the attribution line. */
  pageUrl: string;
  asOf: string | null;
}

/** Tick values for a value axis: about five round steps covering [min, max]. */
export function niceTicks(min: number, max: number): number[] {
  if (min === max) { min -= 1; max += 1; }
  const raw = (max - min) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  if (out.at(-1)! < max) out.push(+(out.at(-1)! + step).toPrecision(12));
  return out;
}

/** Index of the first label of each year, thinned to at most ~14 ticks (every 2, 5 or 10 years). */
export function yearTicks(labels: readonly string[]): { index: number; year: string }[] {
  const firsts: { index: number; year: string }[] = [];
  labels.forEach((p, i) => { const y = p.slice(0, 4); if (firsts.at(-1)?.year !== y) firsts.push({ index: i, year: y }); });
  const every = [1, 2, 5, 10, 20, 50].find((n) => firsts.length / n <= 14) ?? 100;
  return firsts.filter((t) => Number(t.year) % every === 0 || every === 1);
}

/** Indexes of values with no disclosed neighbour: drawn as dots, since no line can reach them. */
export function isolatedPoints(values: readonly (number | null)[]): number[] {
  return values.flatMap((v, i) => (v !== null && values[i - 1] == null && values[i + 1] == null ? [i] : []));
}

/** Runs of consecutive values as polyline points, never joined across a gap. */
function runs(values: readonly (number | null)[], x: (i: number) => number, y: (v: number) => number): string[] {
  const out: string[] = [];
  let run: string[] = [];
  values.forEach((v, i) => {
    if (v === null) { if (run.length > 1) out.push(run.join(' ')); run = []; return; }
    run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (run.length > 1) out.push(run.join(' '));
  return out;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const fmt = (v: number) => (Math.abs(v) >= 1e4 ? v.toLocaleString('en-US') : String(v));

export function chartSvg(data: ChartData, meta: ChartMeta): string {
  const n = data.labels.length;
  const unit = data.main.unit;
  const sameAxis = data.related.filter((r) => r.unit === unit);
  const values = [data.main.values, ...sameAxis.map((r) => r.values)].flat().filter((v): v is number => v !== null);
  const ticks = values.length ? niceTicks(Math.min(...values), Math.max(...values)) : [];
  const lo = ticks[0] ?? 0;
  const hi = ticks.at(-1) ?? 1;
  const slot = (PLOT.right - PLOT.left) / Math.max(n, 1);
  const x = (i: number) => PLOT.left + slot * (i + 0.5);
  const y = (v: number) => PLOT.bottom - ((v - lo) / (hi - lo || 1)) * (PLOT.bottom - PLOT.top);
  const index = new Map(data.labels.map((p, i) => [p, i]));
  const parts: string[] = [];
  const states = new Set<PeriodState>();

  for (const b of data.bands) {
    const from = index.get(b.from);
    const to = index.get(b.to);
    if (from === undefined || to === undefined) continue;
    states.add(b.state);
    const x0 = PLOT.left + slot * from;
    const w = Math.max(slot * (to - from + 1), 1.5);
    const color = STATE_COLOR[b.state] ?? '#c8c8c8';
    parts.push(`<rect x="${x0.toFixed(1)}" y="${PLOT.top}" width="${w.toFixed(1)}" height="${PLOT.bottom - PLOT.top}" fill="${color}" fill-opacity="0.28"><title>${esc(b.label)}</title></rect>`);
    if (HATCHED.has(b.state) || STRUCK.has(b.state)) parts.push(`<rect x="${x0.toFixed(1)}" y="${PLOT.top}" width="${w.toFixed(1)}" height="${PLOT.bottom - PLOT.top}" fill="url(#hatch-${b.state})"/>`);
    const word = stateLabel(b.state);
    if (w > word.length * 7.5 + 8) parts.push(`<text x="${(x0 + w / 2).toFixed(1)}" y="${PLOT.top + 16}" text-anchor="middle" font-size="13" fill="#1f2933">${esc(word)}</text>`);
  }
  for (const c of data.calendar) {
    const from = index.get(c.fromPeriod);
    const to = index.get(c.toPeriod);
    if (from === undefined || to === undefined) continue;
    const x0 = PLOT.left + slot * from;
    parts.push(`<rect x="${x0.toFixed(1)}" y="${PLOT.top}" width="${Math.max(slot * (to - from + 1), 1.5).toFixed(1)}" height="${PLOT.bottom - PLOT.top}" fill="${CALENDAR}" fill-opacity="0.06" stroke="${CALENDAR}" stroke-opacity="0.6" stroke-dasharray="2 2"><title>${esc(c.title)}</title></rect>`);
    const lx = x0 + slot * (to - from + 1) / 2 + 4;
    parts.push(`<text transform="translate(${lx.toFixed(1)} ${PLOT.bottom - 6}) rotate(-90)" font-size="11" fill="#1e40af">${esc(c.short)}</text>`);
  }
  // Value axis: gridlines and labels.
  for (const t of ticks) {
    parts.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${PLOT.left - 8}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" font-size="13" fill="#4b5563">${esc(fmt(t))}</text>`);
  }
  parts.push(`<text transform="translate(20 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="13" fill="#4b5563">${esc(unit)}</text>`);
  // Time axis: one tick at the first period of each year.
  parts.push(`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}" stroke="#9ca3af"/>`);
  for (const t of yearTicks(data.labels)) {
    const tx = PLOT.left + slot * t.index;
    parts.push(`<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 6}" stroke="#9ca3af"/>`);
    parts.push(`<text x="${tx.toFixed(1)}" y="${PLOT.bottom + 22}" text-anchor="middle" font-size="13" fill="#4b5563">${t.year}</text>`);
  }
  for (const b of data.breaks) {
    const i = index.get(b.period);
    if (i === undefined) continue;
    const bx = (PLOT.left + slot * i).toFixed(1);
    parts.push(`<line x1="${bx}" x2="${bx}" y1="${PLOT.top}" y2="${PLOT.bottom}" stroke="#111827" stroke-width="2" stroke-dasharray="5 4"><title>${esc(b.label)}</title></line>`);
  }
  const line = (vals: readonly (number | null)[], color: string, dash: string, width: number) => {
    for (const pts of runs(vals, x, y)) parts.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''} stroke-linejoin="round"/>`);
    const dots = n <= 60 ? vals.flatMap((v, i) => (v === null ? [] : [i])) : isolatedPoints(vals);
    for (const i of dots) parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(vals[i]!).toFixed(1)}" r="${n <= 60 ? 3 : 4}" fill="${color}"/>`);
  };
  sameAxis.forEach((r, k) => line(r.values, RELATED[k % RELATED.length]!, '7 5', 2));
  line(data.main.values, MAIN, '', 2.5);
  if (!values.length) {
    parts.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle" font-size="20" fill="#4b5563">No value on record for this series</text>`);
  }
  return wrap(parts, legend(data, sameAxis, states), data, meta);
}

function legend(data: ChartData, sameAxis: ChartData['related'], states: Set<PeriodState>): string {
  const items: string[] = [];
  let lx = PLOT.left;
  let ly = PLOT.bottom + 46;
  const add = (swatch: string, text: string) => {
    const w = 34 + text.length * 7.4;
    if (lx + w > PLOT.right) { lx = PLOT.left; ly += 24; } // a second row
    items.push(`<g transform="translate(${lx.toFixed(1)} ${ly})">${swatch}<text x="26" y="5" font-size="13" fill="#1f2933">${esc(text)}</text></g>`);
    lx += w;
  };
  add(`<line x1="0" x2="20" y1="0" y2="0" stroke="${MAIN}" stroke-width="3"/>`, clip(data.main.title, 60));
  sameAxis.forEach((r, k) => add(`<line x1="0" x2="20" y1="0" y2="0" stroke="${RELATED[k % RELATED.length]}" stroke-width="2" stroke-dasharray="6 4"/>`, `${r.role}: ${clip(r.title, 50)}`));
  for (const st of states) {
    const pattern = HATCHED.has(st) || STRUCK.has(st) ? `<rect x="0" y="-7" width="20" height="14" fill="url(#hatch-${st})"/>` : '';
    add(`<rect x="0" y="-7" width="20" height="14" fill="${STATE_COLOR[st]}" fill-opacity="0.5"/>${pattern}`, stateLabel(st));
  }
  if (data.breaks.length) add('<line x1="10" x2="10" y1="-8" y2="8" stroke="#111827" stroke-width="2" stroke-dasharray="4 3"/>', 'Method break');
  if (data.calendar.length) add(`<rect x="0" y="-7" width="20" height="14" fill="none" stroke="${CALENDAR}" stroke-dasharray="2 2"/>`, 'Political calendar');
  return items.join('');
}

function wrap(parts: string[], legendSvg: string, data: ChartData, meta: ChartMeta): string {
  const hatch = [...HATCHED].map((st) => `<pattern id="hatch-${st}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" stroke="${STATE_COLOR[st]}" stroke-opacity="0.65" stroke-width="2"/></pattern>`).join('')
    + [...STRUCK].map((st) => `<pattern id="hatch-${st}" width="8" height="6" patternUnits="userSpaceOnUse"><line x1="0" y1="3" x2="8" y2="3" stroke="${STATE_COLOR[st]}" stroke-opacity="0.8" stroke-width="2"/></pattern>`).join('');
  const span = data.labels.length ? `${data.labels[0]} to ${data.labels.at(-1)}` : 'no periods';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_W}" height="${CHART_H}" viewBox="0 0 ${CHART_W} ${CHART_H}" font-family="${FONT}" role="img">`
    + `<title>${esc(`${meta.title}: ${meta.subtitle}`)}</title><defs>${hatch}</defs>`
    + `<rect width="${CHART_W}" height="${CHART_H}" fill="#ffffff"/>`
    + `<text x="${PLOT.left - 60}" y="44" font-size="28" font-weight="bold" fill="#111827">${esc(clip(meta.title, 70))}</text>`
    + `<text x="${PLOT.left - 60}" y="78" font-size="18" fill="#374151">${esc(clip(meta.subtitle, 110))}</text>`
    + parts.join('') + legendSvg
    + `<text x="${PLOT.left - 60}" y="${CHART_H - 22}" font-size="13" fill="#4b5563">${esc(`Chart: lacuna · Data: ${meta.publisher} · ${span}${meta.asOf ? ` · as of ${meta.asOf}` : ''} · ${meta.pageUrl}`)}</text>`
    + '</svg>';
}
