// The explicit list of alert channel plug-ins; a missing or duplicate kind is a start-up error.
// (The Atom feed is not a channel: it is read, not sent; see web/feeds.ts.)
import { email } from './email.js';
import type { ChannelPlugin } from './types.js';
import { webhook } from './webhook.js';

const CHANNELS: ChannelPlugin<any>[] = [webhook, email];

const REGISTRY = new Map<string, ChannelPlugin<any>>();
for (const c of CHANNELS) {
  if (REGISTRY.has(c.kind)) throw new Error(`two channel plug-ins share the kind "${c.kind}"`);
  REGISTRY.set(c.kind, c);
}

export const channelKinds = (): string[] => [...REGISTRY.keys()];

export function channelPlugin(kind: string): ChannelPlugin<any> {
  const c = REGISTRY.get(kind);
  if (!c) throw new Error(`unknown channel kind "${kind}" (known: ${channelKinds().join(', ')})`);
  return c;
}
