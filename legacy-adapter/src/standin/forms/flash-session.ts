import { createHash, randomBytes } from 'node:crypto';
import { serializeCookie } from '../../codecs/cookies.ts';
import type { StandinConfig } from '../deps.ts';
import { parseCookieHeader } from '../../codecs/request-cookies.ts';

/**
 * The PHP session that carries a classic form's flash message to
 * `/form/message` (docs/mautic/public-http.md §4.2, §4.4). Only the flash is
 * kept, in memory, per stand-in process; `/form/message` reads it without
 * removing it, so a reload shows it again (§4.4, inferred).
 */

/** A flash message. */
export interface Flash {
  message: string;
  /** `notice` or `error`. */
  type: string;
}

/** Sessions kept before the oldest are dropped (a bound, so a flood cannot grow memory). */
export const MAX_FLASH_SESSIONS = 10_000;

/**
 * The session cookie name: `md5(md5(local_config_path) . secret_key)` (§1.3);
 * the stand-in's config path is `config/local.php`.
 */
export function sessionCookieName(secretKey: string): string {
  const inner = createHash('md5').update('config/local.php').digest('hex');
  return createHash('md5').update(inner + secretKey).digest('hex');
}

/** An in-memory flash store bound to one configuration. */
export interface FlashSessions {
  /** The flash of the request's session, or undefined. */
  read(cookieHeader: string | undefined): Flash | undefined;
  /** Stores a flash in the request's session (a new one when it has none); returns the Set-Cookie to send, if any. */
  write(cookieHeader: string | undefined, flash: Flash, now: Date): string | undefined;
}

/**
 * Creates the store. The cookie is `secure` only when `site_url` is https, `samesite=lax` (§1.3).
 *
 * @example
 * const sessions = createFlashSessions(config);
 * const setCookie = sessions.write(req.headers.cookie, { message: 'Thanks', type: 'notice' }, new Date());
 */
export function createFlashSessions(config: Pick<StandinConfig, 'secretKey' | 'siteUrl' | 'cookiePath' | 'cookieDomain'>): FlashSessions {
  const name = sessionCookieName(config.secretKey);
  const flashes = new Map<string, Flash>();
  const attributes = {
    path: config.cookiePath || '/',
    domain: config.cookieDomain,
    secure: config.siteUrl.startsWith('https:'),
    httpOnly: true,
    sameSite: 'lax' as const,
  };
  const sessionOf = (header: string | undefined) => {
    const id = parseCookieHeader(header).get(name);
    return id && flashes.has(id) ? id : undefined;
  };

  return {
    read: (header) => {
      const id = sessionOf(header);
      return id ? flashes.get(id) : undefined;
    },
    write: (header, flash, now) => {
      const existing = sessionOf(header);
      const id = existing ?? randomBytes(16).toString('hex');
      if (!existing && flashes.size >= MAX_FLASH_SESSIONS) flashes.delete(flashes.keys().next().value as string);
      flashes.set(id, flash);
      return existing ? undefined : serializeCookie({ name, value: id }, attributes, now);
    },
  };
}
