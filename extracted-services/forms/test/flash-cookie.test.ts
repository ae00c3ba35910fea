/** The signed flash cookie that carries a classic submission's message to /form/message (README). */
import { FLASH_COOKIE, flashCookie, readFlash } from '../src/domain/flash-cookie.ts';

const SETTINGS = { secretKey: 'a-secret-key-of-some-length', siteUrl: 'http://m.example.com', cookiePath: '/', cookieDomain: '' };
const NOW = new Date('2024-10-24T10:00:00Z');
const valueOf = (cookie: string | undefined): string => /^strangler_form_flash=([^;]*)/.exec(cookie ?? '')?.[1] ?? '';

describe('flash cookie', () => {
  it('is a session cookie, httponly, samesite=lax, secure only on an https site_url', () => {
    expect(flashCookie({ message: 'Thanks!', type: 'notice' }, SETTINGS, NOW)).toMatch(/^strangler_form_flash=[\w-]+\.[\w-]+; path=\/; httponly; samesite=lax$/);
    expect(flashCookie({ message: 'Thanks!', type: 'notice' }, { ...SETTINGS, siteUrl: 'https://m.example.com', cookieDomain: 'example.com' }, NOW))
      .toMatch(/; path=\/; domain=example\.com; secure; httponly; samesite=lax$/);
  });

  it('gives back the message and type it was signed with (HTML and non-ASCII intact)', () => {
    const flash = { message: 'Errors:<br /><ol><li>Café &amp; "quotes"</li></ol>', type: 'error' };
    expect(readFlash(valueOf(flashCookie(flash, SETTINGS, NOW)), SETTINGS.secretKey)).toEqual(flash);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without a signature', 'WyJoaSIsIm5vdGljZSJd'],
    ['with a forged signature', 'WyJoaSIsIm5vdGljZSJd.Zm9yZ2Vk'],
    ['with three parts', 'a.b.c'],
  ])('reads nothing from a cookie %s', (_name, value) => {
    expect(readFlash(value, SETTINGS.secretKey)).toBeUndefined();
  });

  it('reads nothing from a cookie signed with another secret key', () => {
    expect(readFlash(valueOf(flashCookie({ message: 'hi', type: 'notice' }, SETTINGS, NOW)), 'another-secret-key-entirely')).toBeUndefined();
  });

  it('is not set for a message too long for a cookie', () => {
    expect(flashCookie({ message: 'x'.repeat(4000), type: 'notice' }, SETTINGS, NOW)).toBeUndefined();
    expect(FLASH_COOKIE).toBe('strangler_form_flash');
  });
});
