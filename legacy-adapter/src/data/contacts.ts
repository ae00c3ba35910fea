import type { PhpValue } from '../codecs/php-serialize.ts';
import { DbError } from '../db/errors.ts';
import { LEAD_DEVICES, LEAD_DONOTCONTACT, LEAD_EVENT_LOG, LEAD_IPS_XREF, LEADS, IP_ADDRESSES } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import type { DoNotContact, IpAddress, Lead, LeadDevice, LeadEvent, Writable } from './contact-rows.ts';
import { decodeRow, utcNow } from './row-codec.ts';
import { insertRow, insertRows, quote, selectOne, selectRows, updateRows } from './table-access.ts';

export type { DoNotContact, IpAddress, Lead, LeadDevice, LeadEvent, Writable } from './contact-rows.ts';
export { DNC_REASON } from './contact-rows.ts';

/** Custom-field values for columns added to `leads` at runtime (strings/numbers/null). */
export type CustomFieldValues = Record<string, string | number | null>;

/**
 * Inserts a contact with Mautic's entity initial values: `is_published` 1, `points` 0,
 * `internal` and `social_cache` empty arrays (`a:0:{}`), `date_added` now; and, like
 * Lead::checkDateIdentified, `date_identified` = `date_added` when an email is given.
 *
 * @returns the new `leads.id`.
 * @example const id = await insertLead(db, { email: 'ana@example.com', firstname: 'Ana' });
 */
export async function insertLead(db: Db, values: Writable<Lead> = {}, customFields: CustomFieldValues = {}): Promise<number> {
  const dateAdded = values.date_added ?? utcNow();
  const identified = values.email ? dateAdded : null;
  return insertRow(
    db,
    LEADS,
    { is_published: true, points: 0, internal: [], social_cache: [], date_identified: identified, ...values, date_added: dateAdded, ...customFields },
    { extraColumns: true },
  );
}

/** The contact with this id, or undefined. */
export function findLeadById(db: Db, id: number): Promise<Lead | undefined> {
  return selectOne<Lead>(db, LEADS, { id });
}

/** The oldest contact with this email (Mautic's unique identifier), or undefined. */
export async function findLeadByEmail(db: Db, email: string): Promise<Lead | undefined> {
  const [lead] = await selectRows<Lead>(db, LEADS, { email }, 'ORDER BY id LIMIT 1');
  return lead;
}

/**
 * The oldest contact holding any of these column values (`col1 = ? OR col2 = ? …`; custom-field
 * columns allowed), or undefined when none matches or `values` is empty. This is how a form
 * submission finds an existing contact by its unique identifiers (docs/mautic/public-http.md §4.2).
 * (Added by the forms stand-in.)
 * @throws DbError `DB_INPUT_INVALID` for a column name that is not a plain lower-case identifier.
 */
export async function findLeadByAnyValue(db: Db, values: Readonly<Record<string, string | number>>): Promise<Lead | undefined> {
  const entries = Object.entries(values);
  if (entries.length === 0) return undefined;
  const bad = entries.map(([column]) => column).filter((column) => !/^[a-z][a-z0-9_]{0,63}$/.test(column));
  if (bad.length > 0) throw new DbError('DB_INPUT_INVALID', `leads: not a column name: ${bad.join(', ')}`, { table: 'leads', column: bad.join(',') });
  const where = entries.map(([column]) => `${quote(db, column)} = ?`).join(' OR ');
  const [row] = await db.query(`SELECT * FROM ${db.table('leads')} WHERE ${where} ORDER BY id LIMIT 1`, entries.map(([, v]) => v));
  return row ? decodeRow<Lead>(LEADS, row) : undefined;
}

/** Updates a contact's columns (custom fields allowed); `date_modified` is set to now unless given. */
export function updateLead(db: Db, id: number, values: Writable<Lead>, customFields: CustomFieldValues = {}): Promise<number> {
  return updateRows(db, LEADS, { id }, { date_modified: utcNow(), ...values, ...customFields }, { extraColumns: true });
}

/** Inserts an `ip_addresses` row (`ip_details` defaults to `N;`). @returns its id. */
export function insertIpAddress(db: Db, ipAddress: string, ipDetails: PhpValue = null): Promise<number> {
  return insertRow(db, IP_ADDRESSES, { ip_address: ipAddress, ip_details: ipDetails });
}

