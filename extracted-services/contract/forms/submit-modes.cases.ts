/**
 * Contract cases of a successful submission in the three response modes and of the post
 * actions (docs/mautic/public-http.md §4.2, §4.3, §4.5): the answer, the cookies, and every row.
 */
import type { ContractCase } from '../contract-case.ts';
import { DEVICE_COOKIE, MTC_ID_COOKIE, TEST_NOW_TEXT, EMAIL_FIELD, formBody, formHeaders, givenContactForm, givenForm } from './fixtures.ts';

const anyId = expect.any(Number);
const DEVICE_ID = expect.stringMatching(/^[0-9a-z]{23}$/);
const ANN = { email: 'ann@example.org', first_name: "Ann O'Neil", interests: ['a', 'b'], src: 'ad', website: '' };
const ANN_RESULTS = { email: 'ann@example.org', first_name: 'Ann O&#39;Neil', interests: 'a, b', website: '', src: 'ad' };

/** The rows of a new contact created by a submission of form `formId`. */
function newContactRows(formId: number, referer: string | null) {
  return {
    leads: [{ email: 'ann@example.org', firstname: 'Ann O&#39;Neil', date_added: TEST_NOW_TEXT, last_active: TEST_NOW_TEXT }],
    lead_event_log: [{ lead_id: anyId, bundle: 'form', object: 'submission', object_id: formId, action: 'created_contact', date_added: TEST_NOW_TEXT }],
    ip_addresses: [{ ip_address: '127.0.0.1' }],
    lead_ips_xref: [{ lead_id: anyId, ip_id: anyId }],
    lead_devices: [{ device: 'desktop', tracking_id: DEVICE_ID }],
    form_submissions: [{ form_id: formId, lead_id: anyId, ip_id: anyId, page_id: null, tracking_id: DEVICE_ID, date_submitted: TEST_NOW_TEXT, referer }],
  };
}

export const SUBMIT_MODE_CASES: ContractCase[] = [
  {
    name: 'AJAX: success JSON with the results and the message; contact, submission and results rows; device cookies',
    cite: '§4.2 AJAX mode, §4.5',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: (fx) => ({
      method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders({ referer: 'https://www.example.org/contact?mauticError=x#top' }),
      body: formBody({ formId: String(fx.formId), formName: 'contactus', ...ANN }),
    }),
    expect: (fx) => ({
      status: 200, headers: { 'content-type': 'application/json' }, cookies: [DEVICE_COOKIE, MTC_ID_COOKIE],
      body: { json: { success: 1, results: ANN_RESULTS, successMessage: 'Thanks for contacting us!', formName: 'contactus' } },
      rows: { ...newContactRows(Number(fx.formId), 'https://www.example.org/contact'), [`form_results_${fx.formId}_contactus`]: [{ form_id: fx.formId, ...ANN_RESULTS }] },
    }),
  },
  {
    name: '/form/submit/ajax: the JSON wrapped with message, type and a boolean success',
    cite: '§4.3',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: (fx) => ({ method: 'POST', path: '/form/submit/ajax?formId=999', headers: formHeaders(), body: formBody({ formId: String(fx.formId), email: 'ann@example.org' }) }),
    expect: () => ({
      status: 200,
      body: { json: { success: true, results: { email: 'ann@example.org', first_name: '', interests: '', website: '', src: '' }, successMessage: 'Thanks for contacting us!', message: 'Thanks for contacting us!', type: 'notice' } },
      rows: { form_submissions: [{ referer: '' }] },
    }),
  },
  {
    name: 'messenger: an HTML page posting the JSON to its parent, Twig-js-escaped',
    cite: '§4.2 messenger mode',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: (fx) => ({ method: 'POST', path: '/form/submit', headers: formHeaders(), body: formBody({ formId: String(fx.formId), messenger: '1', email: 'ann@example.org' }) }),
    expect: () => ({
      status: 200, headers: { 'content-type': 'text/html; charset=UTF-8' }, cookies: [DEVICE_COOKIE, MTC_ID_COOKIE],
      body: (body) => {
        const literal = /parent\.postMessage\("((?:[^"\\]|\\.)*)", '\*'\)/.exec(body.toString('utf8'))?.[1];
        expect(JSON.parse(JSON.parse(`"${literal}"`) as string)).toEqual({ success: 1, results: expect.objectContaining({ email: 'ann@example.org' }), successMessage: 'Thanks for contacting us!' });
        expect(literal).toContain('\\u0022success\\u0022\\u003A1');
      },
      rows: { form_submissions: [{ lead_id: anyId }] },
    }),
  },
  {
    name: 'classic, post action message: 302 to /form/message (the flash is in the session)',
    cite: '§4.2 classic mode',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: (fx) => ({ method: 'POST', path: '/form/submit', headers: formHeaders(), body: formBody({ formId: String(fx.formId), ...ANN }) }),
    expect: (fx) => ({ status: 302, headers: { location: '/form/message' }, rows: newContactRows(Number(fx.formId), '') }),
  },
  {
    name: 'classic, post action return: 302 to the cleaned return URL with mauticMessage',
    cite: '§4.2 return URL, classic mode',
    given: async (db) => ({ formId: (await givenForm(db, { name: 'Return', alias: 'returnform', post_action: 'return', post_action_property: 'Welcome back & more' }, [EMAIL_FIELD])).formId }),
    request: (fx) => ({
      method: 'POST', path: '/form/submit', headers: formHeaders({ referer: 'https://ignored.test/' }),
      body: formBody({ formId: String(fx.formId), email: 'ann@example.org', return: 'javascript://shop.test/p?mauticMessage=old&b=1#frag' }),
    }),
    expect: () => ({
      status: 302, headers: { location: 'http://shop.test/p?b=1&mauticMessage=Welcome%20back%20%26%20more' }, cookies: [DEVICE_COOKIE, MTC_ID_COOKIE],
      rows: { form_submissions: [{ referer: 'http://shop.test/p?b=1' }] },
    }),
  },
  {
    name: 'classic, post action redirect: {formfield=…} and {contactfield=…} replaced',
    cite: '§4.2 postAction=redirect',
    given: async (db) => ({
      formId: (await givenForm(db, { name: 'Go shop', alias: 'goshop', post_action: 'redirect', post_action_property: 'https://shop.test/thanks?email={formfield=email}&lead={contactfield=email}&x={contactfield=nope}' }, [EMAIL_FIELD])).formId,
    }),
    request: (fx) => ({ method: 'POST', path: '/form/submit', headers: formHeaders(), body: formBody({ formId: String(fx.formId), email: 'ann@example.org' }) }),
    expect: () => ({ status: 302, headers: { location: 'https://shop.test/thanks?email=ann@example.org&lead=ann@example.org&x=' }, cookies: [DEVICE_COOKIE, MTC_ID_COOKIE] }),
  },
  {
    name: 'AJAX, post action redirect: the target as "redirect"',
    cite: '§4.2 AJAX mode',
    given: async (db) => ({ formId: (await givenForm(db, { name: 'Go shop', alias: 'goshop', post_action: 'redirect', post_action_property: 'https://shop.test/t?e={formfield=email}' }, [EMAIL_FIELD])).formId }),
    request: (fx) => ({ method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(), body: formBody({ formId: String(fx.formId), email: 'ann@example.org' }) }),
    expect: () => ({ status: 200, body: { json: { success: 1, results: { email: 'ann@example.org' }, redirect: 'https://shop.test/t?e=ann@example.org' } } }),
  },
];
