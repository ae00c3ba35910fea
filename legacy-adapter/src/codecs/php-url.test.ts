import { phpBase64Decode, phpRawurldecode, phpRawurlencode, phpUrldecode, phpUrlencode } from './php-url.ts';

describe('PHP url primitives (docs/mautic/public-http.md §2.2, §2.5)', () => {
  it.each<[string, string]>([
    ['abcXYZ019-_.', 'abcXYZ019-_.'],
    ['a b', 'a+b'],
    ['+/=', '%2B%2F%3D'], // §2.5: urlencode turns + / = into %2B %2F %3D
    ['~', '%7E'],
    ['é', '%C3%A9'],
  ])('urlencode(%p) = %p', (input, out) => {
    expect(phpUrlencode(input)).toBe(out);
  });

  it.each<[string, string]>([
    ['a b', 'a%20b'],
    ['~-_.', '~-_.'],
    ['k3l=;,', 'k3l%3D%3B%2C'],
  ])('rawurlencode(%p) = %p', (input, out) => {
    expect(phpRawurlencode(input)).toBe(out);
  });

  it.each<[string, number[]]>([
    ['a+b', [0x61, 0x20, 0x62]],
    ['%41%4a%zz%', [0x41, 0x4a, 0x25, 0x7a, 0x7a, 0x25]],
    ['%FF', [0xff]],
    ['%4', [0x25, 0x34]],
  ])('urldecode(%p) gives the bytes %p', (input, bytes) => {
    expect([...phpUrldecode(input)]).toEqual(bytes);
  });

  it('rawurldecode keeps "+"', () => {
    expect(phpRawurldecode('a+b%20c%zz').toString('latin1')).toBe('a+b c%zz');
  });

  it.each<[string, string]>([
    ['YTowOnt9', 'a:0:{}'],
    ['YTow Ont9', 'a:0:{}'], // whitespace skipped
    ['YQ==', 'a'],
    ['Y=Q', 'a'], // padding anywhere is skipped in non-strict mode
    ['YWI', 'ab'],
    ['Y', ''], // a lone sextet carries no full byte
    ['!!!', ''],
  ])('base64_decode(%p) = %p', (input, out) => {
    expect(phpBase64Decode(input).toString('latin1')).toBe(out);
  });
});
