// Webhook channel: one JSON POST per delivery, in lacuna's own shape or one Slack or Discord accept.
// Every request follows Standard Webhooks (standardwebhooks.com): `webhook-id` is the same for
// every attempt of one delivery (the flip ids), so a receiver drops duplicates; `webhook-timestamp`
// is when this attempt was sent; with a secret, `webhook-signature` is "v1," + the base64
// HMAC-SHA256 of "id.timestamp.body", so a receiver can also refuse replays and forgeries. A secret
// written "whsec_<base64>" is used as Standard Webhooks says; any other is used as its UTF-8 bytes.
import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { ChannelError, type AlertMessage, type ChannelPlugin } from './types.js';

const config = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
  preset: z.enum(['lacuna', 'slack', 'discord']).default('lacuna'),
  /** The name of the environment variable holding the HMAC secret (never the secret itself). */
  secret_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').optional(),
  timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
});
export type WebhookConfig = z.infer<typeof config>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
const alertsPage = (m: AlertMessage) => m.links.alerts.replace(/#.*$/, '');

const lacuna = (ms: readonly AlertMessage[]) => ({
  alerts: ms.map((m) => ({
    flip_id: m.flipId, kind: m.kind, at: iso(m.at), title: m.title, text: m.text, series: m.series,
    publisher: m.publisher, from: m.from, to: m.to, resumed: m.resumed, break_at: m.breakAt,
    period: m.period, due_at: iso(m.dueAt), events: m.events, links: m.links,
  })),
});

// Slack: at most 50 blocks, 3000 characters of text in a section; mrkdwn needs &, < and > escaped.
const slackEsc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const slackSection = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
function slack(ms: readonly AlertMessage[]) {
  const shown = ms.length > 50 ? ms.slice(0, 49) : ms;
  const blocks = shown.map((m) => {
    const link = `\n<${slackEsc(m.links.chart)}|view chart>`;
    return slackSection(`${cut(`*${slackEsc(m.title)}*\n${slackEsc(m.text)}`, 3000 - link.length)}${link}`);
  });
  const more = ms.length - shown.length;
  if (more) blocks.push(slackSection(`…and ${more} more: <${slackEsc(alertsPage(ms[0]!))}|all alerts>`));
  return { text: ms.length === 1 ? slackEsc(ms[0]!.title) : `lacuna digest: ${ms.length} changes`, blocks };
}

// Discord: content ≤ 2000, at most 10 embeds, title ≤ 256, description ≤ 4096 and ≤ 6000
// characters over all embeds (so a digest shares that budget). Mentions in alert text never ping.
function discord(ms: readonly AlertMessage[]) {
  const shown = ms.slice(0, 10);
  const share = Math.floor(6000 / shown.length);
  const embeds = shown.map((m) => {
    const title = cut(m.title, 256);
    const link = `\n[view chart](${m.links.chart})`;
    const room = Math.min(4096, share - title.length) - link.length;
    return { title, description: `${cut(m.text, Math.max(room, 1))}${link}`, url: m.links.page, timestamp: iso(m.at) };
  });
  const more = ms.length - shown.length;
  const content = ms.length === 1 ? ms[0]!.title
    : `lacuna digest: ${ms.length} changes${more ? ` (${more} more not shown: ${alertsPage(ms[0]!)})` : ''}`;
  return { content: cut(content, 2000), embeds, allowed_mentions: { parse: [] } };
}

const PRESETS = { lacuna, slack, discord };

/** The delivery's id, the same on every attempt: the flip id, or a digest's flip ids hashed. */
export function deliveryId(messages: readonly AlertMessage[]): string {
  const ids = messages.map((m) => m.flipId);
  return ids.length === 1 ? `lacuna-flip-${ids[0]}` : `lacuna-digest-${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 24)}`;
}

/** A Standard Webhooks signer: "whsec_" secrets as the scheme says, any other as its UTF-8 bytes. */
export function signer(secret: string): Webhook {
  return secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(new Uint8Array(Buffer.from(secret, 'utf8')), { format: 'raw' });
}

/** The URL for error messages: no user info or query, and token-like path segments elided. */
const displayUrl = (url: string) => {
  const u = new URL(url);
  return `${u.origin}${u.pathname.replace(/[A-Za-z0-9_-]{20,}/g, '…')}`;
};

export const webhook: ChannelPlugin<WebhookConfig> = {
  kind: 'webhook',
  config,
  async send(messages, cfg, ctx) {
    const where = `webhook ${displayUrl(cfg.url)}`;
    const body = JSON.stringify(PRESETS[cfg.preset](messages));
    const id = deliveryId(messages);
    const sentAt = new Date(ctx.now);
    const headers: Record<string, string> = {
      'content-type': 'application/json', 'user-agent': 'lacuna-alerts',
      'webhook-id': id, 'webhook-timestamp': String(Math.floor(ctx.now / 1000)),
    };
    const secret = cfg.secret_env ? ctx.secret(cfg.secret_env) : undefined;
    if (cfg.secret_env && !secret) throw new ChannelError(`${where}: the environment variable ${cfg.secret_env} (secret_env) is not set`, true);
    if (secret) headers['webhook-signature'] = signer(secret).sign(id, sentAt, body);
    let res: Response;
    try {
      res = await fetch(cfg.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(cfg.timeout_ms) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why = err.name === 'TimeoutError' ? `no answer within ${cfg.timeout_ms} ms` : err.cause?.code ?? err.cause?.message ?? err.message;
      throw new ChannelError(`${where}: ${why}`, false);
    }
    if (res.ok) {
      await res.body?.cancel().catch(() => {});
      return;
    }
    let answer = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim();
    if (secret) answer = answer.split(secret).join('***');
    const to = res.headers.get('location') ?? '';
    if (res.status < 400) answer = `redirects to ${URL.canParse(to, cfg.url) ? displayUrl(new URL(to, cfg.url).href) : '?'}; set the final URL`;
    // Transient: the receiver is busy, rate-limiting or broken for now. Anything else (a 4xx, a
    // redirect) says the URL or the payload is wrong, and sending it again gets the same answer.
    const transient = res.status === 408 || res.status === 425 || res.status === 429 || res.status >= 500;
    throw new ChannelError(`${where}: HTTP ${res.status}${answer ? `: ${cut(answer, 200)}` : ''}`, !transient);
  },
};
