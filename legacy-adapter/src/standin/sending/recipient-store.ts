import { findLeadById } from '../../data/contacts.ts';
import { listEmailSegmentIds } from '../../data/emails.ts';
import type { Db, SqlValue } from '../../db/types.ts';

/**
 * Who an email goes to (mautic-public-http.md §5.2, §5.3): one contact by id,
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

function toRecipient(row: Record<string, unknown>, listId: number | null): Recipient {
  return {
    id: Number(row.id),
    email: String(row.email ?? '').trim(),
    ownerId: row.owner_id === null || row.owner_id === undefined ? null : Number(row.owner_id),
    fields: row,
    listId,
  };
}

/** One contact by id, or undefined. */
export async function findRecipient(db: Db, contactId: number): Promise<Recipient | undefined> {
  const lead = await findLeadById(db, contactId);
  return lead ? toRecipient(lead as unknown as Record<string, unknown>, null) : undefined;
}

/** Segment ids of an email (`email_list_xref`). */
export function emailSegments(db: Db, emailId: number): Promise<number[]> {
  return listEmailSegmentIds(db, emailId);
}

/**
 * Pending contacts of the given segments (`getPendingLeads`): members not
 * manually removed, not in an excluded segment, never sent this email, without
 * an email DNC, with an address; each contact once (its lowest segment id),
 * ordered by id, at most `limit`. One query of its own: no repository covers
 * this join.
 */
export async function pendingRecipients(db: Db, emailId: number, segmentIds: readonly number[], limit: number | null): Promise<Recipient[]> {
  if (segmentIds.length === 0) return [];
  const t = (name: string) => db.table(name);
  const marks = segmentIds.map(() => '?').join(', ');
  const params: SqlValue[] = [...segmentIds, emailId, emailId];
  const sql = `
    SELECT l.*, m.list_id AS strangler_list_id
      FROM (SELECT ll.lead_id, MIN(ll.leadlist_id) AS list_id
              FROM ${t('lead_lists_leads')} ll
             WHERE ll.leadlist_id IN (${marks}) AND ll.manually_removed = 0
             GROUP BY ll.lead_id) m
      JOIN ${t('leads')} l ON l.id = m.lead_id
     WHERE l.email IS NOT NULL AND l.email <> ''
       AND NOT EXISTS (SELECT 1 FROM ${t('email_stats')} s WHERE s.email_id = ? AND s.lead_id = l.id)
       AND NOT EXISTS (SELECT 1 FROM ${t('lead_donotcontact')} d WHERE d.lead_id = l.id AND d.channel = 'email')
       AND NOT EXISTS (SELECT 1 FROM ${t('email_list_excluded')} x
                         JOIN ${t('lead_lists_leads')} xl ON xl.leadlist_id = x.leadlist_id AND xl.manually_removed = 0
                        WHERE x.email_id = ? AND xl.lead_id = l.id)
     ORDER BY l.id${limit !== null ? ' LIMIT ?' : ''}`;
  if (limit !== null) params.push(limit);
  const rows = await db.query(sql, params);
  return rows.map((row) => {
    const { strangler_list_id: listId, ...fields } = row;
    return toRecipient(fields, Number(listId));
  });
}
