/**
 * Contract cases of the pre-checks and field validation (docs/mautic/public-http.md §4.2
 * "Pre-checks", "Submission"): the messages in each response mode, and nothing stored.
 */
import { insertLead } from '../../../legacy-adapter/src/data/contacts.ts';
import { createFormResultsTableFor } from '../../../legacy-adapter/src/data/form-results.ts';
import { insertFormField } from '../../../legacy-adapter/src/data/forms.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import type { ContractCase } from '../contract-case.ts';
import { EMAIL_FIELD, formBody, formHeaders, givenContactForm, givenForm, TEST_NOW_TEXT } from './fixtures.ts';

/** A required text field shown only when the parent field's value is `yes`. */
async function givenChildField(db: Db, formId: number, parentId: number): Promise<void> {
  await insertFormField(db, {
    form_id: formId, label: 'When', alias: 'callwhen', type: 'text', is_required: true, field_order: 3,
    parent_id: String(parentId), conditions: { expr: 'in', any: 0, values: ['yes'] },
  });
  await createFormResultsTableFor(db, formId);
}

const NOTHING_STORED = { form_submissions: [], leads: [], lead_event_log: [] };

/** An AJAX post of `fields` to the form the case's `given` wrote. */
const ajaxPost = (fields: Record<string, string | string[]>) => (fx: Record<string, number | string>) => ({
  method: 'POST', path: '/form/submit?ajax=1', headers: formHeaders(), body: formBody({ formId: String(fx.formId), ...fields }),
});

