// The email channel against a real SMTP server on loopback (smtp-server): what arrives, and which
// server answers are permanent or worth a retry.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { email, type EmailConfig } from '../../src/alerts/email.js';
import { ChannelError, type ChannelContext } from '../../src/alerts/types.js';
import { BASE, digestOfThree, ECNS, PAGE, REASON, SERIES_TITLE, startSmtp, suspension, type Smtp } from './fixtures.js';

const servers: Smtp[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** An SMTP server on 127.0.0.1 keeping what it accepts, closed after each test. */
async function smtp(over: Partial<SMTPServerOptions> = {}): Promise<Smtp> {
  const server = await startSmtp(over);
  servers.push(server);
  return server;
}

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

/** Headers (unfolded and decoded, lower-case names) and the decoded text and HTML parts of a multipart/alternative mail. */
function parseMail(raw: string): { headers: Record<string, string>; text: string; html: string } {
  const [head, body] = splitAt(raw);
  const headers = parseHeaders(head);
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) throw new Error(`not multipart: ${headers['content-type']}`);
  const parts = body.split(`--${boundary}`).slice(1, -1).map((p) => {
    const [h, b] = splitAt(p.replace(/^\r\n/, ''));
    const ph = parseHeaders(h);
    return { type: ph['content-type'] ?? '', body: decode(b.replace(/\r\n$/, ''), ph['content-transfer-encoding'] ?? '7bit') };
  });
  const part = (t: string) => parts.find((p) => p.type.startsWith(t))?.body ?? '';
  return { headers, text: part('text/plain'), html: part('text/html') };
}
function splitAt(s: string): [string, string] {
  const i = s.indexOf('\r\n\r\n');
  return [s.slice(0, i), s.slice(i + 4)];
}
function parseHeaders(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const i = line.indexOf(':');
    out[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return out;
}
/** RFC 2047 encoded words (=?UTF-8?Q?...?=), as nodemailer writes a subject with < or ". */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, t: string) => (
    enc.toUpperCase() === 'B' ? Buffer.from(t, 'base64').toString('utf8') : decode(t.replace(/_/g, ' '), 'quoted-printable')));
}
function decode(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body, 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return Buffer.from(body, 'latin1').toString('utf8');
}

const ctx = (env: Record<string, string | undefined>): ChannelContext => ({ secret: (n) => env[n], mailFrom: env.LACUNA_MAIL_FROM, now: Date.parse('2023-08-15T06:05:00Z'), publicUrl: BASE });
const cfg = (over: Record<string, unknown> = {}): EmailConfig => email.config.parse({ to: 'ops@example.org', ...over });

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ChannelError);
  return e as ChannelError;
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as AddressInfo).port;
  await new Promise((ok) => s.close(ok));
  return port;
}

describe('the email settings', () => {
  it('take one address, a list or a comma-separated string, default the SMTP variable and refuse unknown keys', () => {
    expect(email.config.parse({ to: 'ops@example.org' })).toEqual({ to: 'ops@example.org', smtp_url_env: 'LACUNA_SMTP_URL' });
    expect(email.config.parse({ to: ['ops@example.org', 'Desk <desk@example.org>'], from: 'lacuna <alerts@example.org>', smtp_url_env: 'MAIL_URL' }))
      .toEqual({ to: ['ops@example.org', 'Desk <desk@example.org>'], from: 'lacuna <alerts@example.org>', smtp_url_env: 'MAIL_URL' });
    expect(email.config.parse({ to: 'ops@example.org, desk@example.org' }).to).toEqual(['ops@example.org', 'desk@example.org']);
    expect(email.config.safeParse({ to: 'not an address' }).success).toBe(false);
    expect(email.config.safeParse({ to: [] }).success).toBe(false);
    expect(email.config.safeParse({ to: 'ops@example.org', smtp_url: 'smtp://u:p@host' }).success).toBe(false);
  });
});

