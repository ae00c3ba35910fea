/** The option check of list fields (form-field-rules.ts, extracted-services/forms/README.md § Option check). */
import { FIELD_MESSAGES, optionError, optionValues } from './form-field-rules.ts';

const field = (type: string, properties: Record<string, unknown>) => ({ type, properties, validation: null });
const AB = [{ label: 'A', value: 'a' }, { label: 'B', value: 'b' }];

describe('optionValues', () => {
  it.each([
    ['select, list of {label, value}', field('select', { list: { list: AB } }), ['a', 'b']],
    ['radio group, optionlist (before list)', field('radiogrp', { optionlist: { list: AB }, list: { list: [{ value: 'z' }] } }), ['a', 'b']],
    ['plain string entries', field('checkboxgrp', { list: { list: ['x', 'y'] } }), ['x', 'y']],
    ['a {value: label} map', field('select', { list: { list: { sales: 'Sales', '2': 'Two' } } }), ['2', 'sales']],
    ['a list without the inner list key', field('select', { list: AB }), ['a', 'b']],
    ['a numeric value', field('radiogrp', { optionlist: { list: [{ label: 'One', value: 1 }] } }), ['1']],
    ['synced with the contact field', field('select', { syncList: 1, list: { list: AB } }), undefined],
    ['no list', field('select', {}), undefined],
    ['an empty list', field('select', { list: { list: [] } }), undefined],
    ['not a list type', field('text', { list: { list: AB } }), undefined],
  ])('%s', (_name, f, want) => {
    expect(optionValues(f)?.sort()).toEqual(want);
  });
});

describe('optionError', () => {
  it.each([
    ['a known select value', field('select', { list: { list: AB } }), ['a'], undefined],
    ['an unknown select value', field('select', { list: { list: AB } }), ['c'], FIELD_MESSAGES.invalidChoice],
    ['two values for a single select', field('select', { list: { list: AB } }), ['a', 'b'], FIELD_MESSAGES.invalidChoice],
    ['two values for a multiple select', field('select', { list: { list: AB }, multiple: 1 }), ['a', 'b'], undefined],
    ['one unknown among checkbox values', field('checkboxgrp', { list: { list: AB } }), ['a', 'c'], FIELD_MESSAGES.invalidChoices],
    ['two radio values', field('radiogrp', { optionlist: { list: AB } }), ['a', 'b'], FIELD_MESSAGES.invalidChoice],
    ['values differing only in case', field('radiogrp', { optionlist: { list: AB } }), ['A'], FIELD_MESSAGES.invalidChoice],
    ['nothing posted', field('select', { list: { list: AB } }), [], undefined],
    ['any value of a synced list', field('select', { syncList: 1, list: { list: AB } }), ['zzz'], undefined],
  ])('%s', (_name, f, items, want) => {
    expect(optionError(f, items)).toBe(want);
  });
});
