// What lacuna sends on a public address: security headers on every page, framing only where it is
// meant, no 500 for an asset name that happens to be a property of every object, and links that
// never follow a forged Host header.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rawAnswers } from '../db/schema.js';
import { join } from 'node:path';
import { parseConfig } from '../src/app/config.js';
import { start } from '../src/app/start.js';
import { silentLogger } from '../src/app/log.js';
import { appAt, at, loadedDb, tempDir, BUNDLED_CATALOGUE } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');
const YOUTH = 'cn.nbs.unemployment.urban.age16_24';

describe('security headers', () => {
  const { db } = loadedDb(NOW);
  const app = appAt(db, NOW);

  it('put every page under a CSP of its own origin, without framing, sniffing or leaking query strings', async () => {
    for (const path of ['/', `/series/${YOUTH}`, '/gaps', '/alerts', '/disclosure', '/calendar', '/statuses', '/nope']) {
      const r = await app.request(path);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("style-src 'self'");
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('x-frame-options'), path).toBe('DENY');
      expect(r.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
    }
  });

  it('let the embed page be framed anywhere, and badges and charts be loaded from any site', async () => {
    const embed = await app.request(`/embed/series/${YOUTH}`);
    expect(embed.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(embed.headers.get('x-frame-options')).toBeNull();
    const badge = await app.request(`/badge/series/${YOUTH}.svg`);
    expect(badge.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('leave the archived answers\' own sandbox in place', async () => {
    const body = Buffer.from('<html><script>alert(1)</script></html>');
    const hash = createHash('sha256').update(body).digest('hex');
    db.insert(rawAnswers).values({ hash, contentType: 'text/html', encoding: 'gzip', size: body.length, body: gzipSync(body) }).run();
    const r = await app.request(`/raw/${hash}`);
    expect(r.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(r.headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('put no inline script or style in a page (the CSP would refuse it)', async () => {
    for (const path of ['/', `/series/${YOUTH}`, '/gaps', '/alerts', `/embed/series/${YOUTH}`]) {
      const html = await (await app.request(path)).text();
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/g)].map((m) => m[0]);
      expect(inline, path).toEqual([]);
      expect(html, path).not.toMatch(/<style[\s>]/);
      expect(html, path).not.toMatch(/\sstyle="/);
    }
  });
});

describe('assets', () => {
  const { db } = loadedDb(NOW);
  const app = appAt(db, NOW);

  it('answer 404 for a name that is a property of every object, not 500', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect((await app.request(`/assets/${name}`)).status, name).toBe(404);
    }
    expect((await app.request('/assets/style.css')).status).toBe(200);
  });
});

describe('links that leave a page', () => {
  it('never follow a forged Host header: LACUNA_PUBLIC_URL, or the address lacuna listens on', async () => {
    const config = parseConfig({ PORT: '0', LACUNA_DB: join(tempDir(), 'lacuna.sqlite'), LACUNA_CATALOGUE: BUNDLED_CATALOGUE, LACUNA_SCHEDULER: 'off' });
    const running = await start(config, silentLogger, () => NOW);
    try {
      for (const path of ['/feed.atom', `/series/${YOUTH}`, `/badge/series/${YOUTH}.json`, `/series/${YOUTH}/datapackage.json`]) {
        const r = await fetch(`${running.url}${path}`, { headers: { host: 'evil.example' } });
        const text = await r.text();
        expect(text, path).not.toContain('evil.example');
        expect(text, path).toContain(running.url);
      }
    } finally {
      await running.close();
    }
  });
});
