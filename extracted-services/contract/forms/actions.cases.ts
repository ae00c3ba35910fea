/**
 * Contract cases of the form actions and campaign membership a saved submission runs
 * (docs/mautic/public-http.md §4.2 "Otherwise" steps 5 and 7, §4.5): tags, points with their
 * change log, segments, the primary company, campaigns by hand, company fields, the campaigns
 * of a campaign form; and actions that
 * name a tag, segment or company that does not exist, or hold unreadable properties. The
 * property shapes are our assumption (extracted-services/forms/README.md § Form actions).
 */
import { insertCampaign, linkCampaignForm } from '../../../legacy-adapter/src/data/campaigns.ts';
import { insertCompany } from '../../../legacy-adapter/src/data/companies.ts';
import { insertPointAction } from '../../../legacy-adapter/src/data/contact-points.ts';
import { insertLead } from '../../../legacy-adapter/src/data/contacts.ts';
import { insertFormAction } from '../../../legacy-adapter/src/data/form-actions.ts';
import { addLeadToSegment, insertSegment } from '../../../legacy-adapter/src/data/segments.ts';
import { insertTag, tagContact } from '../../../legacy-adapter/src/data/tags.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import type { ContractCase } from '../contract-case.ts';
import { EMAIL_FIELD, TEST_NOW_TEXT, formBody, formHeaders, givenContactForm, givenForm } from './fixtures.ts';

const EARLIER = '2024-01-01 00:00:00';
const MISSING = 999_999;

/** A form whose fields are mapped to the company's name, city and staff count (and one to no company column). */
const COMPANY_FORM = [
  EMAIL_FIELD,
  { label: 'Firm', alias: 'firm', type: 'text', mapped_object: 'company', mapped_field: 'companyname' },
  { label: 'City', alias: 'city', type: 'text', mapped_object: 'company', mapped_field: 'companycity' },
  { label: 'Staff', alias: 'staff', type: 'number', mapped_object: 'company', mapped_field: 'companynumber_of_employees' },
  { label: 'Staff x', alias: 'staffx', type: 'text', mapped_object: 'company', mapped_field: 'nosuchcolumn' },
];

/** The known contact Ann: 5 points, tag "old", in segment "Old news". */
async function givenAnn(db: Db) {
  const annId = await insertLead(db, { email: 'ann@example.org', points: 5, date_added: EARLIER, date_identified: EARLIER });
  const oldTagId = await insertTag(db, 'old');
  await tagContact(db, annId, oldTagId);
  const oldSegmentId = await insertSegment(db, { name: 'Old news', alias: 'oldnews' });
  await addLeadToSegment(db, oldSegmentId, annId, { date_added: EARLIER });
  return { annId, oldTagId, oldSegmentId };
}

/** Ann's AJAX submission of the case's form. */
const annPost = (fx: Record<string, number | string>) => ({
  method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(), body: formBody({ formId: String(fx.formId), email: 'ann@example.org' }),
});

