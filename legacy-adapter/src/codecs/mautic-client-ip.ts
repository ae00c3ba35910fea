/**
 * How Mautic decides which client IP to record (IpLookupHelper,
 * docs/mautic/public-http.md §2.4). Both the stand-in and anything that forwards
 * to the real monolith need these facts: Mautic reads the headers below in
 * this order WITHOUT consulting `trusted_proxies`, and takes the first valid
 * (public) entry of a comma list — the leftmost, i.e. the one the client wrote.
 */
import { BlockList, isIP } from 'node:net';

/** Options of the IP rules (Mautic config keys in brackets). */
export interface MauticIpOptions {
  /** [track_private_ip_ranges] keep 10/8, 172.16/12, 192.168/16, fc00::/7; default false. */
  trackPrivateIpRanges: boolean;
  /** [do_not_track_internal_ips] entries dropped from comma lists. */
  doNotTrackInternalIps: readonly string[];
}

/** Request headers Mautic reads, in its order; REMOTE_ADDR (the socket) comes last. */
export const IP_HEADERS = ['client-ip', 'x-forwarded-for', 'x-forwarded', 'x-cluster-client-ip', 'forwarded-for', 'forwarded'] as const;

/**
 * A short excerpt of Mautic's `do_not_track_bots` list (§2.4, CoreBundle
 * Config/config.php): the names §2.4 quotes plus common crawlers. Matching is
 * a case-sensitive substring test, as in Mautic.
 */
export const DEFAULT_DO_NOT_TRACK_BOTS: readonly string[] = Object.freeze([
  'MSNBOT', 'msnbot-media', 'bingbot', 'Googlebot', 'Google Web Preview', 'Mediapartners-Google',
  'Baiduspider', 'YandexBot', 'Yahoo! Slurp', 'DuckDuckBot', 'Wget', 'AhrefsBot', 'SemrushBot',
  'MJ12bot', 'DotBot', 'facebookexternalhit', 'Twitterbot', 'LinkedInBot', 'Apache-HttpClient', 'zgrab',
]);

/** What Mautic falls back to when no candidate is valid. */
export const FALLBACK_IP = '127.0.0.1';

const PRIVATE = new BlockList();
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

// PHP's FILTER_FLAG_NO_RES_RANGE (PHP 8.x), loopback included.
const RESERVED = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['127.0.0.0', 8], ['169.254.0.0', 16], ['240.0.0.0', 4]] as const) RESERVED.addSubnet(net, bits, 'ipv4');
// IPv4-mapped ranges are left out: BlockList would apply them to every IPv4 address.
for (const [net, bits] of [['::', 128], ['::1', 128], ['fe80::', 10], ['2001:db8::', 32]] as const) RESERVED.addSubnet(net, bits, 'ipv6');

/** FILTER_VALIDATE_IP without reserved ranges, and without private ones unless allowed. */
export function isValidPublicIp(ip: string, trackPrivateIpRanges: boolean): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (RESERVED.check(ip, type)) return false;
  return trackPrivateIpRanges || !PRIVATE.check(ip, type);
}

/** Does `ip` equal, regex-match (`/…/`) or CIDR-match an entry of `list`? */
export function ipMatchesList(ip: string, list: readonly string[]): boolean {
  return list.some((entry) => {
    if (entry === ip) return true;
    if (entry.length > 2 && entry.startsWith('/') && entry.lastIndexOf('/') > 0) {
      try {
        const last = entry.lastIndexOf('/');
        return new RegExp(entry.slice(1, last), entry.slice(last + 1)).test(ip);
      } catch {
        return false;
      }
    }
    const [net, bits] = entry.split('/');
    if (!net || bits === undefined || !/^[0-9]{1,3}$/.test(bits)) return false;
    const family = isIP(net);
    if (family === 0 || isIP(ip) !== family) return false;
    const block = new BlockList();
    try {
      block.addSubnet(net, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    } catch {
      return false;
    }
    return block.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  });
}

/** The socket address without the IPv4-mapped prefix Node adds. */
export function normalizeRemoteAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * Picks the client IP: the first header that holds a valid IP (for a comma
 * list, the first valid entry not in `do_not_track_internal_ips`), then the
 * socket, else 127.0.0.1.
 *
 * @param headers lower-case header names as Node gives them.
 */
export function resolveClientIp(
  headers: Record<string, string | string[] | undefined>,
  remoteAddress: string | undefined,
  config: MauticIpOptions,
): string {
  const candidates: string[] = [];
  for (const name of IP_HEADERS) {
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw.join(',') : raw)?.trim();
    if (value) candidates.push(value);
  }
  const remote = normalizeRemoteAddress(remoteAddress);
  if (remote) candidates.push(remote);
  for (const candidate of candidates) {
    const entries = candidate.includes(',')
      ? candidate.split(',').map((s) => s.trim()).filter((s) => s !== '' && !ipMatchesList(s, config.doNotTrackInternalIps))
      : [candidate];
    const valid = entries.find((ip) => isValidPublicIp(ip, config.trackPrivateIpRanges));
    if (valid) return valid;
  }
  return FALLBACK_IP;
}
