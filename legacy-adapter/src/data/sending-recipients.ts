import { findLeadById, type Lead } from './contacts.ts';
import { listPendingSegmentLeads } from './email-segments.ts';
import { listEmailSegmentIds } from './emails.ts';
import type { Db } from '../db/types.ts';

/**
 * Who an email goes to (docs/mautic/public-http.md §5.2, §5.3): one contact by id,
 * or the pending contacts of the email's segments.
 */

/** A contact as the send pipeline needs it: its columns (for tokens) and owner. */
export interface Recipient {
  id: number;
  email: string;
  ownerId: number | null;
  fields: Record<string, unknown>;
  /** The segment the contact was taken from (`email_stats.list_id`). */
  listId: number | null;
}

function toRecipient(lead: Lead, listId: number | null): Recipient {
  return {
    id: lead.id,
    email: String(lead.email ?? '').trim(),
    ownerId: lead.owner_id ?? null,
    fields: lead as unknown as Record<string, unknown>,
    listId,
  };
}

/** One contact by id, or undefined. */
export async function findRecipient(db: Db, contactId: number): Promise<Recipient | undefined> {
  const lead = await findLeadById(db, contactId);
  return lead ? toRecipient(lead, null) : undefined;
}

/** Segment ids of an email (`email_list_xref`). */
export function emailSegments(db: Db, emailId: number): Promise<number[]> {
  return listEmailSegmentIds(db, emailId);
}

/**
 * Pending contacts of the given segments (`getPendingLeads`, §5.2): see
 * `listPendingSegmentLeads`; each with the segment it was taken from. `afterContactId`
 * pages through a large segment by contact id without loading it whole.
 */
export async function pendingRecipients(db: Db, emailId: number, segmentIds: readonly number[], limit: number | null, afterContactId = 0): Promise<Recipient[]> {
  const pending = await listPendingSegmentLeads(db, emailId, segmentIds, limit, afterContactId);
  return pending.map(({ lead, listId }) => toRecipient(lead, listId));
}
