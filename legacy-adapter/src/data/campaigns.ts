import { CAMPAIGN_FORM_XREF, CAMPAIGN_LEADS, CAMPAIGNS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import type { Writable } from './contact-rows.ts';
import { utcNow } from './row-codec.ts';
import { insertRow, selectOne } from './table-access.ts';

/** A `campaigns` row, as far as a form submission reads it. */
export interface Campaign {
  id: number;
  is_published: boolean;
  name: string;
  publish_up: string | null;
  publish_down: string | null;
  allow_restart: boolean;
  deleted: string | null;
}

/** Inserts a campaign (published, no restart, `date_added` now unless given). @returns its id. */
export function insertCampaign(db: Db, values: Writable<Campaign> & { name: string }): Promise<number> {
  return insertRow(db, CAMPAIGNS, { is_published: true, allow_restart: false, date_added: utcNow(), ...values });
}

/** Makes `formId` a source of `campaignId` (`campaign_form_xref`). */
export async function linkCampaignForm(db: Db, campaignId: number, formId: number): Promise<void> {
  await insertRow(db, CAMPAIGN_FORM_XREF, { campaign_id: campaignId, form_id: formId });
}

/**
 * Adds a contact to every campaign that uses `formId` as a source and is published, not
 * deleted and inside its publish window at `when` (docs/mautic/public-http.md §4.2 "Otherwise"
 * step 7). A contact already in a campaign is left as it is.
 *
 * @param when - UTC `Y-m-d H:i:s`
 * @returns the ids of the campaigns the contact joined
 */
export async function addContactToFormCampaigns(db: Db, formId: number, leadId: number, when: string): Promise<number[]> {
  const found = await db.query<{ id: number }>(
    `SELECT c.id FROM ${db.table('campaigns')} c JOIN ${db.table('campaign_form_xref')} x ON x.campaign_id = c.id
      WHERE x.form_id = ? AND c.is_published = 1 AND c.deleted IS NULL
        AND (c.publish_up IS NULL OR c.publish_up <= ?) AND (c.publish_down IS NULL OR c.publish_down > ?) ORDER BY c.id`,
    [formId, when, when],
  );
  const joined: number[] = [];
  for (const { id } of found) {
    if (await selectOne(db, CAMPAIGN_LEADS, { campaign_id: id, lead_id: leadId })) continue;
    await insertRow(db, CAMPAIGN_LEADS, { campaign_id: id, lead_id: leadId, date_added: when, manually_removed: false, manually_added: false, rotation: 1 });
    joined.push(id);
  }
  return joined;
}