/** The first `ip_addresses` row for this address, or undefined. */
export async function findIpAddress(db: Db, ipAddress: string): Promise<IpAddress | undefined> {
  const [row] = await selectRows<IpAddress>(db, IP_ADDRESSES, { ip_address: ipAddress }, 'ORDER BY id LIMIT 1');
  return row;
}

/** The id of the `ip_addresses` row for this address, created if missing (as Mautic's IpLookupHelper does). */
export async function getOrCreateIpAddressId(db: Db, ipAddress: string): Promise<number> {
  return (await findIpAddress(db, ipAddress))?.id ?? insertIpAddress(db, ipAddress);
}

/** Links a contact to an IP in `lead_ips_xref` unless already linked. @returns true if a row was added. */
export async function linkLeadIp(db: Db, leadId: number, ipId: number): Promise<boolean> {
  if (await selectOne(db, LEAD_IPS_XREF, { lead_id: leadId, ip_id: ipId })) return false;
  await insertRow(db, LEAD_IPS_XREF, { lead_id: leadId, ip_id: ipId });
  return true;
}

/** Links a contact created in the caller's transaction to an IP: it has no link yet, so none is looked up. (Added by the tracking service.) */
export async function linkNewLeadIp(db: Db, leadId: number, ipId: number, options: { later?: boolean } = {}): Promise<void> {
  await insertRow(db, LEAD_IPS_XREF, { lead_id: leadId, ip_id: ipId }, options);
}

/** The IP ids linked to a contact. */
export async function listLeadIpIds(db: Db, leadId: number): Promise<number[]> {
  return (await selectRows<{ ip_id: number }>(db, LEAD_IPS_XREF, { lead_id: leadId }, 'ORDER BY ip_id')).map((r) => r.ip_id);
}

/**
 * The contact with the lowest id linked to this IP (`lead_ips_xref`), or undefined: Mautic's
 * `track_contact_by_ip` lookup (docs/mautic/public-http.md §2.1). (Added by the tracking stand-in.)
 */
export async function findLeadByIpId(db: Db, ipId: number): Promise<Lead | undefined> {
  const [link] = await selectRows<{ lead_id: number }>(db, LEAD_IPS_XREF, { ip_id: ipId }, 'ORDER BY lead_id LIMIT 1');
  return link ? findLeadById(db, link.lead_id) : undefined;
}

/** Inserts a `lead_devices` row (`date_added` now unless given). @returns its id. */
export function insertLeadDevice(db: Db, values: Writable<LeadDevice> & { lead_id: number }): Promise<number> {
  return insertRow(db, LEAD_DEVICES, { date_added: utcNow(), ...values });
}

/** The device with this tracking id (`mautic_device_id`), or undefined. */
export function findDeviceByTrackingId(db: Db, trackingId: string): Promise<LeadDevice | undefined> {
  return selectOne<LeadDevice>(db, LEAD_DEVICES, { tracking_id: trackingId });
}

/** The devices of a contact, oldest first. */
export function listLeadDevices(db: Db, leadId: number): Promise<LeadDevice[]> {
  return selectRows<LeadDevice>(db, LEAD_DEVICES, { lead_id: leadId }, 'ORDER BY id');
}

/** Appends to the contact timeline (`lead_event_log`; `date_added` now unless given). @returns its id. */
export function insertLeadEvent(db: Db, values: Writable<LeadEvent>): Promise<number> {
  return insertRow(db, LEAD_EVENT_LOG, { date_added: utcNow(), ...values });
}

/**
 * `insertLeadEvent` for a batch, in one statement, in the order given. (Added by the tracking worker.)
 *
 * @param options.later through `db.executeLater`: the ids are not read, so inside a transaction
 *   the INSERT may ride with the next statement or the COMMIT.
 */
export async function insertLeadEvents(db: Db, rows: readonly Writable<LeadEvent>[], options: { later?: boolean } = {}): Promise<void> {
  await insertRows(db, LEAD_EVENT_LOG, rows.map((values) => ({ date_added: utcNow(), ...values })), options);
}

