// Which fields progressive profiling hides from a contact (docs/mautic/public-http.md §4.2
// "Progressive profiling"), table-driven; the contract suite runs the same rule through both
// implementations (extracted-services/contract/forms/progressive-profiling.cases.ts).
import type { Form, FormField } from './form-definition.ts';
import { shownToContact, usesProgressiveProfiling } from './form-progressive-profiling.ts';

function field(over: Partial<FormField>): FormField {
  return {
    id: 1, label: 'Company', alias: 'company', type: 'text', isRequired: true, validationMessage: '', defaultValue: '', order: 1,
    properties: {}, validation: null, saveResult: true, mappedObject: 'contact', mappedField: 'company', showWhenValueExists: false,
    showAfterXSubmissions: 0, isAutoFill: false, alwaysDisplay: false, parentId: null, conditions: null, helpMessage: '', showLabel: true, ...over,
  };
}

const form = (f: FormField, over: Partial<Form> = {}): Form => ({
  id: 1, name: 'F', alias: 'f', isPublished: true, publishUp: null, publishDown: null, postAction: 'message', postActionProperty: '',
  inKioskMode: false, formType: 'standalone', noIndex: false, cachedHtml: null, fields: [f], ...over,
});

const KNOWN = { id: 5, company: 'Acme' };

describe('progressive profiling', () => {
  it.each([
    ['a known mapped value hides it', field({}), {}, KNOWN, [], false],
    ['an unknown one shows it', field({}), {}, { id: 5, company: '' }, [], true],
    ['PHP empty: "0" counts as unknown', field({}), {}, { id: 5, company: '0' }, [], true],
    ['nobody tracked: shown', field({}), {}, null, [], true],
    ['a value in an earlier submission hides it', field({ mappedField: null, mappedObject: null }), {}, null, [{ company: 'Acme' }], false],
    ['auto-fill never hides it', field({ isAutoFill: true }), {}, KNOWN, [{ company: 'Acme' }], true],
    ['always-display never hides it', field({ alwaysDisplay: true, showAfterXSubmissions: 3 }), {}, KNOWN, [], true],
    ['a kiosk form never hides it', field({ showAfterXSubmissions: 3 }), { inKioskMode: true }, KNOWN, [], true],
    ['"show when value exists" on: the known value does not hide it', field({ showWhenValueExists: true }), {}, KNOWN, [], true],
    ['waiting for the 2nd submission, after none: hidden', field({ showWhenValueExists: true, showAfterXSubmissions: 1 }), {}, null, [], false],
    ['waiting for the 2nd submission, after one: shown', field({ showWhenValueExists: true, showAfterXSubmissions: 1 }), {}, KNOWN, [{ company: null }], true],
  ] as const)('%s', (_name, f, formOver, contact, submissions, shown) => {
    expect(shownToContact(f, form(f, formOver), contact, submissions)).toBe(shown);
  });

  it('is in use only when a field can be hidden', () => {
    expect(usesProgressiveProfiling(form(field({ showWhenValueExists: true })))).toBe(false);
    expect(usesProgressiveProfiling(form(field({})))).toBe(true);
    expect(usesProgressiveProfiling(form(field({ showWhenValueExists: true, showAfterXSubmissions: 2 })))).toBe(true);
  });
});
