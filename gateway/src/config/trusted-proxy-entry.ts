/**
 * The syntax of one `server.trustedProxies` entry. It lives with the schema
 * that checks it; upstream/client-address.ts builds the trust list from the
 * entries this accepts.
 */
import { isIP } from 'node:net';

/**
 * True for an IP or an IP/prefix CIDR block.
 *
 * @example isTrustedProxyEntry('10.0.0.0/8') // true
 * @example isTrustedProxyEntry('10.0.0.0/33') // false
 */
export function isTrustedProxyEntry(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 6 ? 128 : 32);
}
