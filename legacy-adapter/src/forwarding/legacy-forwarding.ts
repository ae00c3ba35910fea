/**
 * Rules for forwarding to a REAL Mautic 5 behind the gateway, as checkable
 * code (docs/real-mautic.md explains them). The gateway's forwarder
 * (gateway/src/upstream/forward-headers.ts) builds the headers; these
 * functions say what Mautic will make of them.
 */
import { IP_HEADERS, resolveClientIp } from '../codecs/mautic-client-ip.ts';
import type { MauticIpOptions } from '../codecs/mautic-client-ip.ts';

/**
 * Headers Mautic's IP lookup believes from anyone, before X-Forwarded-For
 * or instead of it (§2.4). A client can set them to choose the IP Mautic
 * records unless the edge removes them.
 */
export const CLIENT_SETTABLE_IP_HEADERS: readonly string[] = IP_HEADERS.filter((h) => h !== 'x-forwarded-for');

/**
 * The IP the monolith will record for a forwarded request: Mautic's rules
 * applied to the headers it receives, the gateway's address as REMOTE_ADDR.
 *
 * @example
 * ipMauticRecords({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9' }, '10.0.0.5') // '6.6.6.6' — the client's own claim
 */
export function ipMauticRecords(
  forwardedHeaders: Record<string, string | string[] | undefined>,
  gatewayAddress: string,
  options: MauticIpOptions = { trackPrivateIpRanges: false, doNotTrackInternalIps: [] },
): string {
  return resolveClientIp(forwardedHeaders, gatewayAddress, options);
}

/** Why a forwarding setup would make Mautic record the wrong IP, or none when it is sound. */
export function ipSpoofingRisks(forwardedHeaders: Record<string, string | string[] | undefined>): string[] {
  const risks = CLIENT_SETTABLE_IP_HEADERS.filter((h) => forwardedHeaders[h] !== undefined)
    .map((h) => `${h} reaches Mautic and is read before (or instead of) X-Forwarded-For`);
  const xff = forwardedHeaders['x-forwarded-for'];
  const list = (Array.isArray(xff) ? xff.join(',') : xff ?? '').split(',').filter((s) => s.trim() !== '');
  if (list.length > 1) risks.push('X-Forwarded-For has several entries; Mautic takes the first valid one, which the client may have written');
  return risks;
}

/**
 * Whether `trusted_proxies` must list the gateway: when `site_url` is https
 * and TLS ends at the gateway, Mautic restricts its routes to https (§1.1) and
 * only believes X-Forwarded-Proto from a trusted proxy; otherwise every
 * request is redirected to https, in a loop.
 */
export function needsTrustedProxies(siteUrl: string, gatewayToMauticScheme: 'http' | 'https'): boolean {
  return siteUrl.startsWith('https:') && gatewayToMauticScheme === 'http';
}

/**
 * The `app/config/local.php` lines that trust the gateway's addresses.
 *
 * @param gatewayCidrs addresses or CIDRs the gateway connects from, e.g. ['10.42.0.0/16'].
 * @example
 * trustedProxiesSnippet(['10.42.0.0/16']) // "'trusted_proxies' => ['10.42.0.0/16'],"
 */
export function trustedProxiesSnippet(gatewayCidrs: readonly string[]): string {
  const quoted = gatewayCidrs.map((c) => `'${c.replace(/[^0-9a-fA-F:./]/g, '')}'`).join(', ');
  return `'trusted_proxies' => [${quoted}],`;
}
