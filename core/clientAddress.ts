import { BlockList, isIP } from 'node:net';

/**
 * Which proxies in front of the app are believed when they say who the client is (TRUST_PROXY): none, the
 * last `hops` proxies, or every proxy whose address is in `proxies`.
 */
export type ProxyTrust =
  { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'cidrs'; proxies: BlockList };

/**
 * Parses TRUST_PROXY: empty (trust none), a hop count (`1`), or a comma list of IPv4/IPv6 addresses and CIDR
 * ranges (`10.0.0.0/8, 172.16.0.0/12, fd00::/8`). Throws an Error naming the bad entry.
 */
export function parseProxyTrust(text: string): ProxyTrust {
  const value = text.trim();
  if (value === '' || value === '0') return { kind: 'none' };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 32) throw new Error(`${value} hops: at most 32`);
    return { kind: 'hops', hops };
  }
  const proxies = new BlockList();
  for (const entry of value.split(',').map((e) => e.trim())) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : Number(prefix);
    if (
      family === 0 ||
      rest.length > 0 ||
      (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) ||
      bits > (family === 6 ? 128 : 32)
    ) {
      throw new Error(`"${entry}" is neither a hop count nor an IP address or CIDR range`);
    }
    proxies.addSubnet(address, bits, family === 6 ? 'ipv6' : 'ipv4');
  }
  return { kind: 'cidrs', proxies };
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) as `192.0.2.1`; other addresses unchanged. */
function plain(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

/**
 * An `X-Forwarded-For` entry without the port some proxies add (Azure Application Gateway writes
 * `203.0.113.7:51234`, `[2001:db8::1]:51234`): otherwise every connection of a client would be another client.
 */
function withoutPort(entry: string): string {
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(entry);
  if (v4?.[1] !== undefined) return v4[1];
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?$/.exec(entry);
  return v6?.[1] ?? entry;
}

function trusted(address: string, proxies: BlockList): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Whether the request's `X-Forwarded-*` headers are a trusted proxy's: with a hop count always (the deployment
 * puts that many proxies in front), with a list when the socket's peer is on it.
 */
export function fromTrustedProxy(socketAddress: string | undefined, trust: ProxyTrust): boolean {
  if (trust.kind === 'none') return false;
  return trust.kind === 'hops' || trusted(plain(socketAddress ?? ''), trust.proxies);
}

/**
 * The client's address: the socket's peer, unless it is a trusted proxy, in which case the walk goes on from
 * the right of `X-Forwarded-For` (each proxy appends the address it saw) over trusted hops. The left-most
 * entries are whatever the client wrote and are never believed beyond the trusted hops. A port after an entry's
 * address is no part of it.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trust: ProxyTrust,
): string {
  const peer = plain(socketAddress ?? 'unknown');
  if (trust.kind === 'none' || !forwardedFor) return peer;
  const chain = forwardedFor
    .split(',')
    .map((entry) => plain(withoutPort(entry.trim())))
    .filter(Boolean);
  if (trust.kind === 'hops') return chain[chain.length - trust.hops] ?? chain[0] ?? peer;
  let address = peer;
  while (trusted(address, trust.proxies)) {
    const next = chain.pop();
    if (next === undefined) break;
    address = next;
  }
  return address;
}

/**
 * Who a rate limit counts a client address as: an IPv4 address as itself, an IPv6 address as its /64 network
 * (`2001:db8:0:1::/64`), because a subscriber gets a whole /64 and can pick a new address in it for every
 * request; anything else (not an address) as itself.
 */
export function rateLimitKey(address: string): string {
  const bare = address.replace(/%.*$/, ''); // a zone ("fe80::1%eth0") is no part of the network
  if (isIP(bare) !== 6) return address;
  const [head = '', tail] = bare.split('::');
  const groups = (part: string | undefined): string[] =>
    !part
      ? []
      : part.split(':').flatMap((group) => {
          // An IPv4 tail ("::ffff:192.0.2.1", "64:ff9b::198.51.100.7") is two groups.
          if (!group.includes('.')) return [group];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
        });
  const left = groups(head);
  const right = groups(tail);
  const all =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const network = all.slice(0, 4).map((group) => parseInt(group, 16).toString(16));
  return `${network.join(':')}::/64`;
}
