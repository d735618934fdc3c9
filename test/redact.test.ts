// Credentials in URLs never leave a fetch: redacted in every URL, scrubbed from every message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactUrl, scrub, secretsIn } from '../src/sources/redact.js';
import { createHttp } from '../src/sources/http.js';
import { startReplayServer, type ReplayServer } from './replay-server.js';

const KEY = 'abcd1234efgh5678abcd1234efgh5678';

describe('redaction', () => {
  it('replaces credential query values and user info, and leaves other URLs as written', () => {
    expect(redactUrl(`https://api.stlouisfed.org/fred/series/observations?series_id=CPIAUCSL&api_key=${KEY}&file_type=json`))
      .toBe('https://api.stlouisfed.org/fred/series/observations?series_id=CPIAUCSL&api_key=***&file_type=json');
    expect(redactUrl('https://user:pa55word@example.org/x?token=t0k3n&q=1')).toBe('https://***:***@example.org/x?token=***&q=1');
    const plain = 'https://data.stats.gov.cn/easyquery.htm?cn=A01&zb=A0201';
    expect(redactUrl(plain)).toBe(plain);
    expect(secretsIn(`https://x.org/?api_key=${KEY}&key=k3y-value`)).toEqual([KEY, 'k3y-value']);
    expect(scrub(`Bad key ${KEY} in ${encodeURIComponent(KEY)}`, [KEY])).toBe('Bad key *** in ***');
  });
});

describe('an HTTP failure', () => {
  let server: ReplayServer;
  beforeAll(async () => { server = await startReplayServer(); });
  afterAll(async () => { await server.close(); });

  it('names the URL without its key, and an answer that echoes the key is scrubbed too', async () => {
    server.on('/fred/series/observations', { status: 400, body: `{"error_message":"Bad Request. The value for variable api_key (${KEY}) is not registered."}` });
    const get = createHttp({ userAgent: 't', timeoutMs: 1000, retries: 0, backoffMs: 1, maxBytes: 1 << 20 });
    const e = await get({ url: `${server.url}/fred/series/observations?series_id=X&api_key=${KEY}` }).then(() => null, (x: Error) => x);
    expect(e!.message).toContain('api_key=***');
    expect(e!.message).not.toContain(KEY);
    server.on('/ok', { body: '{}' });
    const a = await get({ url: `${server.url}/ok?api_key=${KEY}` });
    expect(a.url).toBe(`${server.url}/ok?api_key=***`);
  });
});
