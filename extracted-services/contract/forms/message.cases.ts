/**
 * Contract cases of `/form/message` after a classic submission (docs/mautic/public-http.md §4.2
 * classic mode, §4.4): the flash text the submission left, in the message page. Mautic (and the
 * stand-in) keep it in the session; the forms service in its signed flash cookie (README).
 */
import { messagePage } from '../../../legacy-adapter/src/codecs/form-html-pages.ts';
import type { ContractCase, ContractRequest } from '../contract-case.ts';
import { EMAIL_FIELD, formBody, formHeaders, givenContactForm, givenForm } from './fixtures.ts';

const classicPost = (formId: number | string, fields: Record<string, string>): ContractRequest => ({
  method: 'POST', path: '/form/submit', headers: formHeaders(), body: formBody({ formId: String(formId), ...fields }),
});
const MESSAGE_PAGE: ContractRequest = { method: 'GET', path: '/form/message', headers: formHeaders() };
const page = (message: string, type: string) => ({ status: 200, headers: { 'content-type': 'text/html; charset=UTF-8' }, cookies: [], body: messagePage(message, type) });

export const MESSAGE_CASES: ContractCase[] = [
  {
    name: '/form/message after a classic submission: the post action message',
    cite: '§4.2 classic mode, §4.4',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    before: (fx) => [classicPost(fx.formId!, { email: 'ann@example.org' })],
    request: () => MESSAGE_PAGE,
    expect: () => page('Thanks for contacting us!', 'notice'),
  },
  {
    name: '/form/message after a refused classic submission without a return URL: the errors, type error',
    cite: '§4.2 classic mode, §4.4',
    given: async (db) => ({ formId: await givenContactForm(db) }),
    before: (fx) => [classicPost(fx.formId!, { website: 'nope' })],
    request: () => MESSAGE_PAGE,
    expect: () => page("Errors:<br /><ol><li>'Email' is required.</li><li>The URL is invalid.</li></ol>", 'error'),
  },
  {
    name: '/form/message after post action return without a return URL: Thank you!',
    cite: '§4.2 classic mode, §4.4',
    given: async (db) => ({ formId: (await givenForm(db, { name: 'Return', alias: 'returnform', post_action: 'return', post_action_property: 'Welcome back' }, [EMAIL_FIELD])).formId }),
    before: (fx) => [classicPost(fx.formId!, { email: 'ann@example.org' })],
    request: () => MESSAGE_PAGE,
    expect: () => page('Thank you!', 'notice'),
  },
  {
    name: '/form/message without a flash (or with a forged one): an empty message',
    cite: '§4.4',
    request: () => ({ ...MESSAGE_PAGE, headers: formHeaders({ cookie: 'strangler_form_flash=WyI8Yj5oaTwvYj4iLCJub3RpY2UiXQ.Zm9yZ2Vk' }) }),
    expect: () => page('', 'notice'),
  },
];
