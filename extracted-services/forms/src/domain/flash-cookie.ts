/**
 * The flash of a classic submission for `/form/message` (docs/mautic/public-http.md §4.2
 * classic mode, §4.4). Mautic keeps it in its PHP session; a stateless service cannot, so it
 * travels in a cookie of its own, signed with Mautic's `secret_key` (the page shows the message
 * as HTML, so nobody else may write it), and `/form/message` of the forms service reads it.
 * Like the session flash, reading does not remove it: a reload shows it again (§4.4, inferred).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { serializeCookie } from '../../../../legacy-adapter/src/codecs/cookies.ts';

/** The cookie's name (not Mautic's: the monolith never reads it). */
export const FLASH_COOKIE = 'strangler_form_flash';

/** Over this many bytes the cookie is not set (browsers keep ~4 KiB a cookie): the page then shows no text. */
export const MAX_FLASH_COOKIE_BYTES = 3800;

/** A flash message: the text (HTML) and `notice` or `error`. */
export interface Flash {
  message: string;
  type: string;
}

/** What the cookie is written with. */
export interface FlashSettings {
  secretKey: string;
  siteUrl: string;
  cookiePath: string;
  cookieDomain: string;
}

const sign = (payload: string, secretKey: string): Buffer => createHmac('sha256', secretKey).update(`form-flash:${payload}`).digest();

/**
 * The Set-Cookie value carrying `flash`: a session cookie, `httponly`, `samesite=lax`, secure
 * when `site_url` is https (as the stand-in's session cookie). Undefined when it would be too large.
 *
 * @example flashCookie({ message: 'Thanks!', type: 'notice' }, settings, now) // 'strangler_form_flash=…; path=/; httponly; samesite=lax'
 */
export function flashCookie(flash: Flash, settings: FlashSettings, now: Date): string | undefined {
  const payload = Buffer.from(JSON.stringify([flash.message, flash.type]), 'utf8').toString('base64url');
  const value = `${payload}.${sign(payload, settings.secretKey).toString('base64url')}`;
  const cookie = serializeCookie(
    { name: FLASH_COOKIE, value },
    { path: settings.cookiePath || '/', domain: settings.cookieDomain, secure: settings.siteUrl.startsWith('https:'), httpOnly: true, sameSite: 'lax' },
    now,
  );
  return Buffer.byteLength(cookie) > MAX_FLASH_COOKIE_BYTES ? undefined : cookie;
}

/** The flash a cookie value carries, or undefined when it is missing, malformed or not signed with `secretKey`. */
export function readFlash(value: string | undefined, secretKey: string): Flash | undefined {
  const [payload, mac, extra] = (value ?? '').split('.');
  if (!payload || !mac || extra !== undefined) return undefined;
  const expected = sign(payload, secretKey);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const [message, type] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown[];
    return typeof message === 'string' && typeof type === 'string' ? { message, type } : undefined;
  } catch {
    return undefined;
  }
}