describe('an email alert', () => {
  it('arrives with the title as subject, the recipient, the delivery key and a Message-ID from the flip id', async () => {
    const s = await smtp();
    await email.send([suspension()], cfg(), ctx({ LACUNA_SMTP_URL: s.url }));
    expect(s.mails).toHaveLength(1);
    const mail = s.mails[0]!;
    expect(mail.to).toEqual(['ops@example.org']);
    expect(mail.from).toBe('lacuna@localhost');
    const { headers } = parseMail(mail.raw);
    expect(headers.subject).toBe(`Suspended: ${SERIES_TITLE}`);
    expect(headers.to).toBe('ops@example.org');
    expect(headers.from).toBe('lacuna <lacuna@localhost>');
    expect(headers['x-lacuna-delivery']).toBe('412');
    expect(headers['message-id']).toBe('<lacuna.flip-412@lacuna.example.org>');
  });

  it('carries the reason, the evidence with its link and the chart link in the plain-text part', async () => {
    const s = await smtp();
    await email.send([suspension()], cfg(), ctx({ LACUNA_SMTP_URL: s.url }));
    const { text } = parseMail(s.mails[0]!.raw);
    expect(text).toContain(REASON);
    expect(text).toContain(`- NBS suspends the age-group urban unemployment rates from the July 2023 data (2023-08-15): ${ECNS}`);
    expect(text).toContain(`Chart: ${PAGE}#chart`);
  });

  it('escapes everything in the HTML part, a <script> in a title included, and links the evidence and the chart', async () => {
    const s = await smtp();
    const title = `Suspended: <script>alert("x")</script> ${SERIES_TITLE}`;
    await email.send([suspension({ title })], cfg(), ctx({ LACUNA_SMTP_URL: s.url }));
    const { html, headers } = parseMail(s.mails[0]!.raw);
    expect(headers.subject).toBe(title);
    expect(html).not.toContain('<script>');
    expect(html).toContain('<h2>Suspended: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Urban surveyed');
    expect(html).toContain(`<a href="${ECNS}">NBS suspends the age-group urban unemployment rates from the July 2023 data</a> (2023-08-15)`);
    expect(html).toContain(`<a href="${PAGE}#chart">View the chart</a>`);
  });

  it('says a comeback resumed with a method break at its period', async () => {
    const s = await smtp();
    const back = suspension({ title: `Resumed with a method break: ${SERIES_TITLE}`, from: 'suspended', to: 'current', resumed: true, breakAt: '2023-12' });
    await email.send([back], cfg(), ctx({ LACUNA_SMTP_URL: s.url }));
    const { text, html } = parseMail(s.mails[0]!.raw);
    expect(text).toContain('resumed with a method break at 2023-12');
    expect(html).toContain('resumed with a method break at 2023-12');
  });

  it('sends a digest of three as one email to every listed address, from LACUNA_MAIL_FROM', async () => {
    const s = await smtp();
    const env = { LACUNA_SMTP_URL: s.url, LACUNA_MAIL_FROM: 'lacuna alerts <alerts@lacuna.example.org>' };
    await email.send(digestOfThree(), cfg({ to: ['ops@example.org', 'desk@example.org'] }), ctx(env));
    expect(s.mails).toHaveLength(1);
    const mail = s.mails[0]!;
    expect(mail.to).toEqual(['ops@example.org', 'desk@example.org']);
    expect(mail.from).toBe('alerts@lacuna.example.org');
    const { headers, text } = parseMail(mail.raw);
    expect(headers.subject).toBe('lacuna digest: 3 changes');
    expect(headers.to).toBe('ops@example.org, desk@example.org');
    expect(headers['x-lacuna-delivery']).toBe('412,413,414');
    expect(headers['message-id']).toMatch(/^<lacuna\.digest-[0-9a-f]{24}@lacuna\.example\.org>$/);
    for (const m of digestOfThree()) expect(text).toContain(m.title);
  });

  it('gives a resend of the same flips the same Message-ID', async () => {
    const s = await smtp();
    await email.send(digestOfThree(), cfg(), ctx({ LACUNA_SMTP_URL: s.url }));
    await email.send(digestOfThree(), cfg(), ctx({ LACUNA_SMTP_URL: s.url }));
    await email.send(digestOfThree().slice(0, 2), cfg(), ctx({ LACUNA_SMTP_URL: s.url }));
    const ids = s.mails.map((m) => parseMail(m.raw).headers['message-id']);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });
});

describe('the SMTP answers', () => {
  it('treats a recipient rejected with 550 as permanent', async () => {
    const s = await smtp({ onRcptTo: (_a, _s, cb) => cb(smtpError('5.1.1 <ops@example.org>: Recipient address rejected', 550)) });
    const e = await failure(email.send([suspension()], cfg(), ctx({ LACUNA_SMTP_URL: s.url })));
    expect(e.permanent).toBe(true);
    expect(e.message).toMatch(/^email to ops@example\.org: .*550/);
    expect(s.mails).toHaveLength(0);
  });

  it('treats one rejected address among several as permanent, after the others got it', async () => {
    const s = await smtp({ onRcptTo: (a, _s, cb) => cb(a.address === 'gone@example.org' ? smtpError('5.1.1 no such user', 550) : null) });
    const e = await failure(email.send([suspension()], cfg({ to: ['ops@example.org', 'gone@example.org'] }), ctx({ LACUNA_SMTP_URL: s.url })));
    expect(e.permanent).toBe(true);
    expect(e.message).toContain('gone@example.org');
    expect(s.mails.map((m) => m.to)).toEqual([['ops@example.org']]);
  });

  it('treats a 451 (try again later) as transient', async () => {
    const s = await smtp({
      onData(stream, _s, cb) {
        stream.resume();
        stream.on('end', () => cb(smtpError('4.3.0 Temporary system problem, try again later', 451)));
      },
    });
    const e = await failure(email.send([suspension()], cfg(), ctx({ LACUNA_SMTP_URL: s.url })));
    expect(e.permanent).toBe(false);
    expect(e.message).toContain('451');
  });

  it('treats a refused connection as transient', async () => {
    const port = await closedPort();
    const e = await failure(email.send([suspension()], cfg(), ctx({ LACUNA_SMTP_URL: `smtp://127.0.0.1:${port}` })));
    expect(e.permanent).toBe(false);
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('treats a missing LACUNA_SMTP_URL as permanent, naming the variable', async () => {
    const e = await failure(email.send([suspension()], cfg(), ctx({})));
    expect(e.permanent).toBe(true);
    expect(e.message).toBe('email to ops@example.org: the environment variable LACUNA_SMTP_URL (smtp_url_env) is not set');
  });

  it('treats a refused login as permanent without showing the password', async () => {
    const s = await smtp({ allowInsecureAuth: true, onAuth: (_a, _s, cb) => cb(smtpError('Authentication credentials invalid', 535)) });
    const url = s.url.replace('smtp://', 'smtp://lacuna:s3cr%40t-pw@');
    const e = await failure(email.send([suspension()], cfg(), ctx({ LACUNA_SMTP_URL: url })));
    expect(e.permanent).toBe(true);
    expect(e.message).toContain('535');
    expect(e.message).not.toMatch(/s3cr/);
  });
});
