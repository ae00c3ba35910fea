// jsonString must write exactly what JSON.stringify writes: the request line is compared
// byte for byte with pino's (record.test.ts), and log tooling parses it as JSON.
import { jsonString } from './request-line.ts';

describe('jsonString', () => {
  it.each([
    ['an empty string', ''],
    ['a plain id', '0b7e1c9e-1b2a-4c3d-9e8f-0123456789ab'],
    ['a percent-encoded path', '/mtracking.gif%20x'],
    ['a quote', 'a"b'],
    ['a backslash', 'a\\b'],
    ['a control character', 'a\u0001b'],
    ['a newline', 'x\ny'],
    ['DEL, which JSON leaves alone', 'a\u007fb'],
    ['U+2028, which JSON leaves alone', 'a\u2028b'],
    ['non-ASCII text', 'é/ü'],
    ['a surrogate pair', '/😀'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate at the end', 'a\udfff'],
    ['a long string with a quote past the scan limit', `${'a'.repeat(300)}"`],
    ['a long plain string', 'b'.repeat(2048)],
  ])('%s: the bytes JSON.stringify writes', (_name, value) => {
    expect(jsonString(value)).toBe(JSON.stringify(value));
  });

  it('writes null for null', () => {
    expect(jsonString(null)).toBe('null');
  });

  it('agrees with JSON.stringify on every single UTF-16 code unit', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const value = `x${String.fromCharCode(c)}y`;
      if (jsonString(value) !== JSON.stringify(value)) throw new Error(`differs at U+${c.toString(16)}`);
    }
  });
});
