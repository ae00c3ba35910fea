/**
 * The contact of a tracking request (ContactTracker, docs/mautic/public-http.md §2.1,
 * §2.2, §2.4): identify a known visitor, otherwise create an anonymous contact; then
 * `last_active`, the IP rows, the device and the cookies to send. Do-not-track visitors
 * are never looked up by device nor created.
 */
import { deviceCookies } from '../../../legacy-adapter/src/codecs/tracking-cookies.ts';
import type { QueryMap } from '../../../legacy-adapter/src/codecs/php-query.ts';
import { parseUserAgent } from '../../../legacy-adapter/src/codecs/user-agent.ts';
import { findLeadById, insertLead, touchLeadLastActive, touchLeadLastActiveIfStillLinked, updateLead } from '../../../legacy-adapter/src/data/contacts.ts';
import type { Lead } from '../../../legacy-adapter/src/data/contacts.ts';
import { toUtcDateTime } from '../../../legacy-adapter/src/data/row-codec.ts';
import { ipAddressIdOf, linkVisitorIp, publicFieldsOf } from './cached-lookups.ts';
import type { PublicFields } from './cached-lookups.ts';
import { deviceFor } from './devices.ts';
import type { Device } from './devices.ts';
import { identify, identifyingEmail, namedTrackingId, namesEmailStat, publicValuesOf } from './identify.ts';
import { headerOf } from './tracking-request.ts';
import type { TrackingRequest } from './tracking-request.ts';
import type { VisitorContext } from './visitor-context.ts';
import { inspectVisitor } from './visitor.ts';
import type { Visitor } from './visitor.ts';

/** How to track. */
export interface TrackOptions {
  /** Create an anonymous contact when nobody is known (false for non-trackable routes, §2.1 step 7). */
  create: boolean;
  /** The query identification reads (the merged GET+POST, or GET only for a click). */
  query: QueryMap;
  /** Page hits and clicks identify from the query first (§2.1 steps 2–3). */
  byQuery?: boolean;
  clickthrough?: Record<string, unknown>;
  /** Fast mode: the tracking id a new device gets (the one the answer already set). */
  newDeviceTrackingId?: string;
}

/** The tracked contact; `lead` and `device` are both set or both null. */
export interface TrackedVisitor {
  visitor: Visitor;
  /** Only its id: a contact created here is not read back. */
  lead: Pick<Lead, 'id'> | null;
  /** The contact as read when it was identified (null when created here, not tracked, or served from the contact cache). */
  foundLead: Lead | null;
  isNewContact: boolean;
  device: Device | null;
  /** The `ip_addresses` id, when a contact was tracked. */
  ipId: number | null;
  /** Set-Cookie values (§2.2). */
  cookies: string[];
}

/**
 * A returning device from the contact cache (contact-cache.ts): the entry serves only when
 * identification would have stopped at the device (step 4: no `ct` stat, no identifying
 * email before it), from the same IP, for a User-Agent that looks like the same device; and
 * only once the hit's `last_active` UPDATE confirmed it. Anything else resolves from the database.
 *
 * @returns the tracked visitor, or `fields` (the publicly updatable fields, when read) for the full path.
 */
async function trackFromCache(ctx: VisitorContext, request: TrackingRequest, visitor: Visitor, options: TrackOptions): Promise<TrackedVisitor | { fields?: PublicFields }> {
  const { db, config, contactCache: cache } = ctx;
  const trackingId = namedTrackingId({ cookies: request.cookies, query: options.query });
  const entry = cache && visitor.trackable && trackingId !== '' ? cache.get(trackingId) : undefined;
  if (!cache || !entry) return {};
  const info = parseUserAgent(headerOf(request, 'user-agent'));
  const sameDevice = entry.device === info.device && entry.deviceBrand === info.deviceBrand && entry.deviceModel === info.deviceModel;
  const byQuery = options.byQuery === true;
  if (!sameDevice || entry.storedIp !== visitor.storedIp || (byQuery && namesEmailStat(options.clickthrough))) {
    cache.passedOver();
    return {};
  }
  const fields = byQuery ? await publicFieldsOf(ctx) : [];
  const publicValues = publicValuesOf(options.query, fields);
  if (identifyingEmail(publicValues, fields)) {
    cache.passedOver();
    return { fields };
  }
  const nowText = toUtcDateTime(request.now);
  if (!(await touchLeadLastActiveIfStillLinked(db, entry, nowText))) {
    cache.forget(trackingId);
    return { fields };
  }
  cache.served();
  if (Object.keys(publicValues).length > 0) await updateLead(db, entry.leadId, { date_modified: nowText, ...publicValues });
  return {
    visitor, lead: { id: entry.leadId }, foundLead: null, isNewContact: false, device: { id: entry.deviceId, trackingId, isNew: false },
    ipId: entry.ipId, cookies: deviceCookies(config.mautic, trackingId, entry.leadId, request.now),
  };
}

