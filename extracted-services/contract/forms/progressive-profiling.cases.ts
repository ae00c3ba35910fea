/**
 * Contract cases of progressive profiling (docs/mautic/public-http.md §4.2 "Progressive
 * profiling"): the error of a field the form would not display to the tracked contact is
 * dropped, and the submission is saved without that field's value.
 */
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import type { ContractCase, ContractRequest, Fixture } from '../contract-case.ts';
import { EMAIL_FIELD, formBody, formHeaders, givenForm, givenTrackedVisitor } from './fixtures.ts';
import type { FieldSpec } from './fixtures.ts';

/** Required, mapped to the contact's company, hidden once the company is known. */
const COMPANY_FIELD: FieldSpec = { label: 'Company', alias: 'company', type: 'text', is_required: true, show_when_value_exists: false, mapped_object: 'contact', mapped_field: 'company' };
/** Required, not mapped, hidden once an earlier submission holds a value. */
const JOB_FIELD: FieldSpec = { label: 'Job', alias: 'job', type: 'text', is_required: true, show_when_value_exists: false };
/** Required, shown from the contact's second submission on. */
const PHONE_FIELD: FieldSpec = { label: 'Phone', alias: 'phone', type: 'text', is_required: true, show_after_x_submissions: 1 };

const givenProfilingForm = async (db: Db, field: FieldSpec) => (await givenForm(db, { name: 'Profile', alias: 'profile', post_action: 'message', post_action_property: 'Thanks' }, [EMAIL_FIELD, field])).formId;

/** An AJAX post of `fields`, with the tracked visitor's device cookie when the fixture has one. */
const post = (fields: Record<string, string>) => (fx: Fixture): ContractRequest => ({
  method: 'POST', path: '/form/submit?ajax=1',
  headers: formHeaders(fx.trackingId ? { cookie: `mautic_device_id=${fx.trackingId}` } : {}),
  body: formBody({ formId: String(fx.formId), ...fields }),
});

export const PROGRESSIVE_PROFILING_CASES: ContractCase[] = [
  {
    name: 'progressive profiling: a required field hidden because the tracked contact\'s mapped value is known is not required',
    cite: '§4.2 "Progressive profiling"',
    given: async (db) => ({ formId: await givenProfilingForm(db, COMPANY_FIELD), ...(await givenTrackedVisitor(db, { company: 'Acme' })) }),
    request: post({ email: 'ann@example.org', company: '' }),
    expect: (fx) => ({
      status: 200, body: { json: { success: 1, results: { email: 'ann@example.org' }, successMessage: 'Thanks' } },
      rows: {
        leads: [{ id: fx.leadId, email: 'ann@example.org', company: 'Acme' }],
        form_submissions: [{ form_id: fx.formId, lead_id: fx.leadId }],
        [`form_results_${fx.formId}_profile`]: [{ email: 'ann@example.org', company: null }],
      },
    }),
  },
  {
    name: 'progressive profiling: the same field is required of a tracked contact whose value is unknown',
    cite: '§4.2 step 4, "Progressive profiling"',
    given: async (db) => ({ formId: await givenProfilingForm(db, COMPANY_FIELD), ...(await givenTrackedVisitor(db)) }),
    request: post({ email: 'ann@example.org', company: '' }),
    expect: (fx) => ({
      status: 200, body: { json: { success: 0, validationErrors: { company: "'Company' is required." } } },
      rows: { leads: [{ id: fx.leadId, email: null }], form_submissions: [], lead_event_log: [] },
    }),
  },
  {
    name: 'progressive profiling: a value in the contact\'s earlier submission hides the field the next time',
    cite: '§4.2 "Progressive profiling"',
    given: async (db) => ({ formId: await givenProfilingForm(db, JOB_FIELD) }),
    before: (fx) => [post({ email: 'ann@example.org', job: 'Baker' })(fx)],
    request: post({ email: 'ann@example.org', job: '' }),
    expect: (fx) => ({
      status: 200, body: { json: { success: 1, results: { email: 'ann@example.org' }, successMessage: 'Thanks' } },
      rows: {
        form_submissions: [{ form_id: fx.formId }, { form_id: fx.formId }],
        [`form_results_${fx.formId}_profile`]: [{ job: 'Baker' }, { job: null }],
      },
    }),
  },
  {
    name: 'progressive profiling: without an earlier submission the field is required',
    cite: '§4.2 step 4, "Progressive profiling"',
    given: async (db) => ({ formId: await givenProfilingForm(db, JOB_FIELD) }),
    request: post({ email: 'ann@example.org', job: '' }),
    expect: () => ({ status: 200, body: { json: { success: 0, validationErrors: { job: "'Job' is required." } } }, rows: { form_submissions: [], leads: [] } }),
  },
  {
    name: 'progressive profiling: a field shown from the second submission on is not required the first time',
    cite: '§4.2 "Progressive profiling"',
    given: async (db) => ({ formId: await givenProfilingForm(db, PHONE_FIELD) }),
    request: post({ email: 'ann@example.org', phone: '' }),
    expect: (fx) => ({
      status: 200, body: { json: { success: 1, results: { email: 'ann@example.org' }, successMessage: 'Thanks' } },
      rows: { [`form_results_${fx.formId}_profile`]: [{ email: 'ann@example.org', phone: null }] },
    }),
  },
  {
    name: 'progressive profiling: the second time it is required',
    cite: '§4.2 step 4, "Progressive profiling"',
    given: async (db) => ({ formId: await givenProfilingForm(db, PHONE_FIELD) }),
    before: (fx) => [post({ email: 'ann@example.org', phone: '' })(fx)],
    request: post({ email: 'ann@example.org', phone: '' }),
    expect: (fx) => ({
      status: 200, body: { json: { success: 0, validationErrors: { phone: "'Phone' is required." } } },
      rows: { form_submissions: [{ form_id: fx.formId }] },
    }),
  },
];
