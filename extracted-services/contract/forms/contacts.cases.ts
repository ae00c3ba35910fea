/**
 * Contract cases of the contact a submission belongs to and of reserved-word aliases
 * (docs/mautic/public-http.md §4.1, §4.2 "Otherwise" step 1, §4.5).
 */
import type { ContractCase } from '../contract-case.ts';
import { EMAIL_FIELD, MTC_ID_COOKIE, TEST_NOW_TEXT, formBody, formHeaders, givenContactForm, givenForm, givenTrackedVisitor } from './fixtures.ts';

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
