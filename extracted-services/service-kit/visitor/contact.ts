/**
 * The contact of a tracking request (ContactTracker, docs/mautic/public-http.md §2.1,
 * §2.2, §2.4): identify a known visitor, otherwise create an anonymous contact; then
 * `last_active`, the IP rows, the device and the cookies to send. Do-not-track visitors
 * are never looked up by device nor created.
 */
import { deviceCookies } from '../../../legacy-adapter/src/codecs/tracking-cookies.ts';
import type { QueryMap } from '../../../legacy-adapter/src/codecs/php-query.ts';
import { findLeadById, getOrCreateIpAddressId, insertLead, linkLeadIp, linkNewLeadIp, touchLeadLastActive, updateLead } from '../../../legacy-adapter/src/data/contacts.ts';
import type { Lead } from '../../../legacy-adapter/src/data/contacts.ts';
import { toUtcDateTime } from '../../../legacy-adapter/src/data/row-codec.ts';
import { deviceFor } from './devices.ts';
import type { Device } from './devices.ts';
import { identify } from './identify.ts';
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
  /** The contact as read when it was identified (null when created here or not tracked). */
  foundLead: Lead | null;
  isNewContact: boolean;
  device: Device | null;
  /** The `ip_addresses` id, when a contact was tracked. */
  ipId: number | null;
  /** Set-Cookie values (§2.2). */
  cookies: string[];
}

async function findOrCreate(ctx: VisitorContext, request: TrackingRequest, visitor: Visitor, options: TrackOptions) {
  const { db, config } = ctx;
  const ipId = config.mautic.trackContactByIp && visitor.trackable ? await getOrCreateIpAddressId(db, visitor.storedIp) : undefined;
  const found = await identify(db, {
    query: options.query, cookies: request.cookies, byQuery: options.byQuery === true,
    clickthrough: options.clickthrough, trackable: visitor.trackable, ipId,
  });
  const nowText = toUtcDateTime(request.now);
  if (found.lead) {
    await touchLeadLastActive(db, found.lead.id, nowText);
    if (Object.keys(found.publicValues).length > 0) await updateLead(db, found.lead.id, { date_modified: nowText, ...found.publicValues });
    return { lead: found.lead, isNewContact: false, found, ipId };
  }
  if (!options.create || !visitor.trackable) return { lead: null, isNewContact: false, found, ipId };
  // The new row is not read back: only its id is used, and a read would cost a round trip per new visitor.
  const id = await insertLead(db, { date_added: nowText, last_active: nowText, ...found.publicValues });
  return { lead: { id }, isNewContact: true, found, ipId };
}

/**
 * Tracks the visitor of `request`.
 *
 * @throws DbError when the database fails; never for malformed input.
 */
export async function trackVisitor(ctx: VisitorContext, request: TrackingRequest, options: TrackOptions): Promise<TrackedVisitor> {
  const visitor = inspectVisitor(request, ctx.config.mautic, ctx.config.botDetector);
  const { lead, isNewContact, found, ipId } = await findOrCreate(ctx, request, visitor, options);
  if (!lead) return { visitor, lead: null, foundLead: null, isNewContact: false, device: null, ipId: null, cookies: [] };
  const ipAddressId = ipId ?? (await getOrCreateIpAddressId(ctx.db, visitor.storedIp));
  // A contact created by this transaction has no IP links nor devices yet: nothing to look up.
  if (isNewContact) await linkNewLeadIp(ctx.db, lead.id, ipAddressId);
  else await linkLeadIp(ctx.db, lead.id, ipAddressId);
  const device = await deviceFor(ctx.db, lead.id, headerOf(request, 'user-agent'), found.namedDevice, request.now, { newTrackingId: options.newDeviceTrackingId, leadIsNew: isNewContact });
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
