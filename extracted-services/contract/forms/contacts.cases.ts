/**
 * Contract cases of the contact a submission belongs to and of reserved-word aliases
 * (docs/mautic/public-http.md §4.1, §4.2 "Otherwise" step 1, §4.5).
 */
import { insertLead, linkLeadIp, getOrCreateIpAddressId } from '../../../legacy-adapter/src/data/contacts.ts';
import { addLeadToSegment, insertSegment } from '../../../legacy-adapter/src/data/segments.ts';
import { insertTag, tagContact } from '../../../legacy-adapter/src/data/tags.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import type { ContractCase } from '../contract-case.ts';
import { EMAIL_FIELD, MTC_ID_COOKIE, TEST_NOW_TEXT, formBody, formHeaders, givenContactForm, givenForm, givenTrackedVisitor } from './fixtures.ts';

const EARLIER = '2024-01-01 00:00:00';

/**
 * An anonymous visitor (a city, 5 points, tag "web" and segment "Visitors", one IP) and, made
 * after it, the known contact Ann (email, 10 points, tag "web" too). Fixture keys: formId,
 * leadId and trackingId (the visitor), annId, tagId, segmentId, ipId.
 */
async function givenVisitorAndAnn(db: Db, visitor: Record<string, string | number> = { city: 'Paris' }) {
  const formId = await givenContactForm(db);
  const { leadId, trackingId } = await givenTrackedVisitor(db, { points: 5, ...visitor });
  const annId = await insertLead(db, { email: 'ann@example.org', firstname: 'Ann', points: 10, date_added: EARLIER, date_identified: EARLIER });
  const tagId = await insertTag(db, 'web');
  await tagContact(db, leadId, tagId);
  await tagContact(db, annId, tagId);
  const segmentId = await insertSegment(db, { name: 'Visitors', alias: 'visitors' });
  await addLeadToSegment(db, segmentId, leadId, { date_added: EARLIER });
  const ipId = await getOrCreateIpAddressId(db, '203.0.113.9');
  await linkLeadIp(db, leadId, ipId);
  return { formId, leadId, trackingId, annId, tagId, segmentId, ipId };
}

const annPost = (fx: Record<string, number | string>) => ({
  method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders({ cookie: `mautic_device_id=${fx.trackingId}` }),
  body: formBody({ formId: String(fx.formId), email: 'ann@example.org' }),
});

