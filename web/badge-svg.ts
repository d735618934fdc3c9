// A flat, shields.io-like badge: a grey label on the left, a coloured message on the right. The
// message always carries the words (the colour only repeats them), and every text is XML-escaped.
import type { SeriesStatus } from '../src/core/types.js';
import { escapeXml } from '../src/formats/markup.js';

/** Dark enough for white text (contrast >= 4.5:1); the same hues as the page's status badges. */
export const STATUS_COLOR: Record<SeriesStatus, string> = {
  new: '#4b5563',
  current: '#2e7d32',
  unchecked: '#4b5563',
  no_record: '#4b5563',
  late: '#9a5b00',
  overdue: '#c62828',
  suspended: '#6a3fb5',
  discontinued: '#3d4654',
  paused: '#6b7280',
};
export const CLEAR_COLOR = STATUS_COLOR.current;
export const DARK_COLOR = STATUS_COLOR.overdue;

/** Approximate advance of a character in 11px Verdana, the badge font (shields measures the same way). */
function charWidth(ch: string): number {
  if (/[ilj|!.,:;'`·]/.test(ch)) return 3.6;
  if (/[frtI()[\]{}/\\ \-]/.test(ch)) return 4.6;
  if (/[mwMW%]/.test(ch)) return 10.4;
  if (/[A-Z]/.test(ch)) return 7.6;
  if (/[0-9]/.test(ch)) return 7;
  if (/[a-z]/.test(ch)) return 6.6;
  // CJK and other wide scripts.
  return ch.codePointAt(0)! > 0x2e80 ? 11 : 7;
}

function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return Math.ceil(w);
}

/** Two text layers as shields draws them: a faint shadow one pixel down, then the text. */
function text(x: number, width: number, s: string): string {
  const t = escapeXml(s);
  return `<text aria-hidden="true" x="${x}" y="15" fill="#010101" fill-opacity=".3" textLength="${width}">${t}</text>`
    + `<text x="${x}" y="14" textLength="${width}">${t}</text>`;
}

export function badgeSvg({ label, message, color }: { label: string; message: string; color: string }): string {
  const lt = textWidth(label);
  const mt = textWidth(message);
  const lw = lt + 10;
  const mw = mt + 10;
  const w = lw + mw;
  const fill = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(color) ? color : '#555';
  const title = escapeXml(`${label}: ${message}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}">`
    + `<title>${title}</title>`
    + '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
    + `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`
    + `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${fill}"/>`
    + `<rect width="${w}" height="20" fill="url(#s)"/></g>`
    + '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="11">'
    + text(lw / 2, lt, label) + text(lw + mw / 2, mt, message)
    + '</g></svg>';
}
