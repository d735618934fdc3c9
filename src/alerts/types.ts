// What an alert says, and the contract of a channel plug-in. A channel turns messages into one
// delivery (a webhook POST, an email); the outbox (outbox.ts) decides when and records each attempt.
import type { z } from 'zod';

/** status: a series' status changed; source: a publisher's health; reminder: still dark; promise: a release calendar's promise moved, was cancelled or removed. */
export type AlertKind = 'status' | 'source' | 'reminder' | 'promise';

/** An event that explains the change, with its first citation. */
export interface AlertEvent {
  id: string;
  kind: string;
  title: string;
  date: string;
  /** The first citation's URL, when there is one. */
  url: string | null;
}

export interface AlertMessage {
  /** The flip id: the idempotency key receivers can deduplicate on. */
  flipId: number;
  kind: AlertKind;
  /** When the change was detected (ms). */
  at: number;
  /** One line: "Urban surveyed unemployment rate, ages 16-24: suspended". */
  title: string;
  /** The sentence with the reason and the events behind it, plain text. */
  text: string;
  series: { id: string; title: string; frequency: string; topics: string[] } | null;
  publisher: { id: string; name: string };
  /**
   * Series statuses for status and reminder alerts; source health ('ok', 'failing', 'blocked') for
   * source alerts; for promise alerts, the promised date before and the date now, or 'cancelled' or 'removed'.
   */
  from: string;
  to: string;
  /** The series came back after a gap. */
  resumed: boolean;
  /** The comeback starts a new method at this period. */
  breakAt: string | null;
  /** The period the change is about and when it was due (ms), when known. */
  period: string | null;
  dueAt: number | null;
  /** The events that explain the change (the account), oldest first. */
  events: AlertEvent[];
  /** Absolute links into lacuna. */
  links: { page: string; chart: string; csv: string; alerts: string };
}

export class ChannelError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
    this.name = 'ChannelError';
  }
}

export interface ChannelContext {
  /** A secret a channel's settings name (secret_env, smtp_url_env), from the configuration. */
  secret(name: string): string | undefined;
  /** The sender of alert mail when a channel names none (LACUNA_MAIL_FROM). */
  mailFrom?: string | undefined;
  now: number;
  /** lacuna's public base URL, for links. */
  publicUrl: string;
}

export interface ChannelPlugin<Cfg = unknown> {
  kind: string;
  /** The channel's settings as written in alerts.yaml or given to the CLI (snake_case keys, no `kind`, `id`, `follows`, `digest`). */
  config: z.ZodType<Cfg>;
  /**
   * Sends one delivery: a single alert, or several at once for a daily digest. Throws
   * ChannelError: permanent when trying again cannot help (404 webhook, rejected address).
   */
  send(messages: readonly AlertMessage[], cfg: Cfg, ctx: ChannelContext): Promise<void>;
}
