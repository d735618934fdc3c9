// Atom feeds of alerts: every change (/feed.atom), or one series', topic's or publisher's. This
// module only renders; the routes choose and filter the messages.
//
// The `feed` library puts entry titles, summaries and contents in CDATA marked type="html", but
// does not escape them: an evidence title with "<" or "&" would be read as markup by a feed
// reader. So every piece of text is HTML-escaped here before it goes in, and the library's CDATA
// only has to keep the XML well formed. Attribute values (category terms) are escaped for "&" and
// '"' by the library but not for "<", which is dropped here.
import { Feed, type Category, type Item } from 'feed';
import type { AlertMessage, AlertEvent } from '../src/alerts/types.js';
import type { FeedEvent } from '../src/read/feed-events.js';
import { escapeXml as esc, isHttpUrl, xmlClean as clean } from '../src/formats/markup.js';

export interface AtomFeedOptions {
  /** The feed's permanent id (an IRI), e.g. `${siteUrl}/feed.atom`. */
  id: string;
  title: string;
  /** Where this feed is served (rel="self"). */
  selfUrl: string;
  /** lacuna's public base URL (rel="alternate"; entry ids and category schemes hang off it). */
  siteUrl: string;
  /** The feed's <updated> when there is no message (ms); otherwise the newest message's time is used. */
  updated?: number;
}


/** A value for an XML attribute the library escapes only for "&" and '"'. */
function attr(s: string): string {
  return clean(s).replace(/</g, '');
}

/** Only absolute http(s) URLs are linked: evidence must not smuggle javascript: links into a reader. */
function httpUrl(url: string | null | undefined): string | null {
  if (!url || !isHttpUrl(url)) return null;
  try {
    return new URL(url).toString();
  } catch {
    return null;
  }
}

function statusWord(s: string): string {
  return s.replace(/_/g, ' ');
}

function eventItem(e: AlertEvent): string {
  const url = httpUrl(e.url);
  const title = url ? `<a href="${esc(url)}">${esc(e.title)}</a>` : esc(e.title);
  const meta = [e.date, statusWord(e.kind)].filter(Boolean).map(esc).join(', ');
  return `<li>${title}${meta ? ` (${meta})` : ''}</li>`;
}

