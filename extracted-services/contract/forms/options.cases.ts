/**
 * Contract cases of the option check of select, radio and checkbox fields (issue #14, docs/mautic/
 * public-http.md §4.2 "Submission"): a value outside the field's options is refused with Symfony's
 * Choice message, in the format of each response mode, and nothing is stored. The wording and the
 * option-list shapes are our assumption (extracted-services/forms/README.md § Option check).
 */
import type { ContractCase } from '../contract-case.ts';
import { EMAIL_FIELD, formBody, formHeaders, givenForm, type FieldSpec } from './fixtures.ts';

const options = (...values: string[]) => ({ list: values.map((v) => ({ label: v.toUpperCase(), value: v })) });

/** A select (`list`), a radio group and a checkbox group (`optionlist`), a multi-select and a synced select. */
const CHOICE_FIELDS: FieldSpec[] = [
  EMAIL_FIELD,
  { label: 'Topic', alias: 'topic', type: 'select', properties: { list: options('sales', 'support'), multiple: 0 } },
  { label: 'Size', alias: 'size', type: 'radiogrp', properties: { optionlist: options('s', 'm', 'l') } },
  { label: 'Days', alias: 'days', type: 'checkboxgrp', properties: { optionlist: options('mon', 'tue') } },
  { label: 'Tools', alias: 'tools', type: 'select', properties: { list: options('a', 'b', 'c'), multiple: 1 } },
  { label: 'Country', alias: 'country', type: 'select', properties: { syncList: 1, list: options('FR') }, mapped_object: 'contact', mapped_field: 'country' },
];

const givenChoiceForm = async (db: Parameters<NonNullable<ContractCase['given']>>[0]) =>
  ({ formId: (await givenForm(db, { name: 'Choices', alias: 'choices', post_action: 'message', post_action_property: 'Noted' }, CHOICE_FIELDS)).formId });

const NOTHING_STORED = { form_submissions: [], leads: [], lead_event_log: [] };
const CHOICE = 'The value you selected is not a valid choice.';
const CHOICES = 'One or more of the given values is invalid.';

const post = (path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) => (fx: Record<string, number | string>) => ({
  method: 'POST', path, headers: formHeaders(headers), body: formBody({ formId: String(fx.formId), ...fields }),
});

export const OPTION_CASES: ContractCase[] = [
  {
    name: 'AJAX: options that exist are stored (lists joined); a synced list is not checked',
    cite: '§4.2 steps 6, 11',
    given: givenChoiceForm,
    request: post('/form/submit?ajax=1', { email: 'ann@example.org', topic: 'support', size: 'm', days: ['mon', 'tue'], tools: ['a', 'c'], country: 'Atlantis' }),
    expect: (fx) => ({
      status: 200,
      body: { json: { success: 1, results: { email: 'ann@example.org', topic: 'support', size: 'm', days: 'mon, tue', tools: 'a, c', country: 'Atlantis' }, successMessage: 'Noted' } },
      rows: { [`form_results_${fx.formId}_choices`]: [{ topic: 'support', size: 'm', days: 'mon, tue', tools: 'a, c', country: 'Atlantis' }], leads: [{ country: 'Atlantis' }] },
    }),
  },
  {
    name: 'AJAX: an unknown select option, radio option and checkbox value, each with its Choice message; nothing stored',
    cite: '§4.2 "Submission", AJAX mode',
    given: givenChoiceForm,
    request: post('/form/submit?ajax=1', { email: 'ann@example.org', topic: 'press', size: 'xl', days: ['mon', 'sun'], tools: ['a', 'z'], formName: 'choices' }),
    expect: () => ({
      status: 200, cookies: [],
      body: { json: { success: 0, validationErrors: { topic: CHOICE, size: CHOICE, days: CHOICES, tools: CHOICES }, formName: 'choices' } },
      rows: NOTHING_STORED,
    }),
  },
  {
    name: 'AJAX: two values for a single-choice select are refused',
    cite: '§4.2 "Submission"',
    given: givenChoiceForm,
    request: post('/form/submit?ajax=1', { email: 'ann@example.org', topic: ['sales', 'support'] }),
    expect: () => ({ status: 200, body: { json: { success: 0, validationErrors: { topic: CHOICE } } }, rows: NOTHING_STORED }),
  },
  {
    name: '/form/submit/ajax: an unknown option in the wrapped JSON',
    cite: '§4.3',
    given: givenChoiceForm,
    request: post('/form/submit/ajax', { email: 'ann@example.org', size: 'xl' }),
    expect: () => ({ status: 200, body: { json: { success: false, validationErrors: { size: CHOICE }, message: '', type: '' } }, rows: NOTHING_STORED }),
  },
  {
    name: 'messenger: an unknown option posted to the parent as validationErrors',
    cite: '§4.2 messenger mode',
    given: givenChoiceForm,
    request: post('/form/submit', { email: 'ann@example.org', messenger: '1', days: ['sun'] }),
    expect: () => ({
      status: 200, headers: { 'content-type': 'text/html; charset=UTF-8' },
      body: (body) => {
        const literal = /parent\.postMessage\("((?:[^"\\]|\\.)*)", '\*'\)/.exec(body.toString('utf8'))?.[1];
        expect(JSON.parse(JSON.parse(`"${literal}"`) as string)).toEqual({ success: 0, validationErrors: { days: CHOICES } });
      },
      rows: NOTHING_STORED,
    }),
  },
  {
    name: 'classic: an unknown option redirects to the return URL with the message in mauticError',
    cite: '§4.2 classic mode',
    given: givenChoiceForm,
    request: post('/form/submit', { email: 'ann@example.org', size: 'xl', return: 'https://www.example.org/order' }),
    expect: () => ({
      status: 302, cookies: [],
      headers: { location: 'https://www.example.org/order?mauticError=Errors%3A%3Cbr%20%2F%3E%3Col%3E%3Cli%3EThe%20value%20you%20selected%20is%20not%20a%20valid%20choice.%3C%2Fli%3E%3C%2Fol%3E#choices' },
      rows: NOTHING_STORED,
    }),
  },
];