export const ACTION_CASES: ContractCase[] = [
  {
    name: 'actions: tags added (by id, by name, a new name created) and removed',
    cite: '§4.2 "Otherwise" step 5, §4.5 lead_tags_xref',
    given: async (db) => {
      const formId = await givenContactForm(db);
      const ann = await givenAnn(db);
      const webTagId = await insertTag(db, 'web');
      await insertFormAction(db, { form_id: formId, name: 'Tag', type: 'lead.changetags', properties: { add_tags: [webTagId, 'vip'], remove_tags: ['old'] } });
      return { formId, webTagId, ...ann };
    },
    request: annPost,
    expect: (fx) => ({
      status: 200, body: { json: { success: 1, results: expect.objectContaining({ email: 'ann@example.org' }), successMessage: 'Thanks for contacting us!' } },
      rows: {
        lead_tags: [{ id: fx.oldTagId, tag: 'old' }, { id: fx.webTagId, tag: 'web' }, { tag: 'vip' }],
        lead_tags_xref: [{ lead_id: fx.annId, tag_id: fx.webTagId }, { lead_id: fx.annId, tag_id: expect.any(Number) }],
      },
    }),
  },
  {
    name: 'actions: points changed in order (plus, then times), each change logged with its delta and the IP',
    cite: '§4.2 "Otherwise" step 5, §4.5 lead_points_change_log',
    given: async (db) => {
      const formId = await givenContactForm(db);
      await insertFormAction(db, { form_id: formId, name: 'Double', type: 'lead.pointschange', action_order: 2, properties: { operator: 'times', points: 2 } });
      await insertFormAction(db, { form_id: formId, name: 'Ten', type: 'lead.pointschange', action_order: 1, properties: { operator: 'plus', points: '10' } });
      return { formId, ...(await givenAnn(db)) };
    },
    request: annPost,
    expect: (fx) => {
      const log = { lead_id: fx.annId, ip_id: expect.any(Number), group_id: null, type: 'form', event_name: `${fx.formId}: Contact us`, action_name: 'submit', date_added: TEST_NOW_TEXT };
      return { status: 200, rows: { leads: [{ id: fx.annId, points: 30 }], lead_points_change_log: [{ ...log, delta: 10 }, { ...log, delta: 15 }] } };
    },
  },
  {
    name: 'actions: added to a segment (manually) and removed from another (kept, marked manually removed)',
    cite: '§4.2 "Otherwise" step 5, §4.5 lead_lists_leads',
    given: async (db) => {
      const formId = await givenContactForm(db);
      const ann = await givenAnn(db);
      const newSegmentId = await insertSegment(db, { name: 'Leads', alias: 'leads' });
      await insertFormAction(db, { form_id: formId, name: 'Lists', type: 'lead.changelist', properties: { addToLists: [String(newSegmentId)], removeFromLists: [ann.oldSegmentId] } });
      return { formId, newSegmentId, ...ann };
    },
    request: annPost,
    expect: (fx) => ({
      status: 200,
      rows: {
        lead_lists_leads: [
          { leadlist_id: fx.oldSegmentId, lead_id: fx.annId, date_added: EARLIER, manually_added: 0, manually_removed: 1 },
          { leadlist_id: fx.newSegmentId, lead_id: fx.annId, date_added: TEST_NOW_TEXT, manually_added: 1, manually_removed: 0 },
        ],
      },
    }),
  },
  {
    name: 'actions: the company becomes the new contact\'s primary company, with leads.company and a change log',
    cite: '§4.2 "Otherwise" step 5, §4.5 companies_leads, lead_companies_change_log',
    given: async (db) => {
      const formId = await givenContactForm(db);
      const companyId = await insertCompany(db, { companyname: 'Acme', date_added: EARLIER });
      await insertFormAction(db, { form_id: formId, name: 'Company', type: 'lead.addtocompany', properties: { company: companyId } });
      return { formId, companyId };
    },
    request: annPost,
    expect: (fx) => ({
      status: 200,
      rows: {
        leads: [{ email: 'ann@example.org', company: 'Acme' }],
        companies_leads: [{ company_id: fx.companyId, lead_id: expect.any(Number), date_added: TEST_NOW_TEXT, is_primary: 1 }],
        lead_companies_change_log: [{ company_id: fx.companyId, type: 'form', event_name: `${fx.formId}: Contact us`, action_name: 'added', date_added: TEST_NOW_TEXT }],
      },
    }),
  },
  {
    name: 'bad actions: a missing tag id, segment or company, an unknown operator, a division by zero and unreadable properties do nothing; the submission stands',
    cite: '§4.2 "Otherwise" step 5',
    given: async (db) => {
      const formId = await givenContactForm(db);
      const actions: [string, unknown][] = [
        ['lead.changetags', { add_tags: [MISSING, ''], remove_tags: [MISSING, 'nope'] }],
        ['lead.changelist', { addToLists: [MISSING, 'x'], removeFromLists: [MISSING] }],
        ['lead.addtocompany', { company: MISSING }],
        ['campaign.addremovelead', { addTo: [MISSING], removeFrom: [MISSING] }],
        ['lead.pointschange', { operator: 'power', points: 3 }],
        ['lead.pointschange', { operator: 'divide', points: 0 }],
        ['lead.pointschange', 'not an array'],
        ['email.send.lead', { email: MISSING }],
      ];
      for (const [type, properties] of actions) await insertFormAction(db, { form_id: formId, name: type, type, properties });
      return { formId, ...(await givenAnn(db)) };
    },
    request: annPost,
    expect: (fx) => ({
      status: 200, body: { json: { success: 1, results: expect.objectContaining({ email: 'ann@example.org' }), successMessage: 'Thanks for contacting us!' } },
      rows: {
        leads: [{ id: fx.annId, points: 5, company: null }],
        lead_tags: [{ tag: 'old' }],
        lead_tags_xref: [{ lead_id: fx.annId, tag_id: fx.oldTagId }],
        lead_lists_leads: [{ leadlist_id: fx.oldSegmentId, manually_removed: 0 }],
        companies_leads: [], lead_points_change_log: [], lead_companies_change_log: [], campaign_leads: [],
        form_submissions: [{ lead_id: fx.annId }],
      },
    }),
  },
  {
    name: 'actions then redirect: {contactfield=points} reads the points the actions left',
    cite: '§4.2 postAction=redirect, "Otherwise" step 5',
    given: async (db) => {
      const { formId } = await givenForm(db, { name: 'Score', alias: 'score', post_action: 'redirect', post_action_property: 'https://shop.test/?p={contactfield=points}' }, [EMAIL_FIELD]);
      await insertFormAction(db, { form_id: formId, name: 'Seven', type: 'lead.pointschange', properties: { operator: 'plus', points: 7 } });
      return { formId };
    },
    request: (fx) => ({ method: 'POST', path: '/form/submit', headers: formHeaders(), body: formBody({ formId: String(fx.formId), email: 'zoe@example.org' }) }),
    expect: () => ({ status: 302, headers: { location: 'https://shop.test/?p=7' }, rows: { leads: [{ email: 'zoe@example.org', points: 7 }] } }),
  },
  {
    name: 'company fields: a new company is made with the submitted values and becomes the contact\'s primary company',
    cite: '§4.2 "Otherwise" step 1 (company), §4.5 companies',
    given: async (db) => ({ formId: (await givenForm(db, { name: 'Firm', alias: 'firm' }, COMPANY_FORM)).formId }),
    request: (fx) => ({ method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(), body: formBody({ formId: String(fx.formId), email: 'ann@example.org', firm: ' Acme Ltd ', city: 'Lyon', staff: '12', staffx: 'many' }) }),
    expect: (fx) => ({
      status: 200,
      rows: {
        companies: [{ companyname: 'Acme Ltd', companycity: 'Lyon', companynumber_of_employees: 12, is_published: 1, date_added: TEST_NOW_TEXT }],
        companies_leads: [{ lead_id: expect.any(Number), is_primary: 1, date_added: TEST_NOW_TEXT }],
        leads: [{ email: 'ann@example.org', company: 'Acme Ltd' }],
        lead_companies_change_log: [{ type: 'form', event_name: `${fx.formId}: Firm`, action_name: 'added' }],
      },
    }),
  },
  {
    name: 'company fields: an existing company is found by name whatever the case, and left as it is',
    cite: '§4.2 "Otherwise" step 1 (company)',
    given: async (db) => ({
      formId: (await givenForm(db, { name: 'Firm', alias: 'firm' }, COMPANY_FORM)).formId,
      companyId: await insertCompany(db, { companyname: 'ACME LTD', companycity: 'Paris', date_added: EARLIER }),
    }),
    request: (fx) => ({ method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(), body: formBody({ formId: String(fx.formId), email: 'ann@example.org', firm: 'acme ltd', city: 'Lyon' }) }),
    expect: (fx) => ({
      status: 200,
      rows: {
        companies: [{ id: fx.companyId, companyname: 'ACME LTD', companycity: 'Paris' }],
        companies_leads: [{ company_id: fx.companyId, is_primary: 1 }],
        leads: [{ email: 'ann@example.org', company: 'ACME LTD' }],
      },
    }),
  },
  {
    name: 'actions: added to a campaign by hand and removed from another (kept, manually removed, exited)',
    cite: '§4.2 "Otherwise" step 5, §4.5 campaign_leads',
    given: async (db) => {
      const formId = await givenContactForm(db);
      const ann = await givenAnn(db);
      const joinId = await insertCampaign(db, { name: 'Join' });
      const leaveId = await insertCampaign(db, { name: 'Leave' });
      const goneId = await insertCampaign(db, { name: 'Gone', deleted: EARLIER });
      await db.execute(`INSERT INTO ${db.table('campaign_leads')} (campaign_id, lead_id, date_added, manually_removed, manually_added, rotation) VALUES (?, ?, ?, 0, 0, 1)`, [leaveId, ann.annId, EARLIER]);
      await insertFormAction(db, { form_id: formId, name: 'Campaigns', type: 'campaign.addremovelead', properties: { addTo: [joinId, goneId, MISSING], removeFrom: [String(leaveId), MISSING] } });
      return { formId, joinId, leaveId, ...ann };
    },
    request: annPost,
    expect: (fx) => ({
      status: 200,
      rows: {
        campaign_leads: [
          { campaign_id: fx.joinId, lead_id: fx.annId, date_added: TEST_NOW_TEXT, manually_added: 1, manually_removed: 0, date_last_exited: null, rotation: 1 },
          { campaign_id: fx.leaveId, lead_id: fx.annId, date_added: EARLIER, manually_added: 0, manually_removed: 1, date_last_exited: TEST_NOW_TEXT },
        ],
      },
    }),
  },
  {
    name: 'point actions on form submit: this form\'s and any form\'s are given, a repeatable one again; another form\'s, an unpublished one and one given before are not',
    cite: '§4.2 "Otherwise" step 8 (points), §4.5 lead_points_change_log',
    given: async (db) => {
      const formId = await givenContactForm(db);
      const otherFormId = await givenContactForm(db, { name: 'Other', alias: 'other' });
      const ann = await givenAnn(db);
      const thisForm = await insertPointAction(db, { name: 'This form', type: 'form.submit', delta: 10, properties: { forms: [formId] } });
      const anyForm = await insertPointAction(db, { name: 'Any form', type: 'form.submit', delta: 1, repeatable: true });
      await insertPointAction(db, { name: 'Other form', type: 'form.submit', delta: 100, properties: { forms: [otherFormId] } });
      await insertPointAction(db, { name: 'Draft', type: 'form.submit', delta: 1000, is_published: false });
      await insertPointAction(db, { name: 'Page hit', type: 'page.hit', delta: 1000 });
      const once = await insertPointAction(db, { name: 'Once', type: 'form.submit', delta: 50, properties: { forms: [String(formId)] } });
      for (const pointId of [anyForm, once]) {
        await db.execute(`INSERT INTO ${db.table('point_lead_action_log')} (point_id, lead_id, date_fired) VALUES (?, ?, ?)`, [pointId, ann.annId, EARLIER]);
      }
      return { formId, thisForm, anyForm, once, ...ann };
    },
    request: annPost,
    expect: (fx) => {
      const log = { lead_id: fx.annId, ip_id: expect.any(Number), type: 'form', action_name: 'submit', date_added: TEST_NOW_TEXT };
      return {
        status: 200,
        rows: {
          leads: [{ id: fx.annId, points: 16 }],
          lead_points_change_log: [{ ...log, event_name: `${fx.thisForm}: This form`, delta: 10 }, { ...log, event_name: `${fx.anyForm}: Any form`, delta: 1 }],
          point_lead_action_log: [
            { point_id: fx.thisForm, lead_id: fx.annId, ip_id: expect.any(Number), date_fired: TEST_NOW_TEXT },
            { point_id: fx.anyForm, lead_id: fx.annId, date_fired: TEST_NOW_TEXT },
            { point_id: fx.once, lead_id: fx.annId, ip_id: null, date_fired: EARLIER },
          ],
        },
      };
    },
  },
  {
    name: 'a campaign form: the contact joins the published campaigns that use it, not the unpublished one or another form\'s',
    cite: '§4.2 "Otherwise" step 7, §4.5 campaign_leads',
    given: async (db) => {
      const formId = await givenContactForm(db, { form_type: 'campaign' });
      const otherFormId = await givenContactForm(db, { name: 'Other', alias: 'other' });
      const campaignId = await insertCampaign(db, { name: 'Welcome' });
      const draftId = await insertCampaign(db, { name: 'Draft', is_published: false });
      const laterId = await insertCampaign(db, { name: 'Later', publish_up: '2999-01-01 00:00:00' });
      const otherId = await insertCampaign(db, { name: 'Other' });
      for (const id of [campaignId, draftId, laterId]) await linkCampaignForm(db, id, formId);
      await linkCampaignForm(db, otherId, otherFormId);
      return { formId, campaignId };
    },
    request: annPost,
    expect: (fx) => ({
      status: 200,
      rows: { campaign_leads: [{ campaign_id: fx.campaignId, lead_id: expect.any(Number), date_added: TEST_NOW_TEXT, manually_added: 0, manually_removed: 0, date_last_exited: null, rotation: 1 }] },
    }),
  },
];
