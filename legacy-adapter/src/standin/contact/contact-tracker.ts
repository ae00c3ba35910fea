/**
 * The stand-in's ContactTracker (docs/mautic/public-http.md §2.1, §2.2, §2.4): who
 * the visitor is, the new anonymous contact when nobody is known, the device,
 * the IP rows, `last_active`, and the cookies to send. Tracking endpoints and
 * form submissions call `trackContact` once per request.
 *
 * @example
 * const tracked = await trackContact(deps, req, { persist: true, query });
 * res.append('Set-Cookie', tracked.cookies);
 */
import type { Request } from 'express';
import type { QueryMap } from '../../codecs/php-query.ts';
import { findLeadById, getOrCreateIpAddressId, insertLead, linkLeadIp, touchLeadLastActive, updateLead } from '../../data/contacts.ts';
import type { Lead } from '../../data/contacts.ts';
import { toUtcDateTime } from '../../data/row-codec.ts';
import { clockOf } from '../deps.ts';
import type { StandinDeps } from '../deps.ts';
import { inspectClient } from './client-ip.ts';
import type { ClientIp } from './client-ip.ts';
import { trackDevice } from './devices.ts';
import type { TrackedDevice } from './devices.ts';
import { identifyContact } from './identify.ts';
import type { IdentifiedBy } from './identify.ts';
import { parseCookieHeader } from '../../codecs/request-cookies.ts';
import { deviceCookies } from '../../codecs/tracking-cookies.ts';

/** Options of `trackContact`. */
export interface TrackOptions {
  /**
   * Create an anonymous contact when nobody is identified. False for requests
   * Mautic marks non-trackable (`/mtc.js`, `/dwc/*`, `/form/generate.js`).
   */
  persist: boolean;
  /** The request's merged GET+POST query. */
  query: QueryMap;
  /**
   * Identify from the query first, as ContactRequestHelper::getContactFromQuery
   * does for page hits and clicks (§2.1 steps 2–3): the `ct` email stat, then
   * publicly updatable unique fields (whose values are written to the contact).
   * Default false: plain ContactTracker::getContact (`/mtc`, `/mtc.js`).
   */
  identifyByQuery?: boolean;
  /** The decoded `ct`, when the request carried a valid one (used with identifyByQuery). */
  clickthrough?: Record<string, unknown>;
  /**
   * Track this contact regardless of the request (an email open tracks the
   * stat's contact, §3.6): device and cookies only, no `last_active`, no IP link.
   */
  contactId?: number;
}

/** What tracking found and did. */
export interface TrackedContact {
  /** The contact, or null (nobody known and nothing created). */
  lead: Lead | null;
  /** True when this request created the contact. */
  isNewContact: boolean;
  identifiedBy: IdentifiedBy | 'created' | null;
  /** The device tracked for the contact, or null. */
  device: TrackedDevice | null;
  /** Set-Cookie header values to send. */
  cookies: string[];
  /** The request's IP, and the `ip_addresses` id when a contact was tracked. */
  ip: ClientIp & { id: number | null };
  /** Copy of `ip.trackable`: false for do-not-track IPs and bots (§2.4). */
  trackable: boolean;
  /** The tracking id the request arrived with (cookie, else parameter), '' when none. */
  requestTrackingId: string;
}

/**
 * Resolves and tracks the contact of `req`.
 *
 * @throws DbError when the database fails; never for malformed input.
 */
export async function trackContact(deps: StandinDeps, req: Request, options: TrackOptions): Promise<TrackedContact> {
  const now = clockOf(deps)();
  const { db, config } = deps;
  const client = inspectClient(req.headers, req.socket.remoteAddress, config);
  const cookies = parseCookieHeader(req.headers.cookie);
  const requestTrackingId = cookies.get('mautic_device_id') || (options.query.get('mautic_device_id') as string | undefined) || '';
  const userAgent = req.get('user-agent') ?? '';

  if (options.contactId !== undefined) {
    const lead = (await findLeadById(db, options.contactId)) ?? null;
    const device = lead ? await trackDevice(db, lead.id, userAgent, null, now) : null;
    return {
      lead, isNewContact: false, identifiedBy: lead ? 'forced' : null, device,
      cookies: lead && device ? deviceCookies(config, device.trackingId, lead.id, now) : [],
      ip: { ...client, id: null }, trackable: client.trackable, requestTrackingId,
    };
  }

  const ipId = config.trackContactByIp && client.trackable ? await getOrCreateIpAddressId(db, client.stored) : undefined;
  const found = await identifyContact(db, {
    query: options.query, cookies, clickthrough: options.clickthrough, byQuery: options.identifyByQuery === true,
    trackable: client.trackable, ipId, trackContactByIp: config.trackContactByIp,
  });
  let lead = found.lead;
  let isNewContact = false;
  const nowText = toUtcDateTime(now);
  if (!lead && options.persist && client.trackable) {
    const id = await insertLead(db, { date_added: nowText, last_active: nowText, ...found.publicValues });
    lead = (await findLeadById(db, id)) ?? null;
    isNewContact = true;
  } else if (lead) {
    await touchLeadLastActive(db, lead.id, nowText);
    if (Object.keys(found.publicValues).length > 0) await updateLead(db, lead.id, { date_modified: nowText, ...found.publicValues });
  }
  if (!lead) {
    return { lead: null, isNewContact: false, identifiedBy: null, device: null, cookies: [], ip: { ...client, id: null }, trackable: client.trackable, requestTrackingId };
  }

  const ipAddressId = ipId ?? (await getOrCreateIpAddressId(db, client.stored));
  await linkLeadIp(db, lead.id, ipAddressId);
  const device = await trackDevice(db, lead.id, userAgent, found.requestDevice, now);
  return {
    lead, isNewContact, identifiedBy: isNewContact ? 'created' : found.by, device,
    cookies: deviceCookies(config, device.trackingId, lead.id, now),
    ip: { ...client, id: ipAddressId }, trackable: client.trackable, requestTrackingId,
  };
}
