/**
 * Which IP a request is recorded under and whether it may be tracked at all
 * (IpLookupHelper and the do-not-track rules, docs/mautic/public-http.md §2.4). Bots are
 * what Mautic's `do_not_track_bots` list names, and also what the maintained `isbot`
 * detector knows (README § Differences from Mautic).
 */
import { isbot } from 'isbot';
import { ipMatchesList, resolveClientIp } from '../../../legacy-adapter/src/codecs/mautic-client-ip.ts';
import type { MauticSettings } from '../mautic-settings.ts';
import { headerOf } from './tracking-request.ts';
import type { TrackingRequest } from './tracking-request.ts';

/** The IP facts of one request. */
export interface Visitor {
  /** The resolved client address. */
  address: string;
  /** What `ip_addresses.ip_address` holds: the address, or `*.*.*.*` with anonymize_ip. */
  storedIp: string;
  /** False for do-not-track IPs and bots: nothing is looked up or written for them. */
  trackable: boolean;
}

/** Which bot rules apply: Mautic's substring list, and `isbot` unless `mautic-list` is chosen. */
export interface BotRules {
  doNotTrackBots: readonly string[];
  botDetector: 'isbot' | 'mautic-list';
}

/** True when the User-Agent is a bot: a `do_not_track_bots` substring, or (by default) `isbot`. */
export function isBotAgent(userAgent: string, rules: BotRules): boolean {
  if (userAgent === '') return false;
  return rules.doNotTrackBots.some((name) => name !== '' && userAgent.includes(name)) || (rules.botDetector === 'isbot' && isbot(userAgent));
}

/** Resolves the visitor of a request (§2.4). */
export function inspectVisitor(request: TrackingRequest, settings: MauticSettings, botDetector: BotRules['botDetector']): Visitor {
  const address = resolveClientIp(request.headers, request.remoteAddress, settings);
  const blocked = ipMatchesList(address, settings.doNotTrackIps) || ipMatchesList(address, settings.doNotTrackInternalIps);
  return {
    address,
    storedIp: settings.anonymizeIp ? '*.*.*.*' : address,
    trackable: !blocked && !isBotAgent(headerOf(request, 'user-agent'), { doNotTrackBots: settings.doNotTrackBots, botDetector }),
  };
}