export const VALIDATION_CASES: ContractCase[] = [
  {
    name: 'AJAX: required, email and URL messages keyed by alias; nothing stored',
    cite: '§4.2 steps 4, 7',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: ajaxPost({ email: 'not an email', website: 'nope', formName: 'contactus' }),
    expect: () => ({
      status: 200, cookies: [],
      body: { json: { success: 0, validationErrors: { email: 'The email is invalid.', website: 'The URL is invalid.' }, formName: 'contactus' } },
      rows: NOTHING_STORED,
    }),
  },
  {
    name: 'AJAX: a missing required field, and a filled honeypot',
    cite: '§4.2 steps 1, 4',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: ajaxPost({ first_name: 'Bot', hp: 'gotcha' }),
    expect: () => ({
      status: 200,
      body: { json: { success: 0, validationErrors: { email: "'Email' is required.", hp: 'The answer to &quot;Leave empty&quot; is incorrect. Please try again.' } } },
      rows: NOTHING_STORED,
    }),
  },
  {
    name: 'AJAX: a captcha with an answer (case-insensitive) and a custom required message',
    cite: '§4.2 steps 1, 4',
    given: async (db) => ({
      formId: (await givenForm(db, { name: 'Quiz', alias: 'quiz' }, [
        { ...EMAIL_FIELD, validation_message: 'We need your email' },
        { label: '2 + 2?', alias: 'sum', type: 'captcha', properties: { captcha: 'Four' } },
      ])).formId,
    }),
    request: ajaxPost({ sum: 'five' }),
    expect: () => ({ status: 200, body: { json: { success: 0, validationErrors: { email: 'We need your email', sum: 'The answer to &quot;2 + 2?&quot; is incorrect. Please try again.' } } }, rows: NOTHING_STORED }),
  },
  {
    name: 'AJAX: the right captcha answer is accepted and not stored',
    cite: '§4.2 steps 1, 5',
    given: async (db) => ({ formId: (await givenForm(db, { name: 'Quiz', alias: 'quiz' }, [EMAIL_FIELD, { label: '2 + 2?', alias: 'sum', type: 'captcha', properties: { captcha: 'Four' } }])).formId }),
    request: ajaxPost({ email: 'ann@example.org', sum: ' four ' }),
    expect: (fx) => ({ status: 200, body: { json: { success: 1, results: { email: 'ann@example.org' } } }, rows: { [`form_results_${fx.formId}_quiz`]: [{ email: 'ann@example.org' }] } }),
  },
  {
    name: 'AJAX: an international phone number format',
    cite: '§4.2 step 7',
    given: async (db) => ({ formId: (await givenForm(db, { name: 'Call', alias: 'call' }, [{ label: 'Phone', alias: 'phone', type: 'tel', validation: { international: 1 } }])).formId }),
    request: ajaxPost({ phone: '0402 865' }),
    expect: () => ({
      status: 200,
      body: { json: { success: 0, validationErrors: { phone: 'Please use the following international phone number format [+][country code][subscriber number] for this field (eg: \u202a+14028650000).' } } },
      rows: NOTHING_STORED,
    }),
  },
  {
    name: 'AJAX: a required child field whose parent condition is not met is skipped',
    cite: '§4.2 step 3',
    given: async (db) => {
      const { formId, fieldIds } = await givenForm(db, { name: 'Cond', alias: 'cond' }, [EMAIL_FIELD, { label: 'Wants call', alias: 'wants', type: 'select', properties: { list: { list: [{ label: 'Yes', value: 'yes' }, { label: 'No', value: 'no' }] } } }]);
      await givenChildField(db, formId, fieldIds.wants!);
      return { formId };
    },
    request: ajaxPost({ email: 'ann@example.org', wants: 'no' }),
    expect: () => ({ status: 200, body: { json: { success: 1, results: { email: 'ann@example.org', wants: 'no' } } } }),
  },
  {
    name: 'AJAX: the same required child field when its parent condition is met',
    cite: '§4.2 steps 3, 4',
    given: async (db) => {
      const { formId, fieldIds } = await givenForm(db, { name: 'Cond', alias: 'cond' }, [EMAIL_FIELD, { label: 'Wants call', alias: 'wants', type: 'select' }]);
      await givenChildField(db, formId, fieldIds.wants!);
      return { formId };
    },
    request: ajaxPost({ email: 'ann@example.org', wants: 'yes' }),
    expect: () => ({ status: 200, body: { json: { success: 0, validationErrors: { callwhen: "'When' is required." } } }, rows: NOTHING_STORED }),
  },
  {
    name: 'classic: errors redirect to the return URL with mauticError and the form alias fragment',
    cite: '§4.2 return URL, classic mode',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    request: (fx) => ({ method: 'POST', path: '/form/submit', headers: formHeaders({ referer: 'https://www.example.org/c?x=1&mauticError=old#f' }), body: formBody({ formId: String(fx.formId), website: 'bad' }) }),
    expect: () => ({
      status: 302, cookies: [],
      headers: { location: 'https://www.example.org/c?x=1&mauticError=Errors%3A%3Cbr%20%2F%3E%3Col%3E%3Cli%3E%27Email%27%20is%20required.%3C%2Fli%3E%3Cli%3EThe%20URL%20is%20invalid.%3C%2Fli%3E%3C%2Fol%3E#contactus' },
      rows: NOTHING_STORED,
    }),
  },
  {
    name: 'AJAX: an unpublished form is no longer available',
    cite: '§4.2 pre-checks',
    given: async (db) => ({ formId: await givenContactForm(db, { is_published: false }) }),
    request: ajaxPost({ email: 'ann@example.org' }),
    expect: () => ({ status: 200, body: { json: { success: 0, errorMessage: 'This form is no longer available.' } }, rows: NOTHING_STORED }),
  },
  {
    name: 'AJAX: a pending form names its start date',
    cite: '§4.2 pre-checks',
    given: async (db) => ({ formId: await givenContactForm(db, { publish_up: '2999-01-01 09:30:00' }) }),
    request: ajaxPost({ email: 'ann@example.org' }),
    expect: () => ({ status: 200, body: { json: { success: 0, errorMessage: 'This form start accepting submissions on January 1, 2999 9:30 am UTC.' } }, rows: NOTHING_STORED }),
  },
  {
    name: 'classic: an expired form without a return URL goes to /form/message',
    cite: '§4.2 pre-checks, classic mode',
    given: async (db) => ({ formId: await givenContactForm(db, { publish_down: '2001-02-03 16:05:00' }) }),
    request: (fx) => ({ method: 'POST', path: '/form/submit', headers: formHeaders(), body: formBody({ formId: String(fx.formId), email: 'ann@example.org' }) }),
    expect: () => ({ status: 302, headers: { location: '/form/message' }, rows: NOTHING_STORED }),
  },
  {
    name: 'AJAX: an existing contact with the submitted email is updated, not duplicated',
    cite: '§4.2 "Otherwise" step 1',
    given: async (db) => ({
      formId: await givenContactForm(db),
      leadId: await insertLead(db, { email: 'ann@example.org', firstname: 'Old', date_added: '2024-01-01 00:00:00', date_identified: '2024-01-01 00:00:00' }),
    }),
    request: ajaxPost({ email: 'ann@example.org', first_name: 'Ann' }),
    expect: (fx) => ({
      status: 200,
      rows: {
        leads: [{ id: fx.leadId, email: 'ann@example.org', firstname: 'Ann', date_identified: '2024-01-01 00:00:00', last_active: TEST_NOW_TEXT }],
        lead_event_log: [],
        form_submissions: [{ lead_id: fx.leadId }],
      },
    }),
  },
];