async function findOrCreate(ctx: VisitorContext, request: TrackingRequest, visitor: Visitor, options: TrackOptions, knownFields?: PublicFields) {
  const { db, config } = ctx;
  const ip = config.mautic.trackContactByIp && visitor.trackable ? await ipAddressIdOf(ctx, visitor.storedIp) : undefined;
  const byQuery = options.byQuery === true;
  const found = await identify(db, {
    query: options.query, cookies: request.cookies, byQuery, clickthrough: options.clickthrough, trackable: visitor.trackable,
    ipId: ip?.id, fields: byQuery ? (knownFields ?? (await publicFieldsOf(ctx))) : [],
  });
  const nowText = toUtcDateTime(request.now);
  if (found.lead) {
    await touchLeadLastActive(db, found.lead.id, nowText);
    if (Object.keys(found.publicValues).length > 0) await updateLead(db, found.lead.id, { date_modified: nowText, ...found.publicValues });
    return { lead: found.lead, isNewContact: false, found, ip };
  }
  if (!options.create || !visitor.trackable) return { lead: null, isNewContact: false, found, ip };
  // The new row is not read back: only its id is used, and a read would cost a round trip per new visitor.
  const id = await insertLead(db, { date_added: nowText, last_active: nowText, ...found.publicValues });
  return { lead: { id }, isNewContact: true, found, ip };
}

/**
 * Tracks the visitor of `request`.
 *
 * @throws DbError when the database fails; never for malformed input.
 */
export async function trackVisitor(ctx: VisitorContext, request: TrackingRequest, options: TrackOptions): Promise<TrackedVisitor> {
  const visitor = inspectVisitor(request, ctx.config.mautic, ctx.config.botDetector);
  const cached = await trackFromCache(ctx, request, visitor, options);
  if ('visitor' in cached) return cached;
  const { lead, isNewContact, found, ip } = await findOrCreate(ctx, request, visitor, options, cached.fields);
  if (!lead) return { visitor, lead: null, foundLead: null, isNewContact: false, device: null, ipId: null, cookies: [] };
  const ipAddressId = await linkVisitorIp(ctx, lead.id, isNewContact, visitor.storedIp, ip ?? (await ipAddressIdOf(ctx, visitor.storedIp)));
  // A contact created by this transaction has no devices yet either: nothing to look up.
  const userAgent = headerOf(request, 'user-agent');
  const device = await deviceFor(ctx.db, lead.id, userAgent, found.namedDevice, request.now, { newTrackingId: options.newDeviceTrackingId, leadIsNew: isNewContact });
  // The device row found or made has the agent's (device, brand, model): what the next hit's agent is compared with.
  const { device: kind, deviceBrand, deviceModel } = parseUserAgent(userAgent);
  ctx.contactCache?.remember({ leadId: lead.id, deviceId: device.id, trackingId: device.trackingId, device: kind, deviceBrand, deviceModel, storedIp: visitor.storedIp, ipId: ipAddressId });
  return { visitor, lead, foundLead: found.lead, isNewContact, device, ipId: ipAddressId, cookies: deviceCookies(ctx.config.mautic, device.trackingId, lead.id, request.now) };
}

/**
 * Tracks a given contact's device only (an email open tracks the stat's contact, §3.6):
 * no identification, no `last_active`, no IP link.
 */
export async function trackKnownContact(ctx: VisitorContext, leadId: number, userAgent: string, now: Date): Promise<{ device: Device; cookies: string[] } | null> {
  const lead = await findLeadById(ctx.db, leadId);
  if (!lead) return null;
  const device = await deviceFor(ctx.db, lead.id, userAgent, null, now);
  return { device, cookies: deviceCookies(ctx.config.mautic, device.trackingId, lead.id, now) };
}
