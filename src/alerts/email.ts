// Email channel: one message per delivery (a single alert, or a digest) over SMTP. The SMTP URL,
// with its password, stays in the environment; the settings only name the variable.
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { ChannelError, type AlertMessage, type ChannelPlugin } from './types.js';
import { escapeXml as esc, isHttpUrl } from '../formats/markup.js';

const address = z.string().regex(
  /^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'an email address: ops@example.org or "Ops <ops@example.org>"',
);
const config = z.strictObject({
  /** One address, a list, or (as `--set to=a@x,b@y` gives) a comma-separated string. */
  to: z.preprocess((v) => (typeof v === 'string' && v.includes(',') ? v.split(',').map((s) => s.trim()) : v), z.union([address, z.array(address).min(1)])),
  from: address.optional(),
  smtp_url_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').default('LACUNA_SMTP_URL'),
});
export type EmailConfig = z.infer<typeof config>;

const a = (url: string, label: string) => (isHttpUrl(url) ? `<a href="${esc(url)}">${esc(label)}</a>` : esc(label));
const breakNote = (m: AlertMessage) => (m.resumed && m.breakAt ? `It resumed with a method break at ${m.breakAt}.` : null);

function textOf(m: AlertMessage): string {
  const events = m.events.map((e) => `- ${e.title} (${e.date})${e.url ? `: ${e.url}` : ''}`);
  return [m.title, '', m.text, breakNote(m), ...(events.length ? ['', 'Evidence:', ...events] : []),
    '', `Chart: ${m.links.chart}`, `Page: ${m.links.page}`].filter((l) => l !== null).join('\n');
}

function htmlOf(m: AlertMessage): string {
  const note = breakNote(m);
  const events = m.events.map((e) => `<li>${a(e.url ?? '', e.title)} (${esc(e.date)})</li>`).join('');
  return `<h2>${esc(m.title)}</h2>\n<p>${esc(m.text)}</p>\n${note ? `<p><strong>${esc(note)}</strong></p>\n` : ''}`
    + `${events ? `<p>Evidence:</p><ul>${events}</ul>\n` : ''}<p>${a(m.links.chart, 'View the chart')} · ${a(m.links.page, 'Series page')}</p>`;
}

/** Permanent: a 5xx reply (a rejected address or sender, refused login) or settings nodemailer refuses. */
function classify(e: unknown, where: string, password: string): ChannelError {
  const err = e as Error & { code?: string; responseCode?: number };
  const permanent = err.responseCode !== undefined
    ? err.responseCode >= 500 && err.responseCode !== 503
    : ['EENVELOPE', 'ECONFIG', 'ENOAUTH'].includes(err.code ?? '');
  const why = `${err.code ? `${err.code}: ` : ''}${err.message}`;
  return new ChannelError(`${where}: ${password ? why.split(password).join('***') : why}`, permanent);
}

/** The SMTP password as nodemailer sends it, to keep it out of error messages. */
function passwordOf(url: string): string {
  const raw = new URL(url).password;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export const email: ChannelPlugin<EmailConfig> = {
  kind: 'email',
  config,
  async send(messages, cfg, ctx) {
    const to = [cfg.to].flat();
    const where = `email to ${to.join(', ')}`;
    const url = ctx.secret(cfg.smtp_url_env);
    if (!url) throw new ChannelError(`${where}: the environment variable ${cfg.smtp_url_env} (smtp_url_env) is not set`, true);
    if (!/^smtps?:\/\//i.test(url) || !URL.canParse(url)) {
      throw new ChannelError(`${where}: ${cfg.smtp_url_env} is not an smtp:// or smtps:// URL`, true);
    }
    const password = passwordOf(url);
    const ids = messages.map((m) => m.flipId);
    // The same flips give the same Message-ID, so a resend after a lost answer is recognisable.
    const key = ids.length === 1 ? `flip-${ids[0]}` : `digest-${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 24)}`;
    const host = URL.canParse(ctx.publicUrl) ? new URL(ctx.publicUrl).hostname || 'localhost' : 'localhost';
    const transport = nodemailer.createTransport({ url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
    let rejected: string[];
    try {
      const info = await transport.sendMail({
        from: cfg.from || ctx.mailFrom || 'lacuna <lacuna@localhost>',
        to,
        subject: messages.length === 1 ? messages[0]!.title : `lacuna digest: ${messages.length} changes`,
        text: messages.map(textOf).join('\n\n----\n\n'),
        html: `<!doctype html><html><body>\n${messages.map(htmlOf).join('\n<hr>\n')}\n</body></html>`,
        messageId: `<lacuna.${key}@${host}>`,
        headers: { 'X-Lacuna-Delivery': ids.join(',') },
      });
      rejected = info.rejected;
    } catch (e) {
      throw classify(e, where, password);
    } finally {
      transport.close();
    }
    // Some recipients took it: a retry would repeat it to them, so the rest is for a person to fix.
    if (rejected.length) throw new ChannelError(`${where}: the server rejected ${rejected.join(', ')} (the others got it)`, true);
  },
};
