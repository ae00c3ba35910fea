import { cleanReturnUrl } from '../../codecs/form-return-url.ts';
import { errorHtml, outcomeJson, selectMode, wrapAjaxJson } from './submit-outcome.ts';
import { cleanText, escapeJsString } from '../../codecs/php-text.ts';
import { validateSubmission } from './validate-submission.ts';
import type { Form, FormField } from '../../data/form-definition.ts';

function field(over: Partial<FormField>): FormField {
  return {
    id: 1, label: 'Field', alias: 'field', type: 'text', isRequired: false, validationMessage: '', defaultValue: '',
    order: 1, properties: {}, validation: null, saveResult: true, mappedObject: null, mappedField: null,
    showWhenValueExists: true, showAfterXSubmissions: 0, isAutoFill: false, alwaysDisplay: false, parentId: null, conditions: null, helpMessage: '', showLabel: true, ...over,
  };
}

const FORM: Form = {
  id: 3, name: 'Contact us', alias: 'contactus', isPublished: true, publishUp: null, publishDown: null,
  postAction: 'message', postActionProperty: 'Thanks', inKioskMode: false, formType: 'standalone', noIndex: false,
  cachedHtml: null,
  fields: [
    field({ id: 1, alias: 'email', label: 'Email', type: 'email', isRequired: true, order: 1, mappedObject: 'contact', mappedField: 'email' }),
    field({ id: 2, alias: 'first_name', label: 'First name', order: 2, mappedObject: 'contact', mappedField: 'firstname' }),
    field({ id: 3, alias: 'interests', label: 'Interests', type: 'checkboxgrp', order: 3 }),
    field({ id: 4, alias: 'website', label: 'Website', type: 'url', order: 4 }),
    field({ id: 5, alias: 'hp', label: 'Leave empty', type: 'captcha', order: 5 }),
    field({ id: 6, alias: 'phone', label: 'Phone', type: 'tel', order: 6, validation: { international: 1 } }),
    field({ id: 7, alias: 'submit', label: 'Submit', type: 'button', order: 7 }),
    field({ id: 8, alias: 'src', label: 'Source', type: 'hidden', order: 8 }),
  ],
};

describe('validateSubmission (docs/mautic/public-http.md §4.2 "Submission")', () => {
  it('stores filtered values, joins lists with ", " and maps contact fields', () => {
    const check = validateSubmission(FORM, {
      values: { email: ' ann@example.org ', first_name: '<b>Ann</b> & co', interests: ['a', 'b'], src: 'ad' },
      files: {},
    });
    expect(check.errors).toEqual({});
    expect(check.results).toEqual({ email: 'ann@example.org', first_name: 'Ann &#38; co', interests: 'a, b', website: '', phone: '', src: 'ad' });
    expect(check.contactValues).toEqual({ email: 'ann@example.org', firstname: 'Ann &#38; co' });
  });

  it.each([
    [{ email: '' }, { email: "'Email' is required." }],
    [{ email: 'not-an-email' }, { email: 'The email is invalid.' }],
    [{ email: 'a@b.co', website: 'nope' }, { website: 'The URL is invalid.' }],
    [{ email: 'a@b.co', hp: 'bot' }, { hp: 'The answer to &quot;Leave empty&quot; is incorrect. Please try again.' }],
    [{ email: 'a@b.co', phone: '12' }, { phone: expect.stringContaining('international phone number format') }],
  ])('%j → errors %j', (values, errors) => {
    expect(validateSubmission(FORM, { values, files: {} }).errors).toEqual(errors);
  });

  it('uses a custom required message', () => {
    const form = { ...FORM, fields: [field({ alias: 'x', isRequired: true, validationMessage: 'Tell us!' })] };
    expect(validateSubmission(form, { values: {}, files: {} }).errors).toEqual({ x: 'Tell us!' });
  });

  it('skips a conditional field whose parent condition is not met', () => {
    const parent = field({ id: 10, alias: 'kind', type: 'select', order: 1 });
    const child = field({ id: 11, alias: 'other', isRequired: true, order: 2, parentId: 10, conditions: { any: 0, values: ['other'] } });
    const form = { ...FORM, fields: [parent, child] };
    expect(validateSubmission(form, { values: { kind: 'a' }, files: {} }).errors).toEqual({});
    expect(validateSubmission(form, { values: { kind: 'other' }, files: {} }).errors).toEqual({ other: "'Field' is required." });
  });
});

describe('cleanReturnUrl (§4.2 "Return URL")', () => {
  it.each([
    ['https://x.test/p?a=1#frag', 'https://x.test/p?a=1'],
    ['https://x.test/p?mauticError=old&a=1&mauticMessage=m', 'https://x.test/p?a=1'],
    ['javascript://x.test/p', 'http://x.test/p'],
    ['ftp://x.test/f', 'ftp://x.test/f'],
    ['x.test/landing', 'http://x.test/landing'],
    ['', ''],
  ])('%j → %j', (raw, cleaned) => {
    expect(cleanReturnUrl(raw)).toBe(cleaned);
  });
});

describe('response JSON (§4.2 AJAX mode, §4.3)', () => {
  it('selects the mode from ?ajax and mauticform[messenger]', () => {
    expect(selectMode('1', '1')).toBe('ajax');
    expect(selectMode(undefined, '1')).toBe('messenger');
    expect(selectMode('0', '')).toBe('classic');
  });

  it('builds validation, pre-check and success shapes', () => {
    expect(outcomeJson({ kind: 'invalid', errors: { email: 'x' } }, 'contactus')).toEqual({
      success: 0, validationErrors: { email: 'x' }, formName: 'contactus',
    });
    expect(outcomeJson({ kind: 'unavailable', message: 'This form is no longer available.' }, undefined)).toEqual({
      success: 0, errorMessage: 'This form is no longer available.',
    });
    expect(outcomeJson({ kind: 'saved', results: { a: '1' }, postAction: 'message', message: 'Thanks' }, undefined)).toEqual({
      success: 1, results: { a: '1' }, successMessage: 'Thanks',
    });
  });

  it('wraps for /form/submit/ajax with a boolean success, message and type', () => {
    expect(wrapAjaxJson({ success: 0, errorMessage: 'gone' })).toEqual({ success: false, errorMessage: 'gone', message: 'gone', type: 'error' });
    expect(wrapAjaxJson({ success: 1, successMessage: 'ok' })).toEqual({ success: true, successMessage: 'ok', message: 'ok', type: 'notice' });
    expect(wrapAjaxJson({ success: 0, validationErrors: {} })).toMatchObject({ success: false, message: '', type: '' });
  });

  it('renders classic error HTML as an ordered list', () => {
    expect(errorHtml({ kind: 'invalid', errors: { a: 'one', b: 'two' } })).toBe('Errors:<br /><ol><li>one</li><li>two</li></ol>');
  });
});

describe('PHP text helpers', () => {
  it('clean strips tags and writes special characters as decimal entities (§2.8)', () => {
    expect(cleanText(` <script>x</script>O'Neil "Q" & <i>co</i> `)).toBe('xO&#39;Neil &#34;Q&#34; &#38; co');
  });

  it("escapes like Twig e('js') and stays JSON-parsable", () => {
    const escaped = escapeJsString('{"a":"</b> é"}');
    expect(escaped).toBe('\\u007B\\u0022a\\u0022\\u003A\\u0022\\u003C\\/b\\u003E\\u0020\\u00E9\\u0022\\u007D');
    expect(JSON.parse(`"${escaped}"`)).toBe('{"a":"</b> é"}');
  });
});
