// The page frame every HTML page shares, and the small helpers the pages have in common
// (status badges, dates, links that keep the as-of date). Everything is served from /assets/.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { SERIES_STATUSES, type SeriesStatus } from '../../src/core/index.js';
import { STATUS_DEFINITIONS } from '../../src/core/series-status.js';
import { isHttpUrl } from '../../src/formats/markup.js';

/** Human word for a series status (falls back to the raw value for anything unexpected). */
export function statusLabel(s: string): string {
  return (STATUS_DEFINITIONS as Record<string, { word: string }>)[s]?.word ?? s;
}

export const STATUSES: readonly SeriesStatus[] = SERIES_STATUSES;

/** A status badge: the word and a colour, never the colour alone. */
export function StatusBadge({ status }: { status: string }) {
  const means = (STATUS_DEFINITIONS as Record<string, { means: string }>)[status]?.means;
  return <span class={`badge status-${status}`} data-status={status} title={means}>{statusLabel(status)}</span>;
}

/** Epoch ms -> 'YYYY-MM-DD' (UTC). */
export function ymd(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '' : new Date(ms).toISOString().slice(0, 10);
}

/** Epoch ms -> 'YYYY-MM-DD HH:MM UTC'. */
export function ymdhm(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A URL with query parameters; empty or missing values are left out (an empty parameter is a 400). */
export function href(path: string, params: Record<string, string | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Only http(s) links are rendered as links: a catalogue must not smuggle javascript: URLs in. */
export function safeUrl(url: string): string | null {
  return isHttpUrl(url) ? url : null;
}

/** The host of a URL ('ecns.cn'), shown beside citation titles so readers see where a link goes. */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/;
export function hasCjk(s: string): boolean {
  return CJK.test(s);
}

/** What a shared link previews (OpenGraph and Twitter cards): absolute URLs, as the crawlers need. */
export interface ShareMeta {
  description: string;
  /** The page's own address. */
  url?: string;
  /** A 1200 x 630 PNG (the series chart). */
  image?: string;
  imageAlt?: string;
}

const SITE_DESCRIPTION = 'lacuna tracks official statistics and makes visible what governments stop disclosing.';

function ShareTags({ title, share }: { title: string; share: ShareMeta | undefined }) {
  const description = share?.description ?? SITE_DESCRIPTION;
  return (
    <>
      <meta property="og:site_name" content="lacuna" />
      <meta property="og:type" content="website" />
      <meta property="og:title" content={title} />
      <meta property="og:description" content={description} />
      {share?.url ? <meta property="og:url" content={share.url} /> : null}
      {share?.image ? (
        <>
          <meta property="og:image" content={share.image} />
          <meta property="og:image:type" content="image/png" />
          <meta property="og:image:width" content="1200" />
          <meta property="og:image:height" content="630" />
          {share.imageAlt ? <meta property="og:image:alt" content={share.imageAlt} /> : null}
        </>
      ) : null}
      <meta name="twitter:card" content={share?.image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={title} />
      <meta name="twitter:description" content={description} />
      {share?.image ? <meta name="twitter:image" content={share.image} /> : null}
      {share?.image && share.imageAlt ? <meta name="twitter:image:alt" content={share.imageAlt} /> : null}
    </>
  );
}

export function Layout({ title, children, asOf, feed, share, query }: { title: string; children?: Child; asOf?: string | null; feed?: string; share?: ShareMeta; query?: string }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title} · lacuna</title>
          <meta name="description" content={share?.description ?? SITE_DESCRIPTION} />
          <ShareTags title={`${title} · lacuna`} share={share} />
          {/* No favicon request: every request stays on this server. */}
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href="/assets/style.css" />
          <link rel="alternate" type="application/atom+xml" title="lacuna: series that stopped or came back" href="/feed.atom" />
          {feed ? <link rel="alternate" type="application/atom+xml" title={`lacuna: ${title}`} href={feed} /> : null}
        </head>
        <body>
          <a class="skip" href="#main">Skip to content</a>
          <header class="site-header">
            <a class="brand" href="/">
              <span class="brand-mark" aria-hidden="true">▚</span> lacuna
            </a>
            <span class="tagline">what official statistics stopped saying</span>
            <nav aria-label="Main">
              <a href="/">Board</a>
              <a href="/gaps">Gaps</a>
              <a href="/disclosure">Disclosure</a>
              <a href="/calendar">Calendar</a>
              <a href="/statuses">Words</a>
              <a href="/alerts">Alerts</a>
              <a href="/events.csv">Events CSV</a>
              <a href="/export.csv">Export CSV</a>
            </nav>
            <form class="site-search" method="get" action="/search" role="search">
              <label for="site-q" class="visually-hidden">Search series and events</label>
              <input id="site-q" type="search" name="q" value={query ?? ''} placeholder="Search series and events" />
              <button type="submit">Search</button>
            </form>
          </header>
          {asOf ? (
            <p class="asof-banner" role="note">
              <strong>As of {asOf}:</strong> what lacuna knew then. Values, events and states after that date are hidden.
            </p>
          ) : null}
          <main id="main">{children}</main>
          <footer class="site-footer">
            <p>
              lacuna records what publishers disclose and shows what they stop disclosing. A gap is labelled with its state
              and the event that explains it; "we could not reach the publisher" is never shown as "the publisher did not publish".
              Open source; data as published by each publisher.
            </p>
          </footer>
        </body>
      </html>
    </>
  );
}
