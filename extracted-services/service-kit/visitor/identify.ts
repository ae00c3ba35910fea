/**
 * Who an already known visitor is, in Mautic's order (ContactTracker and
 * ContactRequestHelper, docs/mautic/public-http.md §2.1 steps 2–6). Read-only: creating
 * an anonymous contact is contact.ts's job. Each step is one finder; the first that finds
 * a contact wins.
 */
import { queryString } from '../../../legacy-adapter/src/codecs/php-query.ts';
import type { QueryMap } from '../../../legacy-adapter/src/codecs/php-query.ts';
import { findDeviceByTrackingId, findLeadByEmail, findLeadById, findLeadByIpId, listLeadDevices, listPublicContactFields } from '../../../legacy-adapter/src/data/contacts.ts';
import type { Lead, LeadDevice, PublicContactField } from '../../../legacy-adapter/src/data/contacts.ts';
import { findEmailStatByHash } from '../../../legacy-adapter/src/data/emails.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';

/** How the contact was found. */
export type FoundBy = 'clickthrough' | 'query-field' | 'device' | 'legacy-mtc-id' | 'ip';

/** What identification starts from. */
export interface IdentifyInput {
  query: QueryMap;
  cookies: Map<string, string>;
  /** Steps 2–3 (the `ct` stat, publicly updatable fields) run for page hits and clicks only. */
  byQuery: boolean;
  /** The decoded `ct`, when valid. */
  clickthrough?: Record<string, unknown>;
  /** False for do-not-track visitors: no device lookup (step 4). */
  trackable: boolean;
  /** The request's `ip_addresses` id, when `track_contact_by_ip` is on (step 6). */
  ipId?: number;
  /** The publicly updatable fields, when the caller read them already (step 3). */
  fields?: readonly PublicContactField[];
}

/** The outcome: maybe a contact, and what the request said about itself. */
export interface Identification {
  lead: Lead | null;
  by: FoundBy | null;
  /** The device the `mautic_device_id` cookie or parameter names, whoever owns it. */
  namedDevice: LeadDevice | null;
  /** Publicly updatable field values of the query (VARCHAR(191), so cut there). */
  publicValues: Record<string, string>;
}

/** A positive id from an int or a digit string; anything else is no id. */
export function positiveId(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

type Finder = () => Promise<Lead | null | undefined>;

/** Step 2: `ct.stat` names an email stat; a `ct.channel.email` of another email rejects it. */
async function byClickthrough(db: Db, ct: Record<string, unknown>): Promise<Lead | undefined> {
  if (!namesEmailStat(ct)) return undefined;
  const stat = await findEmailStatByHash(db, ct.stat as string);
  if (!stat || stat.lead_id === null) return undefined;
  const channel = ct.channel !== null && typeof ct.channel === 'object' ? (ct.channel as Record<string, unknown>) : {};
  const claimed = positiveId(channel.email);
  if (claimed !== null && stat.email_id !== null && claimed !== stat.email_id) return undefined;
  return findLeadById(db, stat.lead_id);
}

/** Step 5: cookie `mautic_session_id` names the cookie holding a contact id, else parameter `mtc_id`; only a contact without a tracked device. */
async function byLegacyId(db: Db, input: IdentifyInput): Promise<Lead | undefined> {
  const named = input.cookies.get('mautic_session_id');
  const id = positiveId((named ? input.cookies.get(named) : undefined) ?? queryString(input.query, 'mtc_id'));
  if (id === null) return undefined;
  const devices = await listLeadDevices(db, id);
  return devices.some((d) => d.tracking_id) ? undefined : findLeadById(db, id);
}

/** Publicly updatable field values of the query (VARCHAR(191), so cut there). */
export function publicValuesOf(query: QueryMap, fields: readonly PublicContactField[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const { alias } of fields) {
    const value = queryString(query, alias);
    if (value && /^[a-z0-9_]+$/.test(alias)) values[alias] = Array.from(value).slice(0, 191).join('');
  }
  return values;
}

/** The email of the query when `email` is a publicly updatable unique identifier (step 3 looks it up). */
export function identifyingEmail(publicValues: Record<string, string>, fields: readonly PublicContactField[]): string | undefined {
  return fields.some((f) => f.alias === 'email' && f.isUniqueIdentifier) ? publicValues.email : undefined;
}

/** True when step 2 has a stat to look up: a `ct` naming one. */
export function namesEmailStat(clickthrough: Record<string, unknown> | undefined): boolean {
  return typeof clickthrough?.stat === 'string' && clickthrough.stat !== '';
}

/** The device id a request names: cookie first, then parameter (§2.1 step 4). */
export function namedTrackingId(input: Pick<IdentifyInput, 'cookies' | 'query'>): string {
  return input.cookies.get('mautic_device_id') || queryString(input.query, 'mautic_device_id') || '';
}

/** Runs steps 2–6 and stops at the first contact found. */
export async function identify(db: Db, input: IdentifyInput): Promise<Identification> {
  const trackingId = namedTrackingId(input);
  const namedDevice = input.trackable && trackingId !== '' && trackingId.length <= 191 ? ((await findDeviceByTrackingId(db, trackingId)) ?? null) : null;
  const fields = input.byQuery ? (input.fields ?? (await listPublicContactFields(db))) : [];
  const publicValues = publicValuesOf(input.query, fields);
  const email = identifyingEmail(publicValues, fields);
  const steps: [FoundBy, Finder | null][] = [
    ['clickthrough', input.byQuery && input.clickthrough ? () => byClickthrough(db, input.clickthrough!) : null],
    ['query-field', email ? () => findLeadByEmail(db, email) : null],
    ['device', namedDevice ? () => findLeadById(db, namedDevice.lead_id) : null],
    ['legacy-mtc-id', () => byLegacyId(db, input)],
    ['ip', input.ipId !== undefined ? () => findLeadByIpId(db, input.ipId!) : null],
  ];
  for (const [by, find] of steps) {
    const lead = find ? await find() : undefined;
    if (lead) return { lead, by, namedDevice, publicValues };
  }
  return { lead: null, by: null, namedDevice, publicValues };
}