/** The timeline entries of a contact, oldest first. */
export function listLeadEvents(db: Db, leadId: number): Promise<LeadEvent[]> {
  return selectRows<LeadEvent>(db, LEAD_EVENT_LOG, { lead_id: leadId }, 'ORDER BY id');
}

/** Inserts a `lead_donotcontact` row (`reason` 0 and `date_added` now unless given). @returns its id. */
export function insertDoNotContact(db: Db, values: Writable<DoNotContact> & { lead_id: number; channel: string }): Promise<number> {
  return insertRow(db, LEAD_DONOTCONTACT, { reason: 0, date_added: utcNow(), ...values });
}

/** The do-not-contact entries of a contact on a channel (e.g. 'email'), oldest first. */
export function listDoNotContact(db: Db, leadId: number, channel: string): Promise<DoNotContact[]> {
  return selectRows<DoNotContact>(db, LEAD_DONOTCONTACT, { lead_id: leadId, channel }, 'ORDER BY id');
}

/**
 * `UPDATE leads SET last_active = ? WHERE id = ?` and nothing else, as
 * LeadRepository::updateLastActive does once per tracked request (docs/mautic/public-http.md §2.1).
 * (Added by the tracking stand-in.)
 */
export async function touchLeadLastActive(db: Db, id: number, when: string = utcNow()): Promise<void> {
  await db.execute(`UPDATE ${db.table('leads')} SET ${quote(db, 'last_active')} = ? WHERE id = ?`, [when, id]);
}

/** What a cached resolution claims: the device row (id, contact, tracking id) and the contact's IP link. */
export interface ClaimedLink {
  leadId: number;
  deviceId: number;
  trackingId: string;
  ipId: number;
}

/**
 * `touchLeadLastActive`, done only while `claim` still holds: the device row has that id,
 * contact and tracking id, and the contact is linked to that IP. One statement, so a cached
 * resolution is checked by the write the hit makes anyway, not by a read.
 * (Added by the tracking service's contact cache.)
 *
 * @returns false when the claim no longer holds (nothing was written).
 */
export async function touchLeadLastActiveIfStillLinked(db: Db, claim: ClaimedLink, when: string): Promise<boolean> {
  const { affectedRows } = await db.execute(
    `UPDATE ${db.table('leads')} SET ${quote(db, 'last_active')} = ? WHERE id = ?`
    + ` AND EXISTS (SELECT 1 FROM ${db.table('lead_devices')} WHERE id = ? AND lead_id = ? AND tracking_id = ?)`
    + ` AND EXISTS (SELECT 1 FROM ${db.table('lead_ips_xref')} WHERE lead_id = ? AND ip_id = ?)`,
    [when, claim.leadId, claim.deviceId, claim.leadId, claim.trackingId, claim.leadId, claim.ipId],
  );
  return affectedRows > 0;
}

/** Gives a device its `tracking_id` (Mautic assigns one to a device that has none, §2.1). (Added by the tracking stand-in.) */
export function setDeviceTrackingId(db: Db, deviceId: number, trackingId: string): Promise<number> {
  return updateRows(db, LEAD_DEVICES, { id: deviceId }, { tracking_id: trackingId });
}

/** A contact field visitors may set from a tracking URL or form (`lead_fields.is_publicly_updatable`). */
export interface PublicContactField {
  alias: string;
  /** `is_unique_identifer`: the field identifies a contact (e.g. `email`). */
  isUniqueIdentifier: boolean;
}

/**
 * The published `lead` fields flagged publicly updatable (none on a fresh install,
 * docs/mautic/schema.md "Default lead_fields rows"). (Added by the tracking stand-in.)
 */
export async function listPublicContactFields(db: Db): Promise<PublicContactField[]> {
  const rows = await db.query<{ alias: string; is_unique_identifer: unknown }>(
    `SELECT alias, is_unique_identifer FROM ${db.table('lead_fields')} WHERE object = ? AND is_publicly_updatable = 1 AND is_published = 1 ORDER BY field_order, id`,
    ['lead'],
  );
  return rows.map((r) => ({ alias: r.alias, isUniqueIdentifier: Number(r.is_unique_identifer) === 1 }));
}
