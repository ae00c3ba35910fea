import { serializePhp, unserializePhp } from './php-serialize.ts';
import { phpFloatToString } from './php-float.ts';
import { CodecError } from './codec-error.ts';

// docs/mautic/public-http.md §2.5: the worked example's serialized array.
const WORKED =
  'a:5:{s:6:"source";a:2:{i:0;s:5:"email";i:1;i:5;}s:5:"email";i:5;s:4:"stat";s:22:"65f1c0a2b3c4d812345678";' +
  's:4:"lead";s:3:"123";s:7:"channel";a:1:{s:5:"email";i:5;}}';

function codeOf(fn: () => unknown): [string, number | undefined] {
  try {
    fn();
  } catch (err) {
    if (err instanceof CodecError) return [err.code, err.offset];
    throw err;
  }
  throw new Error('expected a CodecError');
}

describe('serializePhp (docs/mautic/public-http.md §2.5, §9)', () => {
  it.each<[unknown, string]>([
    [null, 'N;'],
    [true, 'b:1;'],
    [false, 'b:0;'],
    [0, 'i:0;'],
    [-42, 'i:-42;'],
    [12n, 'i:12;'],
    [0.5, 'd:0.5;'],
    ['', 's:0:"";'],
    ['é', 's:2:"é";'], // PHP counts UTF-8 bytes
    ['a"b', 's:3:"a"b";'],
    [[], 'a:0:{}'],
    [['x', 1], 'a:2:{i:0;s:1:"x";i:1;i:1;}'],
    [{ '7': 'int-like key', k: null }, 'a:2:{i:7;s:12:"int-like key";s:1:"k";N;}'],
    [new Map<string | number, unknown>([['b', 1], ['3', 2], [0, 3]]), 'a:3:{s:1:"b";i:1;i:3;i:2;i:0;i:3;}'],
    [{ '07': 1, '-0': 2 }, 'a:2:{s:2:"07";i:1;s:2:"-0";i:2;}'], // not canonical ints: stay strings
  ])('serializes %p as %s', (value, expected) => {
    expect(serializePhp(value)).toBe(expected);
  });

  it('reproduces the §2.5 worked example byte for byte', () => {
    const value = { source: ['email', 5], email: 5, stat: '65f1c0a2b3c4d812345678', lead: '123', channel: { email: 5 } };
    expect(serializePhp(value)).toBe(WORKED);
  });

  it.each([[undefined], [() => 1], [Symbol('s')], [new Date(0)], [{ nested: new (class Foo {})() }]])(
    'refuses %p with PHP_SERIALIZE_UNSUPPORTED',
    (value) => {
      expect(codeOf(() => serializePhp(value))[0]).toBe('PHP_SERIALIZE_UNSUPPORTED');
    },
  );
});

describe('phpFloatToString (serialize_precision = -1)', () => {
  it.each<[number, string]>([
    [0.1, '0.1'], [1.5, '1.5'], [-0.25, '-0.25'], [1e25, '1.0E+25'], [1.5e-7, '1.5E-7'],
    [1e-5, '1.0E-5'], [0.0001, '0.0001'], [123.456, '123.456'], [1e16, '10000000000000000'], [1e17, '1.0E+17'],
    [1.2345e18, '1.2345E+18'], [Infinity, 'INF'], [-Infinity, '-INF'], [NaN, 'NAN'], [-0, '-0'],
  ])('%p → %s', (n, text) => {
    expect(phpFloatToString(n)).toBe(text);
  });
});

describe('unserializePhp', () => {
  it('reads the §2.5 worked example', () => {
    expect(unserializePhp(WORKED)).toEqual({
      source: ['email', 5], email: 5, stat: '65f1c0a2b3c4d812345678', lead: '123', channel: { email: 5 },
    });
  });

  it.each<[string, unknown]>([
    ['N;', null], ['b:0;', false], ['b:1;', true], ['i:-3;', -3], ['i:+3;', 3], ['d:0.5;', 0.5],
    ['d:1.0E+25;', 1e25], ['d:INF;', Infinity], ['s:2:"é";', 'é'], ['s:0:"";', ''],
    ['a:0:{}', []], ['a:2:{i:1;s:1:"a";i:0;s:1:"b";}', { 1: 'a', 0: 'b' }],
    ['s:5:"a;b"c";', 'a;b"c'], // the length, not the quote, ends a string
  ])('reads %s', (text, value) => {
    expect(unserializePhp(text)).toEqual(value);
  });

  it('keeps a __proto__ key as data, never as a prototype', () => {
    const value = unserializePhp('a:1:{s:9:"__proto__";a:1:{s:5:"admin";b:1;}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it.each<[string, string, number]>([
    ['O:8:"stdClass":0:{}', 'PHP_UNSERIALIZE_OBJECT', 0],
    ['a:1:{i:0;O:1:"A":0:{}}', 'PHP_UNSERIALIZE_OBJECT', 9],
    ['a:1:{i:0;C:1:"A":0:{}}', 'PHP_UNSERIALIZE_OBJECT', 9],
    ['a:2:{i:0;i:1;i:1;r:2;}', 'PHP_UNSERIALIZE_OBJECT', 17],
    ['E:7:"Foo:Bar";', 'PHP_UNSERIALIZE_OBJECT', 0],
    ['i:1;x', 'PHP_UNSERIALIZE_TRAILING', 4],
    ['a:0:{}}', 'PHP_UNSERIALIZE_TRAILING', 6],
    ['s:5:"abc";', 'PHP_UNSERIALIZE_SYNTAX', 2],
    ['s:3:"abcd";', 'PHP_UNSERIALIZE_SYNTAX', 8],
    ['i:abc;', 'PHP_UNSERIALIZE_SYNTAX', 0],
    ['b:2;', 'PHP_UNSERIALIZE_SYNTAX', 2],
    ['a:1:{d:1.5;i:1;}', 'PHP_UNSERIALIZE_SYNTAX', 5],
    ['a:99999:{}', 'PHP_UNSERIALIZE_SYNTAX', 2],
    ['a:1:{i:0;i:1;', 'PHP_UNSERIALIZE_SYNTAX', 13],
    ['', 'PHP_UNSERIALIZE_SYNTAX', 0],
    ['x', 'PHP_UNSERIALIZE_SYNTAX', 0],
    ['i:99999999999999999999;', 'PHP_UNSERIALIZE_INT_RANGE', 0],
  ])('refuses %s with %s at byte %i', (text, code, offset) => {
    expect(codeOf(() => unserializePhp(text))).toEqual([code, offset]);
  });

  it('refuses nesting deeper than 64 without blowing the stack', () => {
    const deep = 'a:1:{i:0;'.repeat(200) + 'N;' + '}'.repeat(200);
    expect(codeOf(() => unserializePhp(deep))[0]).toBe('PHP_UNSERIALIZE_TOO_DEEP');
  });

  it('round-trips nested values', () => {
    const value = { a: [1, 'two', null, true, { x: 0.25 }], 'ü': '' };
    expect(unserializePhp(serializePhp(value))).toEqual(value);
  });
});
