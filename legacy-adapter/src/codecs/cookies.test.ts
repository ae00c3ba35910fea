import { cookieDate, serializeCookie, serializeDeletedCookie } from './cookies.ts';
import type { CookieAttributes } from './cookies.ts';

const TRACKING: CookieAttributes = { path: '/', domain: '', secure: true, httpOnly: false, sameSite: 'none' };
const NOW = new Date(Date.UTC(2024, 9, 24, 10, 0, 0, 900)); // Thu, 24 Oct 2024 10:00:00.900 UTC

describe('Set-Cookie serialization (docs/mautic/public-http.md §2.2)', () => {
  it('formats dates like gmdate("D, d-M-Y H:i:s T")', () => {
    expect(cookieDate(Date.UTC(2025, 9, 24, 10, 0, 0) / 1000)).toBe('Fri, 24-Oct-2025 10:00:00 GMT');
    expect(cookieDate(0)).toBe('Thu, 01-Jan-1970 00:00:00 GMT');
  });

  it('writes mautic_device_id as in the §2.2 example (1 year, samesite=none)', () => {
    const cookie = serializeCookie({ name: 'mautic_device_id', value: 'k3lx', maxAgeSeconds: 31_536_000 }, TRACKING, NOW);
    expect(cookie).toBe('mautic_device_id=k3lx; expires=Fri, 24-Oct-2025 10:00:00 GMT; Max-Age=31536000; path=/; secure; samesite=none');
  });

  it('writes a session cookie without expires/Max-Age', () => {
    expect(serializeCookie({ name: 'mtc_id', value: '123' }, TRACKING, NOW)).toBe('mtc_id=123; path=/; secure; samesite=none');
  });

  it('rawurlencodes the value and writes attributes in Symfony order', () => {
    const attrs: CookieAttributes = { path: '/m', domain: 'example.com', secure: false, httpOnly: true, sameSite: 'lax' };
    expect(serializeCookie({ name: 'mautic_page_4', value: 'a b;=', maxAgeSeconds: 1_209_600 }, attrs, NOW)).toBe(
      'mautic_page_4=a%20b%3B%3D; expires=Thu, 07-Nov-2024 10:00:00 GMT; Max-Age=1209600; path=/m; domain=example.com; httponly; samesite=lax',
    );
  });

  it('writes the deletion form (value "deleted", expires 31536001 s ago — 2024 is a leap year —, samesite=lax)', () => {
    expect(serializeDeletedCookie('mtc_id', TRACKING, NOW)).toBe(
      'mtc_id=deleted; expires=Wed, 25-Oct-2023 09:59:59 GMT; Max-Age=0; path=/; secure; samesite=lax',
    );
  });
});