function contentOf(m: AlertMessage, site: string): string {
  const parts = [`<p>${esc(m.text)}</p>`];
  const change = m.kind === 'reminder'
    ? `Still ${statusWord(m.to)}.`
    : m.kind === 'promise' ? `Promise: ${m.from || '—'} → ${m.to}.`
    : `${m.kind === 'source' ? 'Source' : 'Status'}: ${statusWord(m.from)} → ${statusWord(m.to)}${m.resumed ? ' (resumed)' : ''}.`;
  parts.push(`<p>${esc(change)}${m.breakAt ? ` ${esc(`Method break at ${m.breakAt}.`)}` : ''}</p>`);
  if (m.events.length) parts.push(`<p>Evidence:</p><ul>${m.events.map(eventItem).join('')}</ul>`);
  const links: string[] = [];
  const page = httpUrl(m.links.page);
  if (page) links.push(`<a href="${esc(page)}">${m.series ? 'Series page' : 'Details'}</a>`);
  const chart = m.series ? httpUrl(m.links.chart) : null;
  if (chart) links.push(`<a href="${esc(chart)}">Chart</a>`);
  const csv = httpUrl(m.links.csv);
  if (csv) links.push(`<a href="${esc(csv)}">CSV</a>`);
  links.push(`<a href="${esc(`${site}/alerts#flip-${m.flipId}`)}">All alerts</a>`);
  parts.push(`<p>${links.join(' · ')}</p>`);
  return parts.join('\n');
}

function categoriesOf(m: AlertMessage, site: string): Category[] {
  const out: Category[] = (m.series?.topics ?? []).map((t) => ({ term: attr(t), scheme: `${site}/topics/` }));
  // `name` is written as the Atom label.
  if (m.publisher.id) out.push({ term: attr(m.publisher.id), name: attr(m.publisher.name), scheme: `${site}/publishers/` });
  return out;
}

const KIND_WORD: Record<string, string> = {
  suspension_announced: 'Suspension announced', cancelled: 'Cancelled', delayed: 'Delayed', resumed: 'Resumed', method_change: 'Method change',
  discontinued: 'Discontinued', replaced: 'Replaced', line_dropped: 'Line dropped from a release', access_cut: 'Access cut',
  access_restored: 'Access restored',
};

/** A catalogue event as a feed entry, dated with its own date (the start of that day, UTC). */
function eventEntry(e: FeedEvent, site: string): Item & { sortAt: number } {
  const page = `${site}/series/${encodeURIComponent(e.seriesId)}#event-${encodeURIComponent(e.id)}`;
  const at = new Date(`${e.date}T00:00:00Z`);
  const cites = e.citations.map((c) => {
    const url = httpUrl(c.url);
    return `<li>${url ? `<a href="${esc(url)}">${esc(c.title)}</a>` : esc(c.title)} (${esc([c.publisher, c.date].filter(Boolean).join(', '))})</li>`;
  }).join('');
  const content = [
    `<p>${esc(`${e.seriesTitle}: ${e.title} (${e.date}${e.dateApproximate ? ', approximate' : ''}).`)}</p>`,
    e.description ? `<p>${esc(e.description)}</p>` : '',
    `<p>${esc(`Evidence: ${e.evidenceKind.replace(/_/g, ' ')}; confidence: ${e.confidence.replace(/_/g, ' ')}.`)}</p>`,
    cites ? `<ul>${cites}</ul>` : '',
    `<p><a href="${esc(page)}">The event on the series page</a> · <a href="${esc(`${site}/series/${encodeURIComponent(e.seriesId)}#chart`)}">Chart</a></p>`,
  ].join('\n');
  const category: Category[] = e.topics.map((t) => ({ term: attr(t), scheme: `${site}/topics/` }));
  category.push({ term: attr(e.publisher.id), name: attr(e.publisher.name), scheme: `${site}/publishers/` });
  return {
    id: `${site}/events/${encodeURIComponent(e.id)}`, title: esc(`${KIND_WORD[e.kind] ?? e.kind}: ${e.seriesTitle}`), link: page,
    date: at, published: at, description: esc(e.title), content, category, author: [{ name: 'lacuna' }], sortAt: at.getTime(),
  };
}

/**
 * An Atom 1.0 feed of alert messages and catalogue events, newest first (at most `limit` entries).
 * Entry ids are `${siteUrl}/alerts#flip-<flipId>`: stable, and the anchor of the alert's row on
 * the alerts page. The feed's <updated> is the newest message's time, else `opts.updated`, else
 * the Unix epoch (so an empty feed renders the same bytes every time).
 */
export function atomFeed(messages: readonly AlertMessage[], opts: AtomFeedOptions, events: readonly FeedEvent[] = [], limit = 100): string {
  const site = opts.siteUrl.replace(/\/+$/, '');
  const eventItems = events.map((e) => eventEntry(e, site));
  const times = [...messages.map((m) => m.at), ...eventItems.map((i) => i.sortAt)];
  const newest = times.length ? Math.max(...times) : null;
  const feed = new Feed({
    id: clean(opts.id),
    title: clean(opts.title),
    link: `${site}/alerts`,
    feed: opts.selfUrl,
    updated: new Date(newest ?? opts.updated ?? 0),
    generator: 'lacuna',
    author: { name: 'lacuna', link: `${site}/` },
    description: 'Official statistics that changed status: suspended, discontinued, overdue or resumed, with the evidence.',
  });
  const items: (Item & { sortAt: number })[] = [...eventItems];
  for (const m of messages) {
    const id = `${site}/alerts#flip-${m.flipId}`;
    const at = new Date(m.at);
    const item: Item = {
      id,
      title: esc(m.title),
      link: httpUrl(m.links.page) ?? id,
      date: at,
      published: at,
      description: esc(m.text),
      content: contentOf(m, site),
      category: categoriesOf(m, site),
      author: [{ name: 'lacuna' }],
    };
    items.push({ ...item, sortAt: m.at });
  }
  for (const { sortAt: _, ...item } of items.sort((a, b) => b.sortAt - a.sortAt).slice(0, limit)) feed.addItem(item);
  return feed.atom1();
}
