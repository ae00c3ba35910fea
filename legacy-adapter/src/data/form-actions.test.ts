/**
 * The repositories a form submission's merge, actions and campaigns use (tags, companies,
 * campaigns, form actions, the merge), on every dialect and the real Mautic 5 schema: each
 * row holds every NOT NULL column, and the edge cases the contract does not reach.
 */
import { forEachDialect } from '../../../test-support/databases.ts';
import { CAMPAIGN_LEADS, COMPANIES, CONTACT_MERGE_RECORDS, FORM_ACTIONS, LEAD_LISTS_LEADS, LEAD_POINTS_CHANGE_LOG, LEAD_TAGS } from '../db/schema/index.ts';
import { addContactToFormCampaigns, insertCampaign, linkCampaignForm } from './campaigns.ts';
import { findCompanyByName, insertCompany, linkSubmittedCompany, toCompanyValues } from './companies.ts';
import { isAnonymousContact, mergeContactInto } from './contact-merge.ts';
import { findLeadById, insertLead } from './contacts.ts';
import { runFormActions } from './form-action-runner.ts';
import { insertFormAction, listFormActions } from './form-actions.ts';
import { insertForm } from './forms.ts';
import { addLeadToSegment, insertSegment } from './segments.ts';
import { insertTag, tagContact } from './tags.ts';
import { nullNotNullColumns, rawRow } from './test-fixtures/row-checks.ts';

const WHEN = '2024-10-24 10:00:00';

forEachDialect('form action repositories', (getDb, kind) => {
  it('writes every NOT NULL column of the action, tag, points, company and campaign rows', async () => {
    const db = getDb();
    const formId = await insertForm(db, { name: 'F', alias: 'f' });
    const leadId = await insertLead(db, { email: 'a@example.org' });
    const actionId = await insertFormAction(db, { form_id: formId, name: 'P', type: 'lead.pointschange', properties: { operator: 'plus', points: 3 } });
    expect(await listFormActions(db, formId)).toEqual([expect.objectContaining({ id: actionId, properties: { operator: 'plus', points: 3 } })]);
    expect(nullNotNullColumns(FORM_ACTIONS, await rawRow(db, FORM_ACTIONS, { id: actionId }))).toEqual([]);
    await runFormActions(db, { form: { id: formId, name: 'F' }, leadId, ipId: null, when: WHEN });
    expect(nullNotNullColumns(LEAD_POINTS_CHANGE_LOG, await rawRow(db, LEAD_POINTS_CHANGE_LOG, { lead_id: leadId }))).toEqual([]);
    const tagId = await insertTag(db, 't');
    expect(nullNotNullColumns(LEAD_TAGS, await rawRow(db, LEAD_TAGS, { id: tagId }))).toEqual([]);
    const company = await linkSubmittedCompany(db, leadId, toCompanyValues({ companyname: 'Acme', companyannual_revenue: '1.5', companyfax: 'x'.repeat(300), nope: 'y' }), { type: 'form', eventName: 'e', actionName: 'added', when: WHEN });
    expect(nullNotNullColumns(COMPANIES, await rawRow(db, COMPANIES, { id: company!.id }))).toEqual([]);
    expect(await rawRow(db, COMPANIES, { id: company!.id })).toMatchObject({ companyannual_revenue: 1.5, companyfax: 'x'.repeat(191) });
    const campaignId = await insertCampaign(db, { name: 'C' });
    await linkCampaignForm(db, campaignId, formId);
    expect(await addContactToFormCampaigns(db, formId, leadId, WHEN)).toEqual([campaignId]);
    expect(await addContactToFormCampaigns(db, formId, leadId, WHEN)).toEqual([]);
    expect(nullNotNullColumns(CAMPAIGN_LEADS, await rawRow(db, CAMPAIGN_LEADS, { campaign_id: campaignId, lead_id: leadId }))).toEqual([]);
  });

  it('finds a company by name whatever the case; without a name links none', async () => {
    const db = getDb();
    const id = await insertCompany(db, { companyname: 'Mixed Case Co' });
    expect((await findCompanyByName(db, 'mixed CASE co'))?.id).toBe(id);
    expect(await linkSubmittedCompany(db, await insertLead(db), { companycity: 'Lyon' }, { type: 'form', eventName: 'e', actionName: 'added', when: WHEN })).toBeUndefined();
  });

  it('adds back to a segment a contact that was manually removed from it', async () => {
    const db = getDb();
    const formId = await insertForm(db, { name: 'G', alias: 'g' });
    const leadId = await insertLead(db);
    const segmentId = await insertSegment(db, { name: 'S', alias: 's' });
    await addLeadToSegment(db, segmentId, leadId, { date_added: '2024-01-01 00:00:00', manually_removed: true });
    await insertFormAction(db, { form_id: formId, name: 'L', type: 'lead.changelist', properties: { addToLists: [segmentId] } });
    await runFormActions(db, { form: { id: formId, name: 'G' }, leadId, ipId: null, when: WHEN });
    expect(await rawRow(db, LEAD_LISTS_LEADS, { leadlist_id: segmentId, lead_id: leadId })).toMatchObject({ manually_removed: 0, manually_added: 1, date_added: '2024-01-01 00:00:00' });
  });

  it('merges an anonymous contact: blank fields filled, shared links once, the merged one gone', async () => {
    const db = getDb();
    const survivorId = await insertLead(db, { email: 'ann@example.org', city: 'Paris', points: 1 });
    const mergedId = await insertLead(db, { city: 'Lyon', country: 'France', points: 2 });
    const tagId = await insertTag(db, 'both');
    for (const id of [survivorId, mergedId]) await tagContact(db, id, tagId);
    // A full Mautic database has tables this project does not create; their rows move too.
    if (kind === 'real-mautic') await db.execute(`INSERT INTO ${db.table('lead_utmtags')} (lead_id, date_added, utm_source) VALUES (?, ?, 'ad')`, [mergedId, WHEN]);
    const merged = (await findLeadById(db, mergedId))!;
    expect(isAnonymousContact(merged)).toBe(true);
    expect(isAnonymousContact((await findLeadById(db, survivorId))!)).toBe(false);
    const after = await mergeContactInto(db, (await findLeadById(db, survivorId))!, merged, WHEN);
    expect(after).toMatchObject({ id: survivorId, city: 'Paris', country: 'France', points: 3 });
    expect(await findLeadById(db, mergedId)).toBeUndefined();
    expect(await db.query(`SELECT lead_id, tag_id FROM ${db.table('lead_tags_xref')} WHERE tag_id = ?`, [tagId])).toEqual([{ lead_id: survivorId, tag_id: tagId }]);
    if (kind === 'real-mautic') expect(await db.query(`SELECT lead_id, utm_source FROM ${db.table('lead_utmtags')}`)).toEqual([{ lead_id: survivorId, utm_source: 'ad' }]);
    const record = await rawRow(db, CONTACT_MERGE_RECORDS, { merged_id: mergedId });
    expect(record).toMatchObject({ contact_id: survivorId, name: 'Anonymous', date_added: WHEN });
    expect(nullNotNullColumns(CONTACT_MERGE_RECORDS, record)).toEqual([]);
  });
}, { realMautic: ['', 'mt_'] });
