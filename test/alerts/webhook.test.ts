// The webhook channel against a real HTTP receiver on loopback: the three payload shapes, the
// signature, and which receiver answers are permanent or worth a retry.
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChannelError, type ChannelContext } from '../../src/alerts/types.js';
import { webhook, type WebhookConfig } from '../../src/alerts/webhook.js';
import { BASE, digestOfThree, ECNS, PAGE, SERIES_TITLE, suspension } from './fixtures.js';

interface Received { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }
type Answer = (res: ServerResponse) => void;

let server: Server;
let url: string;
let received: Received[];
let answer: Answer;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      answer(res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});
beforeEach(() => {
  received = [];
  answer = (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
});

const NOW = Date.parse('2023-08-15T06:05:00Z');
const ctx = (env: Record<string, string> = {}): ChannelContext => ({ secret: (n) => env[n], now: NOW, publicUrl: BASE });
const cfg = (over: Record<string, unknown> = {}): WebhookConfig => webhook.config.parse({ url: `${url}/hook`, ...over });
const bodyOf = (r: Received) => JSON.parse(r.body.toString('utf8')) as Record<string, any>;

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ChannelError);
  return e as ChannelError;
}

describe('the webhook settings', () => {
  it('default to the lacuna preset, no signature and a 10 s timeout', () => {
    expect(webhook.config.parse({ url: 'https://hooks.example.org/lacuna' }))
      .toEqual({ url: 'https://hooks.example.org/lacuna', preset: 'lacuna', timeout_ms: 10000 });
  });

  it('refuse URLs that are not http or https, unknown presets and unknown keys', () => {
    expect(webhook.config.safeParse({ url: 'ftp://example.org/x' }).success).toBe(false);
    expect(webhook.config.safeParse({ url: 'https://example.org/x', preset: 'teams' }).success).toBe(false);
    expect(webhook.config.safeParse({ url: 'https://example.org/x', secret: 'hunter2' }).success).toBe(false);
    expect(webhook.config.safeParse({ url: 'https://example.org/x', secret_env: 'not a name' }).success).toBe(false);
  });
});

describe('the lacuna preset', () => {
  it('posts one alert as JSON with snake_case keys, ISO dates and the flip id as delivery key', async () => {
    await webhook.send([suspension()], cfg(), ctx());
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect([r.method, r.url]).toEqual(['POST', '/hook']);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['user-agent']).toBe('lacuna-alerts');
    expect(r.headers['webhook-id']).toBe('lacuna-flip-412');
    expect(r.headers['webhook-timestamp']).toBe(String(Date.parse('2023-08-15T06:05:00Z') / 1000));
    expect(r.headers['webhook-signature']).toBeUndefined();
    expect(bodyOf(r)).toEqual({
      alerts: [{
        flip_id: 412, kind: 'status', at: '2023-08-15T06:00:00.000Z', title: `Suspended: ${SERIES_TITLE}`,
        text: suspension().text,
        series: { id: 'cn.nbs.unemployment.urban.age16_24', title: SERIES_TITLE, frequency: 'monthly', topics: ['labour', 'youth'] },
        publisher: { id: 'nbs', name: 'National Bureau of Statistics of China' },
        from: 'current', to: 'suspended', resumed: false, break_at: null, period: '2023-07', due_at: '2023-08-17T02:00:00.000Z',
        events: [{
          id: 'cn-nbs-youth-1624-suspension-announced-2023-08-15', kind: 'suspension_announced',
          title: 'NBS suspends the age-group urban unemployment rates from the July 2023 data', date: '2023-08-15', url: ECNS,
        }],
        links: { page: PAGE, chart: `${PAGE}#chart`, csv: `${PAGE}.csv`, alerts: `${BASE}/alerts#flip-412` },
      }],
    });
  });

  it('posts a digest of three in one request, keyed by all three flip ids', async () => {
    await webhook.send(digestOfThree(), cfg(), ctx());
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['webhook-id']).toMatch(/^lacuna-digest-[0-9a-f]{24}$/);
    const alerts = bodyOf(received[0]!).alerts as Record<string, unknown>[];
    expect(alerts.map((a) => [a.flip_id, a.kind, a.to])).toEqual([[412, 'status', 'suspended'], [413, 'reminder', 'suspended'], [414, 'source', 'failing']]);
    expect(alerts[2]).toMatchObject({ series: null, period: null, due_at: null, events: [] });
  });
});

