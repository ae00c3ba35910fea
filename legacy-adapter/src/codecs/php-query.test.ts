import { httpBuildQuery, mergePhpArrays, parsePhpQuery, queryString, queryToObject } from './php-query.ts';

describe('PHP query semantics (docs/mautic/public-http.md §3.5 step 6)', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a=1&b=2', { a: '1', b: '2' }],
    ['a=1&a=2', { a: '2' }], // later wins
    ['a.b=1&c d=2', { a_b: '1', c_d: '2' }], // . and space in names become _
    ['x[]=1&x[]=2', { x: { 0: '1', 1: '2' } }],
    ['x[k]=1&x[j][]=2', { x: { k: '1', j: { 0: '2' } } }],
    ['x[5]=a&x[]=b', { x: { 5: 'a', 6: 'b' } }],
    ['a[b=1', { a_b: '1' }], // unterminated bracket becomes _
    ['q=a+b%20c&flag', { q: 'a b c', flag: '' }],
    ['=x&&=&y=', { y: '' }],
    ['%FF=%FE', { '\uFFFD': '\uFFFD' }], // non-UTF-8 bytes do not break parsing
    [' lead=1', { lead: '1' }],
  ])('parses %s', (raw, expected) => {
    expect(queryToObject(parsePhpQuery(raw))).toEqual(expected);
  });

  it('keeps integer-like keys as numbers and in order', () => {
    expect([...parsePhpQuery('b=1&3=x&a=2').keys()]).toEqual(['b', 3, 'a']);
  });

  it('stops at PHP\'s max_input_vars (1000)', () => {
    const raw = Array.from({ length: 1200 }, (_, i) => `k${i}=${i}`).join('&');
    expect(parsePhpQuery(raw).size).toBe(1000);
  });

  it('builds queries like http_build_query', () => {
    const q = parsePhpQuery('ct=abc%3D%3D&utm_source=my+list&x[]=1&x[k]=a/b');
    expect(httpBuildQuery(q)).toBe('ct=abc%3D%3D&utm_source=my+list&x%5B0%5D=1&x%5Bk%5D=a%2Fb');
  });

  it('merges GET and POST like array_merge', () => {
    const merged = mergePhpArrays(parsePhpQuery('a=1&0=x'), parsePhpQuery('a=2&0=y&b=3'));
    expect([...merged.entries()]).toEqual([['a', '2'], [0, 'x'], [1, 'y'], ['b', '3']]);
    expect(queryString(merged, 'a')).toBe('2');
    expect(queryString(parsePhpQuery('a[]=1'), 'a')).toBeUndefined();
  });
});
