/**
 * Contract cases of bad input (issue #14 "Bad input"; docs/mautic/public-http.md §4.2): each
 * gets Mautic's answer, and nothing is stored.
 */
import type { ContractCase } from '../contract-case.ts';
import { BROWSER_UA, formBody, formHeaders, givenContactForm } from './fixtures.ts';

const NOTHING_STORED = { form_submissions: [], leads: [], lead_event_log: [] };
const UNAVAILABLE = { json: { success: 0, errorMessage: 'This form is no longer available.' } };

export const BAD_INPUT_CASES: ContractCase[] = [
  {
    name: 'GET /form/submit: 403, nothing stored',
    cite: '§4.2 method',
    request: () => ({ path: '/form/submit?formId=1', headers: { 'user-agent': BROWSER_UA } }),
    expect: () => ({ status: 403, headers: { 'content-type': 'text/html; charset=UTF-8' }, rows: NOTHING_STORED }),
  },
  {
    name: 'GET /form/submit with Accept: application/json: the 403 as JSON',
    cite: '§4.2 method, §2.7',
    request: () => ({ path: '/form/submit', headers: { accept: 'application/json' } }),
    expect: () => ({ status: 403, body: { json: { errors: [{ message: 'Unauthorized access to requested URL: /form/submit', code: 403, type: null }] } } }),
  },
  {
    name: 'no formId (the query formId is not read): the form is not available',
    cite: '§4.1, §4.2 pre-checks',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: (fx) => ({ method: 'POST', path: `/form/submit?ajax=1&formId=${fx.formId}`, headers: formHeaders(), body: formBody({ email: 'ann@example.org' }) }),
    expect: () => ({ status: 200, body: UNAVAILABLE, rows: NOTHING_STORED }),
  },
  {
    name: 'an unknown or absurd formId',
    cite: '§4.2 pre-checks',
    request: () => ({ method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(), body: formBody({ formId: '99999999999999999999', email: 'ann@example.org' }) }),
    expect: () => ({ status: 200, body: UNAVAILABLE, rows: NOTHING_STORED }),
  },
  {
    name: 'the wrong content type: no post, so no form',
    cite: '§4.2 pre-checks',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: (fx) => ({ method: 'POST', path: '/form/submit?ajax=1', headers: { 'content-type': 'text/plain' }, body: formBody({ formId: String(fx.formId), email: 'ann@example.org' }) }),
    expect: () => ({ status: 200, body: UNAVAILABLE, rows: NOTHING_STORED }),
  },
  {
    name: 'malformed multipart: PHP drops it, so no form',
    cite: '§4.2 pre-checks',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: (fx) => ({
      method: 'POST', path: '/form/submit?ajax=1', headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
      body: `--XyZ\r\nContent-Disposition: form-data; name="mauticform[formId]"\r\n\r\n${fx.formId}\r\n--Xy`,
    }),
    expect: () => ({ status: 200, body: UNAVAILABLE, rows: NOTHING_STORED }),
  },
  {
    name: 'multipart: the form markup\'s own enctype is read like urlencoded',
    cite: '§4.1 form markup',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: (fx) => ({
      method: 'POST', path: '/form/submit?ajax=1', headers: { 'user-agent': BROWSER_UA, 'content-type': 'multipart/form-data; boundary=XyZ' },
      body: [`--XyZ`, 'Content-Disposition: form-data; name="mauticform[formId]"', '', String(fx.formId), '--XyZ', 'Content-Disposition: form-data; name="mauticform[email]"', '', 'ann@example.org', '--XyZ--', ''].join('\r\n'),
    }),
    expect: () => ({ status: 200, body: { json: { success: 1, results: expect.objectContaining({ email: 'ann@example.org' }), successMessage: 'Thanks for contacting us!' } }, rows: { form_submissions: [{ referer: '' }] } }),
  },
  {
    name: 'invalid UTF-8 in a value is stored as replacement characters, never a crash',
    cite: '§4.2 step 6',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: (fx) => ({ method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(), body: `${formBody({ formId: String(fx.formId), email: 'ann@example.org' })}&mauticform%5Bfirst_name%5D=A%FF%FEb` }),
    expect: (fx) => ({ status: 200, rows: { [`form_results_${fx.formId}_contactus`]: [{ first_name: 'A\uFFFD\uFFFDb' }] } }),
  },
  {
    name: 'deeply nested and many unknown keys are ignored',
    cite: '§4.1 POST field names',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: (fx) => ({
      method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(),
      body: `${formBody({ formId: String(fx.formId), email: 'ann@example.org' })}&mauticform%5Bsrc%5D${'%5Ba%5D'.repeat(50)}=deep&${Array.from({ length: 10_000 }, (_, i) => `mauticform%5Bk${i}%5D=v`).join('&')}`,
    }),
    expect: (fx) => ({ status: 200, body: { json: expect.objectContaining({ success: 1 }) }, rows: { [`form_results_${fx.formId}_contactus`]: [{ email: 'ann@example.org', src: 'deep' }] } }),
  },
];
