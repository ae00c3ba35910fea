import { decodeClickthrough, encodeClickthrough } from './ct.ts';
import { CodecError } from './codec-error.ts';

// docs/mautic/public-http.md §2.5, worked example.
const WORKED_CT =
  'YTo1OntzOjY6InNvdXJjZSI7YToyOntpOjA7czo1OiJlbWFpbCI7aToxO2k6NTt9czo1OiJlbWFpbCI7aTo1O3M6NDoic3RhdCI7czoyMjoiNjVmMWMwYTJiM2M0ZDgxMjM0NTY3OCI7czo0OiJsZWFkIjtzOjM6IjEyMyI7czo3OiJjaGFubmVsIjthOjE6e3M6NToiZW1haWwiO2k6NTt9fQ%3D%3D';
const WORKED_VALUE = { source: ['email', 5], email: 5, stat: '65f1c0a2b3c4d812345678', lead: '123', channel: { email: 5 } };

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

function codeOf(raw: string): string {
  try {
    decodeClickthrough(raw);
  } catch (err) {
    if (err instanceof CodecError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('ct codec (docs/mautic/public-http.md §2.5)', () => {
  it('encodes the worked example byte for byte', () => {
    expect(encodeClickthrough(WORKED_VALUE)).toBe(WORKED_CT);
  });

  it('decodes the worked example, as sent in a link (%3D) and after query decoding (=)', () => {
    expect(decodeClickthrough(WORKED_CT)).toEqual(WORKED_VALUE);
    expect(decodeClickthrough(decodeURIComponent(WORKED_CT))).toEqual(WORKED_VALUE);
  });

  it('round-trips', () => {
    const value = { lead: 7, channel: { form: 3 } };
    expect(decodeClickthrough(encodeClickthrough(value))).toEqual(value);
  });

  it('gives {} for an empty value (ClickthroughHelperTest: empty string)', () => {
    expect(decodeClickthrough('')).toEqual({});
    expect(decodeClickthrough('!!!')).toEqual({});
  });

  it.each<[string, string]>([
    ['Zm9v', 'CT_NOT_ARRAY'], // "foo"
    [b64('s:3:"abc";'), 'CT_NOT_ARRAY'],
    [b64('i:1;'), 'CT_NOT_ARRAY'],
    [b64('a:1:{i:0;O:8:"stdClass":0:{}}'), 'CT_OBJECT_REJECTED'],
    [b64('a:1:{s:1:"x";O:+8:"stdClass":0:{}}'), 'CT_OBJECT_REJECTED'],
    [b64('a:1:{i:0;a:0:{}}O:1:"A":0:{}'), 'CT_OBJECT_REJECTED'],
    [b64('a:1:{i:0;s:1:"x"'), 'CT_MALFORMED'],
    [b64('A:0:{}'), 'CT_MALFORMED'], // starts with A, passes the prefix test, PHP unserialize fails
    [b64('a:1:{i:0;C:1:"A":0:{}}'), 'CT_MALFORMED'], // custom-serialized object: never built
    ['dummy_click_through', 'CT_NOT_ARRAY'], // PublicControllerTest::testThatInvalidClickTroughGetsProcessed
  ])('refuses %s with %s', (raw, code) => {
    expect(codeOf(raw)).toBe(code);
  });

  it('says which string is not an array, like InvalidDecodedStringException', () => {
    expect(() => decodeClickthrough('Zm9v')).toThrow('The string foo is not a serialized array.');
  });

  it('loses a raw "+" the way Mautic does: it becomes a space and base64 skips it', () => {
    // encode a value whose base64 contains '+', then pass the '+' unencoded
    const value = { k: '>>>' };
    const raw = decodeURIComponent(encodeClickthrough(value));
    expect(raw).toContain('+');
    expect(codeOf(raw.replace(/%/g, ''))).not.toBe('no error');
    expect(decodeClickthrough(encodeClickthrough(value))).toEqual(value);
  });
});