export const CONTACT_CASES: ContractCase[] = [
  {
    name: 'the tracked anonymous visitor (device cookie) is the contact: identified, one event, the same device',
    cite: '§4.2 "Otherwise" step 1, §2.1',
    given: async (db) => ({ formId: await givenContactForm(db), ...(await givenTrackedVisitor(db)) }),
    request: (fx) => ({
      method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders({ cookie: `mautic_device_id=${fx.trackingId}` }),
      body: formBody({ formId: String(fx.formId), email: 'ann@example.org' }),
    }),
    expect: (fx) => ({
      status: 200, cookies: [`mautic_device_id=${fx.trackingId}; expires=Fri, 24-Oct-2025 10:00:00 GMT; Max-Age=31536000; path=/; secure; samesite=none`, MTC_ID_COOKIE.replace('*', String(fx.leadId))],
      rows: {
        leads: [{ id: fx.leadId, email: 'ann@example.org', date_identified: TEST_NOW_TEXT, last_active: TEST_NOW_TEXT }],
        lead_event_log: [{ lead_id: fx.leadId, bundle: 'form', object: 'submission', object_id: fx.formId, action: 'identified_contact' }],
        lead_devices: [{ lead_id: fx.leadId, tracking_id: fx.trackingId }],
        form_submissions: [{ lead_id: fx.leadId, tracking_id: fx.trackingId }],
      },
    }),
  },
  {
    name: 'a tracked visitor holding another email is left alone: a new contact is made',
    cite: '§4.2 "Otherwise" step 1',
    given: async (db) => ({ formId: await givenContactForm(db), ...(await givenTrackedVisitor(db, { email: 'bob@example.org', date_identified: TEST_NOW_TEXT })) }),
    request: (fx) => ({
      method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders({ cookie: `mautic_device_id=${fx.trackingId}` }),
      body: formBody({ formId: String(fx.formId), email: 'ann@example.org' }),
    }),
    expect: (fx) => ({
      status: 200,
      rows: {
        leads: [{ id: fx.leadId, email: 'bob@example.org' }, { email: 'ann@example.org', date_added: TEST_NOW_TEXT }],
        lead_event_log: [{ action: 'created_contact', object_id: fx.formId }],
      },
    }),
  },
  {
    name: 'the tracked anonymous visitor is merged into the contact with the submitted email: fields, points, links and device move, the visitor is deleted',
    cite: '§4.2 "Otherwise" step 1, §4.5 contact_merge_records',
    given: (db) => givenVisitorAndAnn(db),
    request: annPost,
    expect: (fx) => ({
      status: 200,
      cookies: [`mautic_device_id=${fx.trackingId}; expires=Fri, 24-Oct-2025 10:00:00 GMT; Max-Age=31536000; path=/; secure; samesite=none`, MTC_ID_COOKIE.replace('*', String(fx.annId))],
      rows: {
        leads: [{ id: fx.annId, email: 'ann@example.org', firstname: 'Ann', city: 'Paris', points: 15, date_identified: EARLIER, last_active: TEST_NOW_TEXT }],
        contact_merge_records: [{ contact_id: fx.annId, merged_id: fx.leadId, name: 'Anonymous', date_added: TEST_NOW_TEXT }],
        lead_devices: [{ lead_id: fx.annId, tracking_id: fx.trackingId }],
        lead_tags_xref: [{ lead_id: fx.annId, tag_id: fx.tagId }],
        lead_lists_leads: [{ leadlist_id: fx.segmentId, lead_id: fx.annId, date_added: EARLIER, manually_added: 0, manually_removed: 0 }],
        lead_ips_xref: [{ lead_id: fx.annId, ip_id: fx.ipId }, { lead_id: fx.annId, ip_id: expect.any(Number) }],
        lead_event_log: [],
        form_submissions: [{ lead_id: fx.annId, tracking_id: fx.trackingId }],
      },
    }),
  },
  {
    name: 'a tracked visitor who gave a name is not anonymous: it is left alone and the submission goes to the contact with the email',
    cite: '§4.2 "Otherwise" step 1',
    given: (db) => givenVisitorAndAnn(db, { firstname: 'Bob' }),
    request: annPost,
    expect: (fx) => ({
      status: 200,
      rows: {
        leads: [{ id: fx.leadId, firstname: 'Bob', points: 5, email: null }, { id: fx.annId, email: 'ann@example.org', city: null, points: 10 }],
        contact_merge_records: [],
        lead_tags_xref: [{ lead_id: fx.leadId, tag_id: fx.tagId }, { lead_id: fx.annId, tag_id: fx.tagId }],
        form_submissions: [{ lead_id: fx.annId }],
      },
    }),
  },
  {
    name: 'a form and fields whose aliases are SQL reserved words: the results row is written',
    cite: '§4.1 field alias, §4.5',
    given: async (db) => ({
      formId: (await givenForm(db, { name: 'Select', alias: 'select', post_action: 'message', post_action_property: '' }, [
        EMAIL_FIELD, { label: 'Order', alias: 'order', type: 'text' }, { label: 'From', alias: 'from', type: 'text' }, { label: 'All', alias: 'f_all', type: 'text' },
      ])).formId,
    }),
    request: (fx) => ({ method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(), body: formBody({ formId: String(fx.formId), email: 'ann@example.org', order: '42', from: 'web', f_all: 'yes' }) }),
    expect: (fx) => ({
      status: 200, body: { json: { success: 1, results: { email: 'ann@example.org', order: '42', from: 'web', f_all: 'yes' } } },
      rows: { [`form_results_${fx.formId}_select`]: [{ form_id: fx.formId, email: 'ann@example.org', order: '42', from: 'web', f_all: 'yes' }] },
    }),
  },
];
