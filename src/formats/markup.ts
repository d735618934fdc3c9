// Text made safe for the markup lacuna writes outside JSX: Atom feeds, SVG badges, HTML mail.

// Characters XML 1.0 does not allow anywhere, not even in CDATA (lone surrogates included).
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Drops the characters XML cannot hold. */
export function xmlClean(s: string): string {
  return s.replace(XML_INVALID, '');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for XML or HTML, in content or a quoted attribute (and ">" escaped, so "]]>" never ends a CDATA early). */
export function escapeXml(s: string): string {
  return xmlClean(s).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Whether a link may be written as one: http and https only (never javascript: or data:). */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}
