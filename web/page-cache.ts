// Rendered pages, kept compressed like the stored answers, so that a link in an article read by
// many does not render the same page for each reader. A kept page holds while nothing it shows
// has changed (the page_generation counter of migration 0008, moved by triggers on every table a
// page reads) and no stored evaluation it read has expired (the earliest valid_until), and at most
// a minute (days overdue move with the clock). A page built from any series evaluated afresh (an
// as-of view, or facts newer than the last status check) is sent but not kept.
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import type { Db } from '../db/client.js';
import { liveEvaluations } from '../src/read/read-model.js';
import { nextEvaluationExpiry, pageGeneration } from '../src/read/page-generation.js';
import { gzipEtag, storedAnswer } from './stored-answer.js';

const TTL_MS = 60_000;
const MAX_PAGES = 500;

interface Kept { generation: number; expires: number; gz: Buffer; etag: string }

export interface PageCache {
  /**
   * The page for the request (its path, its known parameters `q` and its origin), kept or rendered
   * now, gzip-compressed for clients that accept it, with an ETag. A render that returns a Response
   * (a 404) is sent as it is and not kept.
   */
  page(c: Context, q: object, render: () => unknown): Promise<Response>;
}

export function createPageCache(db: Db, now: () => number): PageCache {
  const kept = new Map<string, Kept>();
  const generation = () => pageGeneration(db);
  return {
    async page(c, q, render) {
      // The origin is part of the page (absolute links in previews) unless LACUNA_PUBLIC_URL fixes it.
      const key = `${c.req.path}?${JSON.stringify(q)}`;
      const gen = generation();
      const t = now();
      const hit = kept.get(key);
      if (hit && hit.generation === gen && t < hit.expires) return storedAnswer(c, hit.gz, 'text/html; charset=UTF-8', hit.etag);
      const live = liveEvaluations.n;
      const rendered = await render();
      if (rendered instanceof Response) return rendered;
      const html = String(await (rendered as { toString(): string | Promise<string> }).toString());
      const gz = gzipSync(html, { level: 6 });
      if (liveEvaluations.n === live && generation() === gen) {
        const next = nextEvaluationExpiry(db, t);
        kept.delete(key);
        if (kept.size >= MAX_PAGES) kept.delete(kept.keys().next().value!);
        kept.set(key, { generation: gen, expires: Math.min(t + TTL_MS, next ?? Infinity), gz, etag: `W/${gzipEtag(gz)}` });
      }
      return storedAnswer(c, gz, 'text/html; charset=UTF-8');
    },
  };
}
