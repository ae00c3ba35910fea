/**
 * The tracking cookies Mautic 5 sets (docs/mautic/public-http.md §2.2), as
 * Set-Cookie strings built from Mautic's cookie configuration keys.
 */
import { serializeCookie, serializeDeletedCookie } from './cookies.ts';
import type { CookieAttributes } from './cookies.ts';

/** Mautic's `cookie_path`, `cookie_domain`, `cookie_secure` and `cookie_httponly` (§2.2). */
export interface CookieSettings {
  cookiePath: string;
  cookieDomain: string;
  cookieSecure: boolean;
  cookieHttpOnly: boolean;
}

/** `mautic_device_id` lifetime: one year, in seconds. */
export const DEVICE_COOKIE_MAX_AGE_S = 31_536_000;
/** `mautic_referer_id` lifetime: 30 minutes, in seconds. */
export const REFERER_COOKIE_MAX_AGE_S = 1_800;

function trackingAttributes(config: CookieSettings): CookieAttributes {
  return { path: config.cookiePath, domain: config.cookieDomain, secure: config.cookieSecure, httpOnly: config.cookieHttpOnly, sameSite: 'none' };
}

/** `mautic_device_id` alone (1 year). */
export function deviceIdCookie(config: CookieSettings, trackingId: string, now: Date): string {
  return serializeCookie({ name: 'mautic_device_id', value: trackingId, maxAgeSeconds: DEVICE_COOKIE_MAX_AGE_S }, trackingAttributes(config), now);
}

/** `mautic_device_id` (1 year) and `mtc_id` (session), issued whenever a device is tracked for a contact. */
export function deviceCookies(config: CookieSettings, trackingId: string, contactId: number, now: Date): string[] {
  return [deviceIdCookie(config, trackingId, now), serializeCookie({ name: 'mtc_id', value: String(contactId) }, trackingAttributes(config), now)];
}

/** `mautic_referer_id` = the page hit just written (30 minutes). */
export function refererCookie(config: CookieSettings, hitId: number, now: Date): string {
  return serializeCookie({ name: 'mautic_referer_id', value: String(hitId), maxAgeSeconds: REFERER_COOKIE_MAX_AGE_S }, trackingAttributes(config), now);
}

/** The deletion pair of clearTrackingCookies. */
export function clearedTrackingCookies(config: CookieSettings, now: Date): string[] {
  const attrs = trackingAttributes(config);
  return [serializeDeletedCookie('mautic_device_id', attrs, now), serializeDeletedCookie('mtc_id', attrs, now)];
}
