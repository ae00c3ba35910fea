import { encodeClickthrough } from '../../../legacy-adapter/src/codecs/ct.ts';
import { cookieValue, stickyKey, type StickyInput } from './sticky-key.ts';

const none: StickyInput = { cookie: undefined, rawTarget: '/mtracking.gif', authorization: undefined, clientIp: undefined };
// docs/mautic/public-http.md §2.5 worked example: lead "123".
const CT_LEAD_123 = 'YTo1OntzOjY6InNvdXJjZSI7YToyOntpOjA7czo1OiJlbWFpbCI7aToxO2k6NTt9czo1OiJlbWFpbCI7aTo1O3M6NDoic3RhdCI7czoyMjoiNjVmMWMwYTJiM2M0ZDgxMjM0NTY3OCI7czo0OiJsZWFkIjtzOjM6IjEyMyI7czo3OiJjaGFubmVsIjthOjE6e3M6NToiZW1haWwiO2k6NTt9fQ%3D%3D';

describe('stickyKey: first that exists (docs/architecture.md §3)', () => {
  it.each<[string, Partial<StickyInput>, string]>([
    ['device cookie beats everything', { cookie: 'a=1; mautic_device_id=dev1; mtc_id=9', rawTarget: '/x?mautic_device_id=dev2&mtc_id=8', authorization: 'Basic eA==', clientIp: '10.0.0.1' }, 'device:dev1'],
    ['device parameter next', { cookie: 'mtc_id=9', rawTarget: '/x?mautic_device_id=dev2', clientIp: '10.0.0.1' }, 'device:dev2'],
    ['mtc_id cookie next', { cookie: 'mtc_id=9', rawTarget: '/x?mtc_id=8' }, 'contact:9'],
    ['mtc_id parameter next', { rawTarget: '/x?mtc_id=8&ct=' + CT_LEAD_123 }, 'contact:8'],
    ['contact in ct next (§2.5 worked example)', { rawTarget: '/r/abc?ct=' + CT_LEAD_123, clientIp: '10.0.0.1' }, 'contact:123'],
    ['integer lead in ct', { rawTarget: '/r/abc?ct=' + encodeClickthrough({ lead: 77 }) }, 'contact:77'],
    ['ct without a lead falls through to the IP', { rawTarget: '/r/abc?ct=' + encodeClickthrough({ email: 5 }), clientIp: '10.0.0.1' }, 'ip:10.0.0.1'],
    ['a bad ct means no key from ct', { rawTarget: '/r/abc?ct=%%%not-base64', clientIp: '10.0.0.2' }, 'ip:10.0.0.2'],
    ['a ct holding an object is rejected', { rawTarget: '/r/abc?ct=' + Buffer.from('a:1:{s:4:"lead";O:8:"stdClass":0:{}}').toString('base64'), clientIp: '10.0.0.3' }, 'ip:10.0.0.3'],
    ['empty cookie values are skipped', { cookie: 'mautic_device_id=; mtc_id=', clientIp: '10.0.0.4' }, 'ip:10.0.0.4'],
    ['IPv4-mapped IPv6 is shortened', { clientIp: '::ffff:192.0.2.1' }, 'ip:192.0.2.1'],
    ['nothing at all', {}, 'none'],
  ])('%s', (_name, input, expected) => {
    expect(stickyKey({ ...none, ...input })).toBe(expected);
  });

  it('hashes the API credential and never exposes it', () => {
    const key = stickyKey({ ...none, authorization: 'Basic YWxpY2U6czNjcmV0', clientIp: '10.0.0.1' });
    expect(key).toMatch(/^credential:[0-9a-f]{32}$/);
    expect(key).not.toContain('YWxpY2U6czNjcmV0');
    expect(stickyKey({ ...none, authorization: 'Basic YWxpY2U6czNjcmV0' })).toBe(key);
    expect(stickyKey({ ...none, authorization: 'Bearer other' })).not.toBe(key);
  });
});

describe('cookieValue', () => {
  it.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['x=1', undefined],
    ['mtc_id=5', '5'],
    [' a = 1 ;  mtc_id = 5 ', '5'],
    ['mtc_id=a%20b', 'a b'],
    ['mtc_id=%E0%A4%A', '%E0%A4%A'],
    ['xmtc_id=1; mtc_id=2', '2'],
  ])('%p → %p', (header, value) => expect(cookieValue(header, 'mtc_id')).toBe(value));
});
