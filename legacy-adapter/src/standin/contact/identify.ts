/**
 * Who the visitor is, in Mautic's order (ContactTracker / ContactRequestHelper,
 * docs/mautic/public-http.md §2.1): the clickthrough's email stat, publicly
 * updatable identifier fields in the query, the device cookie (then
 * parameter), the legacy `mtc_id`, optionally the IP. Read-only: creating an
 * anonymous contact is the tracker's job.
 *
 * Not reproduced: merging an anonymous tracked contact into the identified
 * one (ContactMerger), SMS stats, logged-in admin users.
 */
import { queryString } from '../../codecs/php-query.ts';
import type { QueryMap } from '../../codecs/php-query.ts';
import { findDeviceByTrackingId, findLeadByEmail, findLeadById, findLeadByIpId, listLeadDevices, listPublicContactFields } from '../../data/contacts.ts';
import type { Lead, LeadDevice, PublicContactField } from '../../data/contacts.ts';
import { findEmailStatByHash } from '../../data/emails.ts';
import type { Db } from '../../db/types.ts';

/** How the contact was found. */
export type IdentifiedBy = 'forced' | 'clickthrough' | 'query-field' | 'device' | 'legacy-mtc-id' | 'ip';

/** Inputs of `identifyContact`. */
export interface IdentifyInput {
  /** Merged GET+POST query of the request. */
  query: QueryMap;
  /** Parsed request cookies. */
  cookies: Map<string, string>;
  /** The decoded `ct`, when the request had a valid one. */
  clickthrough?: Record<string, unknown>;
  /** Run steps 2–3 (ct, publicly updatable fields); only page hits and clicks do. */
  byQuery: boolean;
  /** False for do-not-track IPs and bots: no device lookup (§2.1 step 4). */
  trackable: boolean;
  /** Id of the request's `ip_addresses` row, for `track_contact_by_ip`. */
  ipId?: number;
  trackContactByIp: boolean;
}

/** The result: a contact (or none), how it was found, and the device named by the request. */
export interface Identified {
  lead: Lead | null;
  by: IdentifiedBy | null;
  /** The device the cookie/parameter named, whoever it belongs to. */
  requestDevice: LeadDevice | null;
  /** Publicly updatable field values found in the query. */
  publicValues: Record<string, string>;
}

const asId = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]{1,15}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** Step 2: `ct.stat` → `email_stats.lead_id`, rejected when `ct.channel.email` names another email. */
async function fromClickthrough(db: Db, ct: Record<string, unknown>): Promise<Lead | null> {
  const channel = ct.channel && typeof ct.channel === 'object' ? (ct.channel as Record<string, unknown>) : {};
  const stat = typeof ct.stat === 'string' && ct.stat !== '' ? await findEmailStatByHash(db, ct.stat) : undefined;
  if (!stat || stat.lead_id === null) return null;
  const channelEmail = asId(channel.email);
  if (channelEmail !== null && stat.email_id !== null && stat.email_id !== channelEmail) return null;
  return (await findLeadById(db, stat.lead_id)) ?? null;
}

function publicValuesOf(query: QueryMap, fields: PublicContactField[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of fields) {
    const v = queryString(query, f.alias);
    // Field columns are VARCHAR(191); a longer value would fail on a strict MySQL.
    if (v !== undefined && v !== '' && /^[a-z0-9_]+$/.test(f.alias)) values[f.alias] = [...v].slice(0, 191).join('');
  }
  return values;
}

/** Step 3: an existing contact with the same unique identifier value (only `email` is looked up). */
async function fromQueryFields(db: Db, fields: PublicContactField[], values: Record<string, string>): Promise<Lead | null> {
  const email = fields.some((f) => f.alias === 'email' && f.isUniqueIdentifier) ? values.email : undefined;
  return email ? ((await findLeadByEmail(db, email)) ?? null) : null;
}

/** Step 5: cookie `mautic_session_id` names the cookie holding a contact id; else parameter `mtc_id`. */
async function fromLegacyId(db: Db, input: IdentifyInput): Promise<Lead | null> {
  const sessionCookie = input.cookies.get('mautic_session_id');
  const id = asId((sessionCookie ? input.cookies.get(sessionCookie) : undefined) ?? queryString(input.query, 'mtc_id'));
  if (id === null) return null;
  // Only a contact without a tracked device may be resumed this way.
  if ((await listLeadDevices(db, id)).some((d) => d.tracking_id)) return null;
  return (await findLeadById(db, id)) ?? null;
}

/** Step 6 (`track_contact_by_ip`): the first contact seen on the request's IP. */
async function fromIp(db: Db, ipId: number): Promise<Lead | null> {
  return (await findLeadByIpId(db, ipId)) ?? null;
}

/**
 * Runs the resolution order of §2.1 and stops at the first contact found.
 */
export async function identifyContact(db: Db, input: IdentifyInput): Promise<Identified> {
  const deviceId = input.cookies.get('mautic_device_id') || queryString(input.query, 'mautic_device_id') || '';
  const requestDevice = input.trackable && deviceId !== '' && deviceId.length <= 191 ? ((await findDeviceByTrackingId(db, deviceId)) ?? null) : null;
  const fields = input.byQuery ? await listPublicContactFields(db) : [];
  const publicValues = publicValuesOf(input.query, fields);
  const found = (lead: Lead | null | undefined, by: IdentifiedBy): Identified | null =>
    lead ? { lead, by, requestDevice, publicValues } : null;

  return (
    (input.byQuery && input.clickthrough ? found(await fromClickthrough(db, input.clickthrough), 'clickthrough') : null) ??
    (input.byQuery ? found(await fromQueryFields(db, fields, publicValues), 'query-field') : null) ??
    (requestDevice ? found(await findLeadById(db, requestDevice.lead_id), 'device') : null) ??
    found(await fromLegacyId(db, input), 'legacy-mtc-id') ??
    (input.trackContactByIp && input.ipId !== undefined ? found(await fromIp(db, input.ipId), 'ip') : null) ?? {
      lead: null, by: null, requestDevice, publicValues,
    }
  );
}