describe('the signature (Standard Webhooks)', () => {
  it('is v1 and the base64 HMAC-SHA256 of "id.timestamp.body" with the secret', async () => {
    await webhook.send(digestOfThree(), cfg({ secret_env: 'LACUNA_HOOK_SECRET' }), ctx({ LACUNA_HOOK_SECRET: 'wh-5ecret-for-tests' }));
    const r = received[0]!;
    const [id, ts] = [String(r.headers['webhook-id']), String(r.headers['webhook-timestamp'])];
    const expected = createHmac('sha256', 'wh-5ecret-for-tests').update(`${id}.${ts}.${r.body}`).digest('base64');
    expect(r.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(ts).toBe(String(Date.parse('2023-08-15T06:05:00Z') / 1000));
  });

  it('verifies with the Standard Webhooks library a receiver would use, for a whsec_ secret too', async () => {
    const raw = Buffer.from('a 32-byte secret for lacuna test').toString('base64');
    const now = Date.now(); // the library refuses timestamps more than five minutes from its clock
    await webhook.send([suspension()], cfg({ secret_env: 'S' }), { ...ctx({ S: `whsec_${raw}` }), now });
    const r = received[0]!;
    const headers = { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) };
    expect(new Webhook(`whsec_${raw}`).verify(r.body, headers)).toMatchObject({ alerts: [{ flip_id: 412 }] });
    // A changed body does not verify.
    expect(() => new Webhook(`whsec_${raw}`).verify(r.body.toString('utf8').replace('412', '413'), headers)).toThrow();
  });

  it('is never skipped: a missing secret variable is a permanent error naming it, and nothing is sent', async () => {
    const e = await failure(webhook.send([suspension()], cfg({ secret_env: 'LACUNA_HOOK_SECRET' }), ctx()));
    expect(e.permanent).toBe(true);
    expect(e.message).toContain('LACUNA_HOOK_SECRET');
    expect(received).toHaveLength(0);
  });
});

