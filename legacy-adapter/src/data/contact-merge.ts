import {
  CAMPAIGN_LEADS, COMPANIES_LEADS, CONTACT_MERGE_RECORDS, EMAIL_STATS, FORM_SUBMISSIONS, LEAD_COMPANIES_CHANGE_LOG, LEAD_DEVICES,
  LEAD_DONOTCONTACT, LEAD_EVENT_LOG, LEAD_IPS_XREF, LEAD_LISTS_LEADS, LEAD_POINTS_CHANGE_LOG, LEAD_TAGS_XREF, LEADS, PAGE_HITS, POINT_LEAD_ACTION_LOG,
  type TableDef,
} from '../db/schema/index.ts';
import { existingTables } from '../db/migrate.ts';
import type { Db } from '../db/types.ts';
import type { Lead } from './contact-rows.ts';
import { findLeadById, updateLead } from './contacts.ts';
import { insertRow, quote } from './table-access.ts';

/**
 * Merging the tracked anonymous contact into the contact a form submission identified
 * (docs/mautic/public-http.md §4.2 "Otherwise" step 1, §4.5 `contact_merge_records`). The
 * identified contact survives and keeps its id; the anonymous one is deleted after everything
 * it owns has moved over. What moves and how is our reading of "merge" (docs are silent on the
 * details): extracted-services/forms/README.md § The anonymous contact. Shared by the stand-in
 * and the forms service.
 */

/** Tables whose rows simply change owner. */
const OWNED: readonly TableDef[] = [LEAD_DEVICES, LEAD_EVENT_LOG, FORM_SUBMISSIONS, PAGE_HITS, EMAIL_STATS, LEAD_DONOTCONTACT, LEAD_POINTS_CHANGE_LOG, LEAD_COMPANIES_CHANGE_LOG];
/**
 * Tables of a full Mautic database this project does not create whose rows (keyed by their own
 * id) belong to a contact: moved when the database has them, so deleting the merged contact
 * does not cascade them away. Tables keyed by (…, lead_id) among them (point event and stage
 * action logs, group scores) are not moved: they follow Mautic's foreign keys.
 */
const MAUTIC_OWNED = [
  'asset_downloads', 'campaign_lead_event_log', 'message_queue', 'dynamic_content_lead_data', 'dynamic_content_stats', 'lead_frequencyrules',
  'lead_categories', 'lead_notes', 'lead_stages_change_log', 'lead_utmtags', 'push_ids', 'push_notification_stats', 'video_hits', 'sms_message_stats',
];
/** Link tables keyed by (…, lead_id): a link the survivor already has is not copied twice. */
const LINKS: readonly TableDef[] = [LEAD_IPS_XREF, LEAD_TAGS_XREF, LEAD_LISTS_LEADS, COMPANIES_LEADS, CAMPAIGN_LEADS, POINT_LEAD_ACTION_LOG];
/** `leads` columns that are bookkeeping, not contact fields: never filled from the merged contact. */
const NOT_FIELDS = new Set([
  ...LEADS.columns.filter((c) => c.generated || c.kind === 'array').map((c) => c.name),
  'id', 'owner_id', 'stage_id', 'is_published', 'date_added', 'created_by', 'created_by_user', 'date_modified', 'modified_by', 'modified_by_user',
  'checked_out', 'checked_out_by', 'checked_out_by_user', 'points', 'last_active', 'date_identified', 'preferred_profile_image',
]);

const blank = (value: unknown): boolean => value === null || value === undefined || value === '';

/**
 * Whether a tracked contact is anonymous: no email, name or company. Only an anonymous contact
 * is merged into the one a submission names; an identified one is left alone.
 */
export function isAnonymousContact(lead: Lead): boolean {
  return [lead.email, lead.firstname, lead.lastname, lead.company].every(blank);
}

/** How `contact_merge_records.name` names the merged contact. */
function nameOf(lead: Lead): string {
  const name = [lead.firstname, lead.lastname].filter((p) => !blank(p)).join(' ');
  return (name || lead.email || 'Anonymous').slice(0, 191);
}

async function moveLinks(db: Db, def: TableDef, fromId: number, toId: number): Promise<void> {
  const table = db.table(def.name);
  const columns = def.columns.map((c) => c.name);
  const others = def.primaryKey.filter((k) => k !== 'lead_id');
  const picked = columns.map((c) => (c === 'lead_id' ? '?' : `src.${quote(db, c)}`)).join(', ');
  const same = others.map((k) => `dst.${quote(db, k)} = src.${quote(db, k)}`).join(' AND ');
  await db.execute(
    `INSERT INTO ${table} (${columns.map((c) => quote(db, c)).join(', ')}) SELECT ${picked} FROM ${table} src
      WHERE src.lead_id = ? AND NOT EXISTS (SELECT 1 FROM ${table} dst WHERE dst.lead_id = ? AND ${same})`,
    [toId, fromId, toId],
  );
}

/**
 * Merges contact `merged` into `survivor`: blank fields of the survivor take the merged
 * contact's values, points add up, its rows (devices, events, submissions, hits, stats, logs,
 * and on a full Mautic database its UTM tags, notes, downloads, campaign events, …) and links (IPs, tags, segments, companies, campaigns) move over, a `contact_merge_records`
 * row is written, and the merged contact is deleted.
 *
 * @param when - UTC `Y-m-d H:i:s`
 * @returns the survivor as it is now
 */
export async function mergeContactInto(db: Db, survivor: Lead, merged: Lead, when: string): Promise<Lead> {
  const have = survivor as unknown as Record<string, unknown>;
  const give = merged as unknown as Record<string, unknown>;
  const filled = Object.fromEntries(Object.keys(give).filter((k) => !NOT_FIELDS.has(k) && !blank(give[k]) && blank(have[k])).map((k) => [k, give[k]]));
  await updateLead(db, survivor.id, { ...filled, points: survivor.points + merged.points, date_modified: when });
  for (const def of LINKS) await moveLinks(db, def, merged.id, survivor.id);
  const present = await existingTables(db);
  const owned = [...OWNED.map((def) => def.name), ...MAUTIC_OWNED.filter((name) => present.has(db.table(name)))];
  for (const name of owned) await db.execute(`UPDATE ${db.table(name)} SET lead_id = ? WHERE lead_id = ?`, [survivor.id, merged.id]);
  await insertRow(db, CONTACT_MERGE_RECORDS, { contact_id: survivor.id, date_added: when, merged_id: merged.id, name: nameOf(merged) });
  await db.execute(`DELETE FROM ${db.table('leads')} WHERE id = ?`, [merged.id]);
  return (await findLeadById(db, survivor.id))!;
}
