import { DbError } from '../db/errors.ts';
import { EMAIL_LIST_EXCLUDED, LEADS } from '../db/schema/index.ts';
import type { Db, SqlValue } from '../db/types.ts';
import type { Lead } from './contact-rows.ts';
import { decodeRow } from './row-codec.ts';
import { insertRow, selectOne, selectRows } from './table-access.ts';

/**
 * Who a segment email goes to: the segments it skips (`email_list_excluded`; the segments it
 * targets, `email_list_xref`, are in emails.ts) and the pending contacts of its segments
 * (docs/mautic/public-http.md §5.2, Mautic's `getPendingLeads`). (Added by the sending stand-in.)
 */

/** Excludes a segment's members from a segment email (`email_list_excluded`) unless already excluded. */
export async function addEmailExcludedSegment(db: Db, emailId: number, segmentId: number): Promise<void> {
  if (await selectOne(db, EMAIL_LIST_EXCLUDED, { email_id: emailId, leadlist_id: segmentId })) return;
  await insertRow(db, EMAIL_LIST_EXCLUDED, { email_id: emailId, leadlist_id: segmentId });
}

/** The segment ids a segment email skips, ascending. */
export async function listEmailExcludedSegmentIds(db: Db, emailId: number): Promise<number[]> {
  const rows = await selectRows<{ leadlist_id: number }>(db, EMAIL_LIST_EXCLUDED, { email_id: emailId }, 'ORDER BY leadlist_id');
  return rows.map((r) => r.leadlist_id);
}

/** A contact an email is still to be sent to, and the segment it was taken from. */
export interface PendingLead {
  lead: Lead;
  /** The lowest of the given segment ids the contact is in (`email_stats.list_id`). */
  listId: number;
}

/**
 * The contacts of `segmentIds` an email is still pending for: members not manually removed,
 * with a non-empty `email`, never sent this email (`email_stats`), without an `email`
 * do-not-contact entry, and not a member (not manually removed) of a segment the email
 * excludes. Each contact once, with its lowest segment id; ordered by contact id.
 *
 * @param limit - at most this many contacts; `null` for all
 * @param afterLeadId - only contacts with a greater id (keyset paging of a large segment); default 0
 * @returns [] when `segmentIds` is empty
 * @throws DbError `DB_INPUT_INVALID` for a `limit` that is not a non-negative integer
 */
export async function listPendingSegmentLeads(db: Db, emailId: number, segmentIds: readonly number[], limit: number | null, afterLeadId = 0): Promise<PendingLead[]> {
  if (limit !== null && !(Number.isSafeInteger(limit) && limit >= 0)) throw new DbError('DB_INPUT_INVALID', `limit must be a non-negative integer, got ${limit}`);
  if (segmentIds.length === 0) return [];
  const t = (name: string) => db.table(name);
  const params: SqlValue[] = [...segmentIds, afterLeadId, emailId, emailId];
  const sql = `
    SELECT l.*, m.list_id AS strangler_list_id
      FROM (SELECT ll.lead_id, MIN(ll.leadlist_id) AS list_id
              FROM ${t('lead_lists_leads')} ll
             WHERE ll.leadlist_id IN (${segmentIds.map(() => '?').join(', ')}) AND ll.manually_removed = 0
             GROUP BY ll.lead_id) m
      JOIN ${t('leads')} l ON l.id = m.lead_id
     WHERE l.id > ? AND l.email IS NOT NULL AND l.email <> ''
       AND NOT EXISTS (SELECT 1 FROM ${t('email_stats')} s WHERE s.email_id = ? AND s.lead_id = l.id)
       AND NOT EXISTS (SELECT 1 FROM ${t('lead_donotcontact')} d WHERE d.lead_id = l.id AND d.channel = 'email')
       AND NOT EXISTS (SELECT 1 FROM ${t('email_list_excluded')} x
                         JOIN ${t('lead_lists_leads')} xl ON xl.leadlist_id = x.leadlist_id AND xl.manually_removed = 0
                        WHERE x.email_id = ? AND xl.lead_id = l.id)
     ORDER BY l.id${limit !== null ? ' LIMIT ?' : ''}`;
  if (limit !== null) params.push(limit);
  const rows = await db.query(sql, params);
  return rows.map(({ strangler_list_id: listId, ...lead }) => ({ lead: decodeRow<Lead>(LEADS, lead), listId: Number(listId) }));
}
