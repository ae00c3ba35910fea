/**
 * Set-Cookie values exactly as Symfony 5.4's `Cookie::__toString` writes them
 * for Mautic 5 (docs/mautic/public-http.md §2.2):
 * `name=rawurlencode(value); expires=D, d-M-Y H:i:s GMT; Max-Age=N; path=…;
 * domain=…; secure; httponly; samesite=none|lax`.
 */
import { phpRawurlencode, phpUrlencode } from './php-url.ts';

/** The attributes that come from Mautic's cookie configuration. */
export interface CookieAttributes {
  /** `cookie_path`; omitted when empty. */
  path: string;
  /** `cookie_domain`; omitted when empty. */
  domain: string;
  /** `cookie_secure`. */
  secure: boolean;
  /** `cookie_httponly`. */
  httpOnly: boolean;
  /** `none` for tracking cookies, `lax` otherwise (§2.2); null omits it. */
  sameSite: 'none' | 'lax' | 'strict' | null;
}

/** One cookie to send. */
export interface CookieSpec {
  name: string;
  /** The value; `''` produces Symfony's deletion form. */
  value: string;
  /** Lifetime in seconds from `now`; undefined for a session cookie. */
  maxAgeSeconds?: number;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Seconds Symfony subtracts for a deleted cookie's `expires` (one year and a second). */
const DELETED_EXPIRES_OFFSET_S = 31_536_001;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * PHP `gmdate('D, d-M-Y H:i:s T', seconds)`.
 *
 * @example
 * cookieDate(1761300000) // 'Fri, 24-Oct-2025 10:00:00 GMT'
 */
export function cookieDate(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`;
}

/**
 * Serializes one Set-Cookie header value.
 *
 * @param now the response time; expires = now + maxAgeSeconds, whole seconds.
 * @example
 * serializeCookie({ name: 'mtc_id', value: '12' }, attrs, now) // 'mtc_id=12; path=/; secure; samesite=none'
 */
export function serializeCookie(cookie: CookieSpec, attributes: CookieAttributes, now: Date): string {
  const nowS = Math.floor(now.getTime() / 1000);
  let out = `${phpUrlencode(cookie.name)}=`;
  if (cookie.value === '') {
    out += `deleted; expires=${cookieDate(nowS - DELETED_EXPIRES_OFFSET_S)}; Max-Age=0`;
  } else {
    out += phpRawurlencode(cookie.value);
    if (cookie.maxAgeSeconds !== undefined) {
      const maxAge = Math.max(0, Math.floor(cookie.maxAgeSeconds));
      out += `; expires=${cookieDate(nowS + maxAge)}; Max-Age=${maxAge}`;
    }
  }
  if (attributes.path) out += `; path=${attributes.path}`;
  if (attributes.domain) out += `; domain=${attributes.domain}`;
  if (attributes.secure) out += '; secure';
  if (attributes.httpOnly) out += '; httponly';
  if (attributes.sameSite) out += `; samesite=${attributes.sameSite}`;
  return out;
}

/**
 * The deletion form Mautic sends when it clears tracking cookies (§2.2):
 * `name=deleted; expires=<now − 1 year − 1 s>; Max-Age=0; path; domain; secure; samesite=lax`.
 */
export function serializeDeletedCookie(name: string, attributes: CookieAttributes, now: Date): string {
  return serializeCookie({ name, value: '' }, { ...attributes, httpOnly: false, sameSite: 'lax' }, now);
}
