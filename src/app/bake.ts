// `lacuna bake DIR`: the whole public site written as static files that any static host or CDN
// can serve: pages, CSVs, JSON, badges, feeds, chart images, embeds and data packages. It asks the
// web app for each address in-process (so a baked page is byte for byte what the server sends),
// starting from every series, publisher and topic and following every internal link of every
// page. Where files go:
//   /                      -> index.html
//   /series/ID             -> series/ID/index.html      (a page: an address without an extension)
//   /api/series/ID         -> api/series/ID/index.json  (JSON at such an address)
//   /series/ID.csv         -> series/ID.csv             (an address with an extension: as it is)
//   a redirect             -> a page that sends the reader on (meta refresh and a link)
// Query strings cannot be files: a link with one (a filter, a page of results, ?dl=1) is baked as
// the address without it, which a static host serves for it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';
import type { Db } from '../../db/client.js';
import { createApp } from '../../web/app.js';
import { listSeries } from '../read/read-model.js';

export interface BakeResult {
  files: number;
  bytes: number;
  /** Addresses that did not answer 200 or a redirect, with their status. */
  failed: { path: string; status: number }[];
}

/** The file an address is written to, relative to the bake folder. */
export function fileFor(path: string, contentType: string): string {
  const clean = decodeURIComponent(path.replace(/[?#].*$/, '')).replace(/^\/+/, '');
  const last = clean.split('/').pop() ?? '';
  // Series ids hold dots (cn.nbs.unemployment.urban): only these endings are file names.
  if (/\.(html|csv|json|svg|png|atom|xml|js|css|txt)$/i.test(last) || clean.startsWith('raw/')) return clean;
  const index = contentType.includes('json') ? 'index.json' : 'index.html';
  return clean ? `${clean}/${index}` : index;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Internal links (href and src starting with one slash) of an HTML page, without query or fragment. */
export function internalLinks(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/\s(?:href|src)="(\/(?!\/)[^"]*)"/g)) {
    const path = m[1]!.replace(/&amp;/g, '&').replace(/[?#].*$/, '');
    if (path) out.add(path);
  }
  return [...out];
}

/** Every address the site has that no page links to: per series, publisher and topic, and the lists. */
function seeds(db: Db, now: number): string[] {
  const all = listSeries(db, {}, now, { limit: 100_000 }).rows;
  const paths = [
    '/', '/gaps', '/disclosure', '/calendar', '/statuses', '/alerts', '/search', '/feed.atom',
    '/export.csv', '/events.csv', '/gaps.csv', '/disclosure.csv', '/datapackage.json',
    '/api/series', '/api/events', '/api/disclosure', '/api/openapi.json',
  ];
  for (const s of all) {
    const id = encodeURIComponent(s.id);
    paths.push(`/series/${id}`, `/series/${id}.csv`, `/series/${id}/values.csv`, `/series/${id}/datapackage.json`,
      `/series/${id}/chart.png`, `/series/${id}/chart.svg`, `/embed/series/${id}`, `/series/${id}/feed.atom`,
      `/badge/series/${id}.svg`, `/badge/series/${id}.json`, `/api/series/${id}`, `/api/series/${id}/observations`);
  }
  for (const p of new Set(all.map((s) => s.publisher.id))) {
    paths.push(`/badge/publisher/${encodeURIComponent(p)}.svg`, `/badge/publisher/${encodeURIComponent(p)}.json`, `/publishers/${encodeURIComponent(p)}/feed.atom`);
  }
  for (const t of new Set(all.flatMap((s) => s.topics))) paths.push(`/topics/${encodeURIComponent(t)}/feed.atom`);
  return paths;
}

/** What a request for `path` is sent as: the API's list in one piece (every series on one page). */
const requestFor = (path: string) => (path === '/api/series' ? '/api/series?limit=1000' : path);

/** Writes the site to `dir`. `baseUrl` is where it will be served (absolute links in previews, feeds and embeds). */
export async function bakeSite(db: Db, dir: string, opts: { baseUrl: string; now: number }): Promise<BakeResult> {
  const app: Hono = createApp({ db, now: () => opts.now, publicUrl: opts.baseUrl.replace(/\/+$/, '') });
  const queue = seeds(db, opts.now);
  const seen = new Set(queue);
  const result: BakeResult = { files: 0, bytes: 0, failed: [] };
  const write = (file: string, body: Uint8Array | string) => {
    const target = join(dir, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, body);
    result.files++;
    result.bytes += typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  };
  while (queue.length) {
    const path = queue.shift()!;
    const res = await app.request(requestFor(path));
    const type = res.headers.get('content-type') ?? '';
    if (res.status >= 300 && res.status < 400) {
      const to = res.headers.get('location') ?? '/';
      write(fileFor(path, 'text/html'), `<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=${escapeAttr(to)}"><title>Moved</title><a href="${escapeAttr(to)}">${escapeAttr(to)}</a>\n`);
      continue;
    }
    if (res.status !== 200) {
      result.failed.push({ path, status: res.status });
      continue;
    }
    const body = new Uint8Array(await res.arrayBuffer());
    write(fileFor(path, type), body);
    if (type.startsWith('text/html')) {
      for (const link of internalLinks(Buffer.from(body).toString('utf8'))) {
        if (!seen.has(link)) { seen.add(link); queue.push(link); }
      }
    }
  }
  return result;
}
