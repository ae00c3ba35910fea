/**
 * The contact of a valid submission (`createLeadFromSubmit`, docs/mautic/public-http.md §4.2
 * "Otherwise" step 1, §4.5): the oldest contact with a submitted unique identifier (the tracked
 * visitor merged into it when anonymous), else the tracked visitor (unless its identifiers
 * conflict), else a new contact; the mapped values
 * written, `lead_event_log` for a created or newly identified contact, the IP linked, and the
 * device cookies. Kiosk forms track nobody and set no cookies. Visitor tracking is the
 * tracking service's (one ContactTracker for both services).
 */
import { isAnonymousContact, mergeContactInto } from '../../../../legacy-adapter/src/data/contact-merge.ts';
import { findLeadByAnyValue, findLeadById, getOrCreateIpAddressId, insertLead, insertLeadEvent, linkLeadIp, updateLead } from '../../../../legacy-adapter/src/data/contacts.ts';
import type { Lead } from '../../../../legacy-adapter/src/data/contacts.ts';
import { toLeadValues, uniqueIdentifierAliases } from '../../../../legacy-adapter/src/data/form-contact-values.ts';
import type { Form } from '../../../../legacy-adapter/src/data/form-definition.ts';
import { toUtcDateTime } from '../../../../legacy-adapter/src/data/row-codec.ts';
import { trackKnownContact, trackVisitor } from '../../../service-kit/visitor/contact.ts';
import { identify } from '../../../service-kit/visitor/identify.ts';
import { headerOf } from '../../../service-kit/visitor/tracking-request.ts';
import type { VisitorContext } from '../../../service-kit/visitor/visitor-context.ts';
import { inspectVisitor } from '../../../service-kit/visitor/visitor.ts';
import type { FormRequest } from './form-request.ts';

/** What the submission rows and the answer need of the contact. */
export interface SubmissionContact {
  lead: Lead;
  ipId: number;
  /** `form_submissions.tracking_id`: the device's tracking id (null in kiosk mode). */
  trackingId: string | null;
  cookies: string[];
}

type Values = Record<string, string | number>;

/** The first given unique identifier that the tracked contact holds with another value. */
function conflicts(lead: Lead, values: Values, aliases: readonly string[]): boolean {
  const stored = lead as unknown as Record<string, unknown>;
  return aliases.some((alias) => {
    const had = stored[alias];
    return values[alias] !== undefined && had !== null && had !== undefined && had !== '' && String(had) !== String(values[alias]);
  });
}

async function matchByIdentifiers(ctx: VisitorContext, values: Values, aliases: readonly string[]): Promise<Lead | undefined> {
  const given = Object.fromEntries(aliases.filter((a) => values[a] !== undefined && values[a] !== '').map((a) => [a, values[a]!]));
  return findLeadByAnyValue(ctx.db, given);
}

function logContactEvent(ctx: VisitorContext, leadId: number, form: Form, action: 'created_contact' | 'identified_contact', when: string): Promise<number> {
  return insertLeadEvent(ctx.db, {
    lead_id: leadId, bundle: 'form', object: 'submission', object_id: form.id, action, date_added: when,
    properties: { object_description: form.name },
  });
}

/**
 * Resolves, writes and tracks the contact.
 *
 * @param contactValues - mapped values by `lead_fields` alias, filtered
 */
export async function contactOfSubmission(ctx: VisitorContext, request: FormRequest, form: Form, contactValues: Record<string, string>): Promise<SubmissionContact> {
  const { db } = ctx;
  const when = toUtcDateTime(request.now);
  const mapped = await toLeadValues(db, contactValues);
  const values: Values = { ...mapped.columns, ...mapped.custom };
  const aliases = await uniqueIdentifierAliases(db);
  const tracked = form.inKioskMode ? undefined : await trackVisitor(ctx, request, { create: false, query: request.get });
  let lead = form.inKioskMode ? undefined : await matchByIdentifiers(ctx, values, aliases);
  const visiting = tracked?.foundLead && !conflicts(tracked.foundLead, values, aliases) ? tracked.foundLead : undefined;
  if (lead && visiting && visiting.id !== lead.id && isAnonymousContact(visiting)) lead = await mergeContactInto(db, lead, visiting, when);
  if (!lead && visiting) lead = visiting;

  let leadId: number;
  if (lead) {
    leadId = lead.id;
    const identified = lead.date_identified === null && aliases.some((a) => values[a] !== undefined);
    await updateLead(db, leadId, { ...mapped.columns, last_active: when, date_modified: when, ...(identified ? { date_identified: when } : {}) }, mapped.custom);
    if (identified) await logContactEvent(ctx, leadId, form, 'identified_contact', when);
  } else {
    leadId = await insertLead(db, { date_added: when, last_active: when, ...mapped.columns }, mapped.custom);
    await logContactEvent(ctx, leadId, form, 'created_contact', when);
  }
  const visitor = tracked?.visitor ?? inspectVisitor(request, ctx.config.mautic, ctx.config.botDetector);
  const ipId = await getOrCreateIpAddressId(db, visitor.storedIp);
  await linkLeadIp(db, leadId, ipId);
  const device = form.inKioskMode ? null : await trackKnownContact(ctx, leadId, headerOf(request, 'user-agent'), request.now);
  return { lead: (await findLeadById(db, leadId))!, ipId, trackingId: device?.device.trackingId ?? null, cookies: device?.cookies ?? [] };
}


/**
 * The tracked contact as it is before the submission, read only: what progressive profiling
 * judges the fields against (docs/mautic/public-http.md §4.2). Identified by device or `mtc_id`
 * (not by IP: that would write an `ip_addresses` row for a refused submission).
 */
export async function trackedContactBefore(ctx: VisitorContext, request: FormRequest): Promise<Lead | null> {
  const visitor = inspectVisitor(request, ctx.config.mautic, ctx.config.botDetector);
  return (await identify(ctx.db, { query: request.get, cookies: request.cookies, byQuery: false, trackable: visitor.trackable })).lead;
}
