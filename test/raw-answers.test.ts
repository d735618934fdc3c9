// Archived publisher answers at /raw/<hash>: sent as stored, never inflated whole per request.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rawAnswers } from '../db/schema.js';
import { appAt, at, loadedDb } from './helpers.js';

const NOW = at('2026-11-20T00:00:00Z');

describe('an archived answer', () => {
  const { db } = loadedDb(NOW);
  const body = Buffer.from('{"returncode":200,"returndata":"国家统计局"}'.repeat(1000));
  const hash = createHash('sha256').update(body).digest('hex');
  const gz = gzipSync(body);
  db.insert(rawAnswers).values({ hash, contentType: 'application/json', encoding: 'gzip', size: body.length, body: gz }).run();
  const app = appAt(db, NOW);

  it('goes out as stored, gzip-compressed, to a client that takes gzip', async () => {
    const r = await app.request(`/raw/${hash}`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(r.headers.get('content-encoding')).toBe('gzip');
    const sent = Buffer.from(await r.arrayBuffer());
    expect(sent.equals(gz)).toBe(true);
    expect(gunzipSync(sent).equals(body)).toBe(true);
  });

  it('is inflated as a stream for a client that does not, as a download that never renders', async () => {
    const r = await app.request(`/raw/${hash}`);
    expect(r.headers.get('content-encoding')).toBeNull();
    expect(r.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(r.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(Buffer.from(await r.arrayBuffer()).equals(body)).toBe(true);
  });
});
