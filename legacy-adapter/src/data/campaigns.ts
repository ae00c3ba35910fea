import { CAMPAIGN_FORM_XREF, CAMPAIGN_LEADS, CAMPAIGNS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import type { Writable } from './contact-rows.ts';
import { utcNow } from './row-codec.ts';
import { insertRow, selectOne, updateRows } from './table-access.ts';

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

/** The campaign with this id unless it is deleted, or undefined. */
export async function findLiveCampaign(db: Db, id: number): Promise<Campaign | undefined> {
  const campaign = await selectOne<Campaign>(db, CAMPAIGNS, { id });
  return campaign && campaign.deleted === null ? campaign : undefined;
}

/**
 * Puts a contact in a campaign by hand (`manually_added` 1): a new member, or one that was
 * removed coming back. A member already in it is left as it is.
 *
 * @param when - UTC `Y-m-d H:i:s`
 */
export async function addContactToCampaign(db: Db, campaignId: number, leadId: number, when: string): Promise<void> {
  const key = { campaign_id: campaignId, lead_id: leadId };
  if (await selectOne(db, CAMPAIGN_LEADS, key)) {
    await updateRows(db, CAMPAIGN_LEADS, { ...key, manually_removed: 1 }, { manually_removed: false, manually_added: true });
    return;
  }
  await insertRow(db, CAMPAIGN_LEADS, { ...key, date_added: when, manually_removed: false, manually_added: true, rotation: 1 });
}

/** Takes a contact out of a campaign by hand: the member row stays, `manually_removed` 1, `date_last_exited` set. */
export async function removeContactFromCampaign(db: Db, campaignId: number, leadId: number, when: string): Promise<void> {
  await updateRows(db, CAMPAIGN_LEADS, { campaign_id: campaignId, lead_id: leadId, manually_removed: 0 }, { manually_removed: true, manually_added: false, date_last_exited: when });
}
