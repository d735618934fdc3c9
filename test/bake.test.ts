// `lacuna bake DIR` writes the public site as static files: the bundled catalogue is baked and
// every internal link of every baked page resolves to a file inside DIR.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileFor, internalLinks } from '../src/app/bake.js';
import { lacuna, tempDir } from './helpers.js';

const YOUTH = 'cn.nbs.unemployment.urban.age16_24';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('lacuna bake', () => {
  it('bakes the bundled catalogue into static files whose every internal link resolves inside the folder', async () => {
    const dir = join(tempDir(), 'site');
    const r = await lacuna(['bake', dir, '--base-url', 'https://lacuna.example'], { LACUNA_DB: join(tempDir(), 'x.sqlite') }, { now: Date.parse('2026-11-20T00:00:00Z') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^baked \d+ files \([\d.]+ MB\) into /);
    for (const f of ['index.html', `series/${YOUTH}/index.html`, `series/${YOUTH}.csv`, `series/${YOUTH}/chart.png`, `series/${YOUTH}/chart.svg`,
      `series/${YOUTH}/datapackage.json`, `badge/series/${YOUTH}.svg`, `series/${YOUTH}/feed.atom`, 'feed.atom', 'export.csv', 'gaps/index.html',
      `api/series/${YOUTH}/index.json`, `api/series/${YOUTH}/observations/index.json`, 'api/series/index.json', `embed/series/${YOUTH}/index.html`]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const pages = files(dir).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(100);
    const broken: string[] = [];
    for (const page of pages) {
      for (const link of internalLinks(readFileSync(page, 'utf8'))) {
        const targets = [fileFor(link, 'text/html'), fileFor(link, 'application/json')];
        if (!targets.some((t) => existsSync(join(dir, t)))) broken.push(`${relative(dir, page)} -> ${link}`);
      }
    }
    expect(broken).toEqual([]);
    // Absolute links (previews, embeds) point where the site will be served.
    expect(readFileSync(join(dir, `series/${YOUTH}/index.html`), 'utf8')).toContain(`content="https://lacuna.example/series/${YOUTH}/chart.png"`);
    expect(readFileSync(join(dir, 'export.csv'), 'utf8').startsWith('series_id,period,value,')).toBe(true);
  }, 180_000);

  it('places each address in a file a static host serves for it', () => {
    expect(fileFor('/', 'text/html')).toBe('index.html');
    expect(fileFor(`/series/${YOUTH}`, 'text/html; charset=UTF-8')).toBe(`series/${YOUTH}/index.html`);
    expect(fileFor(`/series/${YOUTH}.csv`, 'text/csv')).toBe(`series/${YOUTH}.csv`);
    expect(fileFor(`/api/series/${YOUTH}?as_of=2023-09-01`, 'application/json')).toBe(`api/series/${YOUTH}/index.json`);
    expect(internalLinks('<a href="/?status=dark">x</a> <img src="/badge/a.svg"> <a href="https://x.org/">y</a> <a href="//cdn/x">z</a>'))
      .toEqual(['/', '/badge/a.svg']);
  });

  it('refuses to bake without the address the site will be served at', async () => {
    const r = await lacuna(['bake', join(tempDir(), 'site')], { LACUNA_DB: join(tempDir(), 'x.sqlite') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bake needs --base-url');
  });
});