describe('the slack preset', () => {
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

  it('posts a fallback text and one mrkdwn section with the bold title, the reason and the chart link', async () => {
    await webhook.send([suspension()], cfg({ preset: 'slack' }), ctx());
    expect(bodyOf(received[0]!)).toEqual({
      text: `Suspended: ${SERIES_TITLE}`,
      blocks: [section(`*Suspended: ${SERIES_TITLE}*\n${suspension().text}\n<${PAGE}#chart|view chart>`)],
    });
  });

  it('posts a digest of three as three sections under a count', async () => {
    await webhook.send(digestOfThree(), cfg({ preset: 'slack' }), ctx());
    const body = bodyOf(received[0]!);
    expect(body.text).toBe('lacuna digest: 3 changes');
    expect(body.blocks).toHaveLength(3);
    expect(body.blocks[2]).toEqual(section(
      `*Source failing: National Bureau of Statistics of China*\n${digestOfThree()[2]!.text}\n<${BASE}/alerts#flip-414#chart|view chart>`,
    ));
  });

  it('escapes &, < and > so alert text cannot make links or mentions', async () => {
    await webhook.send([suspension({ title: 'Late: R&D <spending>', text: 'see <!channel>' })], cfg({ preset: 'slack' }), ctx());
    expect(bodyOf(received[0]!).blocks[0].text.text).toBe(`*Late: R&amp;D &lt;spending&gt;*\nsee &lt;!channel&gt;\n<${PAGE}#chart|view chart>`);
    expect(bodyOf(received[0]!).text).toBe('Late: R&amp;D &lt;spending&gt;');
  });

  it('keeps to 50 blocks and 3000 characters a section, saying how many alerts were left out', async () => {
    const many = Array.from({ length: 60 }, (_, i) => suspension({ flipId: 500 + i, text: 'x'.repeat(5000) }));
    await webhook.send(many, cfg({ preset: 'slack' }), ctx());
    const blocks = bodyOf(received[0]!).blocks as { text: { text: string } }[];
    expect(blocks).toHaveLength(50);
    expect(blocks.every((b) => b.text.text.length <= 3000)).toBe(true);
    expect(blocks[0]!.text.text).toMatch(/x…\n<.*#chart\|view chart>$/);
    expect(blocks[49]!.text.text).toBe(`…and 11 more: <${BASE}/alerts|all alerts>`);
    expect(String(received[0]!.headers['webhook-id'])).toMatch(/^lacuna-digest-/);
  });
});

describe('the discord preset', () => {
  it('posts the title as content and one embed with the reason, the chart link, the page and the time', async () => {
    await webhook.send([suspension()], cfg({ preset: 'discord' }), ctx());
    expect(bodyOf(received[0]!)).toEqual({
      content: `Suspended: ${SERIES_TITLE}`,
      embeds: [{
        title: `Suspended: ${SERIES_TITLE}`, description: `${suspension().text}\n[view chart](${PAGE}#chart)`,
        url: PAGE, timestamp: '2023-08-15T06:00:00.000Z',
      }],
      allowed_mentions: { parse: [] },
    });
  });

  it('posts a digest of three as three embeds under a count', async () => {
    await webhook.send(digestOfThree(), cfg({ preset: 'discord' }), ctx());
    const body = bodyOf(received[0]!);
    expect(body.content).toBe('lacuna digest: 3 changes');
    expect(body.embeds.map((e: { title: string }) => e.title)).toEqual(digestOfThree().map((m) => m.title));
    expect(body.embeds[2].url).toBe(`${BASE}/alerts#flip-414`);
  });

  it('cuts a long description at 4096 characters with "…" and keeps the chart link', async () => {
    await webhook.send([suspension({ text: 'y'.repeat(5000), title: 't'.repeat(2500) })], cfg({ preset: 'discord' }), ctx());
    const body = bodyOf(received[0]!);
    expect(body.content).toHaveLength(2000);
    expect(body.content.endsWith('t…')).toBe(true);
    expect(body.embeds[0].title).toHaveLength(256);
    expect(body.embeds[0].description.length).toBeLessThanOrEqual(4096);
    expect(body.embeds[0].description).toMatch(/y…\n\[view chart\]\(.*#chart\)$/);
  });

  it('keeps to 10 embeds and 6000 characters over all of them, naming how many were left out', async () => {
    const many = Array.from({ length: 12 }, (_, i) => suspension({ flipId: 600 + i, text: 'z'.repeat(3000) }));
    await webhook.send(many, cfg({ preset: 'discord' }), ctx());
    const body = bodyOf(received[0]!);
    expect(body.embeds).toHaveLength(10);
    const total = body.embeds.reduce((n: number, e: { title: string; description: string }) => n + e.title.length + e.description.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    expect(body.content).toBe(`lacuna digest: 12 changes (2 more not shown: ${BASE}/alerts)`);
  });
});

describe('the receiver answers', () => {
  it.each([400, 401, 403, 404, 410])('treats HTTP %i as permanent, quoting the answer', async (status) => {
    answer = (res) => res.writeHead(status, { 'content-type': 'text/plain' }).end('no_service\n');
    const e = await failure(webhook.send([suspension()], cfg(), ctx()));
    expect(e.permanent).toBe(true);
    expect(e.message).toBe(`webhook ${url}/hook: HTTP ${status}: no_service`);
  });

  it.each([408, 429, 500, 502, 503])('treats HTTP %i as transient', async (status) => {
    answer = (res) => res.writeHead(status).end('try later');
    const e = await failure(webhook.send([suspension()], cfg(), ctx()));
    expect(e.permanent).toBe(false);
    expect(e.message).toBe(`webhook ${url}/hook: HTTP ${status}: try later`);
  });

  it('treats a redirect as permanent: the configured URL should be the final one', async () => {
    answer = (res) => res.writeHead(301, { location: '/new-hook' }).end();
    const e = await failure(webhook.send([suspension()], cfg(), ctx()));
    expect(e.permanent).toBe(true);
    expect(e.message).toContain(`HTTP 301: redirects to ${url}/new-hook`);
    expect(received).toHaveLength(1);
  });

  it('treats a refused connection as transient', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    const e = await failure(webhook.send([suspension()], cfg({ url: `http://127.0.0.1:${port}/hook` }), ctx()));
    expect(e.permanent).toBe(false);
    expect(e.message).toBe(`webhook http://127.0.0.1:${port}/hook: ECONNREFUSED`);
  });

  it('treats a receiver that does not answer within timeout_ms as transient', async () => {
    answer = () => {};
    const started = performance.now();
    const e = await failure(webhook.send([suspension()], cfg({ timeout_ms: 200 }), ctx()));
    expect(e.permanent).toBe(false);
    expect(e.message).toBe(`webhook ${url}/hook: no answer within 200 ms`);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('never puts the secret or a token-like URL segment in an error message', async () => {
    const secret = 'wh-5ecret-for-tests';
    answer = (res) => res.writeHead(403).end(`bad signature, expected key ${secret}`);
    const token = 'Xq7bJk2mPzR4tW9vLc8sNd3e';
    const e = await failure(webhook.send(
      [suspension()], cfg({ url: `${url}/services/T0AB12CD3/B0EF45GH6/${token}?token=abc`, secret_env: 'S' }), ctx({ S: secret }),
    ));
    expect(e.message).toBe(`webhook ${url}/services/T0AB12CD3/B0EF45GH6/…: HTTP 403: bad signature, expected key ***`);
  });
});
