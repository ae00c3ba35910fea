/**
 * Which IP the stand-in records for a request, and whether the request may be
 * tracked at all (IpLookupHelper / IpAddress, docs/mautic/public-http.md §2.4). The
 * IP rules themselves live in forwarding/mautic-client-ip.ts.
 */
import { ipMatchesList, resolveClientIp } from '../../codecs/mautic-client-ip.ts';
import type { StandinConfig } from '../deps.ts';

/** Case-sensitive substring test of the User-Agent against `do_not_track_bots` (§2.4). */
export function isBotUserAgent(userAgent: string, bots: readonly string[]): boolean {
  return userAgent !== '' && bots.some((bot) => bot !== '' && userAgent.includes(bot));
}

/** The IP facts of one request. */
export interface ClientIp {
  /** The resolved address (what geo lookup and DNT rules see). */
  address: string;
  /** What is stored in `ip_addresses.ip_address`: the address, or `*.*.*.*` with anonymize_ip. */
  stored: string;
  /** False when the IP or the User-Agent is on a do-not-track list. */
  trackable: boolean;
}

/** Resolves the IP and the trackability of a request (§2.4). */
export function inspectClient(
  headers: Record<string, string | string[] | undefined>,
  remoteAddress: string | undefined,
  config: StandinConfig,
): ClientIp {
  const address = resolveClientIp(headers, remoteAddress, config);
  const userAgent = typeof headers['user-agent'] === 'string' ? headers['user-agent'] : '';
  const blockedIp = ipMatchesList(address, config.doNotTrackIps) || ipMatchesList(address, config.doNotTrackInternalIps);
  return {
    address,
    stored: config.anonymizeIp ? '*.*.*.*' : address,
    trackable: !blockedIp && !isBotUserAgent(userAgent, config.doNotTrackBots),
  };
}
