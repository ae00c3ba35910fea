import type { Request } from 'express';
import type { QueryMap } from '../../codecs/php-query.ts';
import { isAnonymousContact, mergeContactInto } from '../../data/contact-merge.ts';
import { findLeadByAnyValue, findLeadById, getOrCreateIpAddressId, insertLead, insertLeadEvent, linkLeadIp, updateLead, type Lead } from '../../data/contacts.ts';
import { toUtcDateTime } from '../../data/row-codec.ts';
import type { Db } from '../../db/types.ts';
import { inspectClient } from '../contact/client-ip.ts';
import { trackContact } from '../contact/contact-tracker.ts';
import { identifyContact } from '../contact/identify.ts';
import { parseCookieHeader } from '../../codecs/request-cookies.ts';
import { clockOf, type StandinDeps } from '../deps.ts';
import { toLeadValues, uniqueIdentifierAliases } from '../../data/form-contact-values.ts';
import type { Form } from '../../data/form-definition.ts';

/**
 * `createLeadFromSubmit` (docs/mautic/public-http.md §4.2 "Otherwise" step 1, §4.5):
 * the contact a successful submission belongs to — an existing contact with
 * the same unique identifier (the anonymous tracked contact merged into it,
 * data/contact-merge.ts), else the tracked contact, else a new one — with
 * the mapped values written, the IP linked, `lead_event_log` written for a
 * created or newly identified contact, and the device cookies to send.
 * The company of company-mapped fields is linked next (data/companies.ts). Not reproduced: audit_log.
 */

/** What the submission rows need from the contact step. */
export interface SubmissionContact {
  lead: Lead;
  ipId: number;
  /** Device tracking id for `form_submissions.tracking_id` (null in kiosk mode). */
  trackingId: string | null;
  /** Set-Cookie values (none in kiosk mode). */
  cookies: string[];
}

/** The oldest contact whose unique identifier equals a submitted one (Mautic's default OR operator). */
function findByUniqueValues(db: Db, values: Record<string, string | number>, aliases: string[]): Promise<Lead | undefined> {
  const given = aliases.filter((a) => values[a] !== undefined && values[a] !== '');
  return findLeadByAnyValue(db, Object.fromEntries(given.map((a) => [a, values[a]!])));
}

/** True when the tracked contact already holds a different value for a submitted unique identifier. */
function conflicts(lead: Lead, values: Record<string, string | number>, aliases: string[]): boolean {
  const stored = lead as unknown as Record<string, unknown>;
  return aliases.some((a) => values[a] !== undefined && stored[a] !== null && stored[a] !== undefined && stored[a] !== '' && String(stored[a]) !== String(values[a]));
}

function logEvent(db: Db, leadId: number, form: Form, action: 'created_contact' | 'identified_contact', when: string): Promise<number> {
  return insertLeadEvent(db, {
    lead_id: leadId, bundle: 'form', object: 'submission', object_id: form.id, action, date_added: when,
    properties: { object_description: form.name },
  });
}

/**
 * Resolves, writes and tracks the contact of a valid submission.
 *
 * @param contactValues - mapped values (lead_fields alias → filtered value)
 * @param query - the request's merged GET+POST parameters, for the tracker
 */
export async function contactForSubmission(
  deps: StandinDeps, req: Request, form: Form, contactValues: Record<string, string>, query: QueryMap,
): Promise<SubmissionContact> {
  const { db } = deps;
  const now = toUtcDateTime(clockOf(deps)());
  const values = await toLeadValues(db, contactValues);
  const aliases = await uniqueIdentifierAliases(db);
  const tracked = form.inKioskMode ? undefined : await trackContact(deps, req, { persist: false, query });
  const client = tracked?.ip ?? inspectClient(req.headers, req.socket.remoteAddress, deps.config);

  let lead = form.inKioskMode ? undefined : await findByUniqueValues(db, { ...values.columns, ...values.custom }, aliases);
  const visitor = tracked?.lead && !conflicts(tracked.lead, { ...values.columns, ...values.custom }, aliases) ? tracked.lead : undefined;
  // The anonymous visitor becomes part of the contact the submission names (ContactMerger).
  if (lead && visitor && visitor.id !== lead.id && isAnonymousContact(visitor)) lead = await mergeContactInto(db, lead, visitor, now);
  if (!lead && visitor) lead = visitor;

  let leadId: number;
  if (!lead) {
    leadId = await insertLead(db, { date_added: now, last_active: now, ...values.columns }, values.custom);
    await logEvent(db, leadId, form, 'created_contact', now);
  } else {
    leadId = lead.id;
    const becomesIdentified = lead.date_identified === null && aliases.some((a) => values.columns[a] !== undefined || values.custom[a] !== undefined);
    await updateLead(db, leadId, { ...values.columns, last_active: now, date_modified: now, ...(becomesIdentified ? { date_identified: now } : {}) }, values.custom);
    if (becomesIdentified) await logEvent(db, leadId, form, 'identified_contact', now);
  }

  const ipId = await getOrCreateIpAddressId(db, client.stored);
  await linkLeadIp(db, leadId, ipId);
  const final = form.inKioskMode ? undefined : await trackContact(deps, req, { persist: false, query, contactId: leadId });
  const saved = (await findLeadById(db, leadId))!;
  return { lead: saved, ipId, trackingId: final?.device?.trackingId ?? null, cookies: final?.cookies ?? [] };
}

/**
 * The tracked contact as it is before the submission, read only: what progressive profiling
 * judges the fields against (docs/mautic/public-http.md §4.2). Identified by device or `mtc_id`
 * (not by IP: that would write an `ip_addresses` row for a refused submission).
 */
export async function trackedContactBefore(deps: StandinDeps, req: Request, query: QueryMap): Promise<Lead | null> {
  const client = inspectClient(req.headers, req.socket.remoteAddress, deps.config);
  const found = await identifyContact(deps.db, { query, cookies: parseCookieHeader(req.headers.cookie), byQuery: false, trackable: client.trackable, trackContactByIp: false });
  return found.lead;
}
