import { phpJsonEncode } from './php-json.ts';

describe('phpJsonEncode (JsonResponse flags, docs/mautic/public-http.md §2.7)', () => {
  it.each<[unknown, string]>([
    [{ success: 1, id: 5, sid: 'abc', events: [] }, '{"success":1,"id":5,"sid":"abc","events":[]}'],
    [{ id: null }, '{"id":null}'],
    ['<a href=\'x\'>&"</a>', '"\\u003Ca href=\\u0027x\\u0027\\u003E\\u0026\\u0022\\u003C\\/a\\u003E"'],
    ['é😀', '"\\u00e9\\ud83d\\ude00"'],
    ['a\\b\n\u0001', '"a\\\\b\\n\\u0001"'],
    [[true, false, 1.5], '[true,false,1.5]'],
  ])('encodes %p', (value, text) => {
    expect(phpJsonEncode(value)).toBe(text);
    expect(JSON.parse(phpJsonEncode(value))).toEqual(value);
  });
});
