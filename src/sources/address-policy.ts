// Which hosts a fetch may reach. lacuna reads publishers on the public internet; a publisher (or
// anyone on the path) must not be able to point it at the machine it runs on or its network
// (loopback, private, link-local, cloud metadata addresses), whose answers lacuna would archive
// and serve at /raw/<hash>. A configured base URL that is itself internal (a mirror on the LAN,
// a test server on loopback) is the operator's choice and is allowed, for that host only.
import { lookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const INTERNAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) INTERNAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) INTERNAL.addSubnet(net, prefix, 'ipv6');

/** Whether an IP address is loopback, private, link-local, shared, multicast or reserved. */
export function isInternalAddress(address: string): boolean {
  const v = isIP(address);
  if (v === 4) return INTERNAL.check(address, 'ipv4');
  if (v !== 6) return false;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? INTERNAL.check(mapped[1]!, 'ipv4') : INTERNAL.check(address, 'ipv6');
}

const bare = (host: string) => host.replace(/^\[|\]$/g, '');

/** The addresses a host name stands for (an IP literal stands for itself). */
export function addressesOf(host: string): Promise<string[]> {
  const h = bare(host);
  if (isIP(h)) return Promise.resolve([h]);
  return new Promise((resolve, reject) => {
    lookup(h, { all: true }, (err, addresses: LookupAddress[]) => (err ? reject(err) : resolve(addresses.map((a) => a.address))));
  });
}

/** Whether a host is internal: localhost, an internal IP literal, or a name that resolves to one. */
export async function isInternalHost(host: string): Promise<boolean> {
  const h = bare(host).toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  try {
    return (await addressesOf(h)).some(isInternalAddress);
  } catch {
    return false; // an unknown name is not internal; the request itself will fail as unreachable
  }
}

export class InternalAddressError extends Error {
  readonly code = 'EINTERNALADDRESS';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A dns.lookup for connections that must reach public hosts only: it refuses a name that resolves to
 * an internal address at the moment of connecting, so a name cannot pass a check and then rebind.
 */
export function publicOnlyLookup(hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) { callback(err, ''); return; }
    const internal = addresses.find((a) => isInternalAddress(a.address));
    if (internal) {
      callback(new InternalAddressError(`${hostname} resolves to ${internal.address}, an internal address`), '');
      return;
    }
    if ((options as LookupAllOptions).all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}
