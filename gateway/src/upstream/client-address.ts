/**
 * Who the client is, when proxies may stand in front of the gateway.
 *
 * Mautic records the FIRST valid address of `Client-IP`, then `X-Forwarded-For`,
 * then `X-Forwarded`, `X-Cluster-Client-IP`, `Forwarded-For`, `Forwarded`
 * (docs/mautic/public-http.md §2.4). Anything a client writes there becomes the IP
 * Mautic stores, matches against `do_not_track_ips` and, with
 * `track_contact_by_ip`, uses to pick a contact. So the gateway, as the edge,
 * decides the chain itself: it walks `X-Forwarded-For` from the right through
 * the configured trusted proxies only, and everything left of the first
 * untrusted hop is dropped. With no trusted proxies (the default) the chain is
 * just the socket peer.
 */
import { BlockList, isIP } from 'node:net';

/** The configured trusted proxies (`server.trustedProxies`). */
export interface ProxyTrust {
  /** Is this address one of our own proxies? */
  trusts(address: string): boolean;
}

/** The client address of one request. */
export interface ClientAddress {
  /** The first untrusted hop: the client as far as we can tell ('' when unknown). */
  readonly ip: string;
  /** The `X-Forwarded-For` chain to send upstream: the client, then our trusted proxies. */
  readonly forwardedFor: readonly string[];
}

/**
 * Builds the trust list from IPs and CIDR blocks (`10.0.0.0/8`, `fd00::/8`, `192.0.2.7`).
 * Entries are validated by the config schema (`config/trusted-proxy-entry.ts`).
 */
export function createProxyTrust(entries: readonly string[]): ProxyTrust {
  if (entries.length === 0) return { trusts: () => false };
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return {
    trusts(address) {
      const version = isIP(address);
      return version !== 0 && list.check(address, version === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/**
 * Resolves the client from the socket peer and the incoming `X-Forwarded-For`
 * (one value or several header lines).
 *
 * @example
 * resolveClientAddress('10.0.0.5', '203.0.113.9, 10.0.0.4', createProxyTrust(['10.0.0.0/8']))
 * // → { ip: '203.0.113.9', forwardedFor: ['203.0.113.9', '10.0.0.4', '10.0.0.5'] }
 */
export function resolveClientAddress(peer: string | undefined, xForwardedFor: string | string[] | undefined, trust: ProxyTrust): ClientAddress {
  const chain = [plainIp(peer ?? '')];
  if (trust.trusts(chain[0]!) && xForwardedFor !== undefined) {
    const hops = (Array.isArray(xForwardedFor) ? xForwardedFor.join(',') : xForwardedFor).split(',');
    for (let i = hops.length - 1; i >= 0; i -= 1) {
      const hop = plainIp(hops[i]!.trim());
      // A malformed hop ends the walk: nothing left of it can be vouched for.
      if (isIP(hop) === 0) break;
      chain.unshift(hop);
      if (!trust.trusts(hop)) break;
    }
  }
  const ip = chain[0] ?? '';
  return { ip, forwardedFor: ip === '' ? [] : chain };
}

/** IPv4-mapped IPv6 as plain IPv4, as Apache gives it to Mautic (§2.4). */
function plainIp(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
