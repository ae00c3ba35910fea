/**
 * The public identifiers Mautic puts in URLs and cookies, generated with
 * crypto randomness and validated by shape (docs/mautic/public-http.md §2.1, §3.5,
 * §3.8, §5.6, §9). Lookups are by equality, so any value of the right shape works.
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Length of `lead_devices.tracking_id` / the `mautic_device_id` cookie (§2.1). */
export const DEVICE_TRACKING_ID_LENGTH = 23;
/** Length of `page_redirects.redirect_id` (§3.5). */
export const REDIRECT_ID_LENGTH = 25;
/** Length of `email_stats.tracking_hash` as Mautic makes it (§5.6). */
export const EMAIL_TRACKING_HASH_LENGTH = 22;

/**
 * A device tracking id: 23 characters of `[0-9a-z]` (RandomHelper::generate(23), §2.1).
 *
 * @example
 * generateDeviceTrackingId() // 'k3l0x9…' (23 chars)
 */
export function generateDeviceTrackingId(): string {
  let id = '';
  while (id.length < DEVICE_TRACKING_ID_LENGTH) {
    for (const b of randomBytes(32)) {
      // 252 = 7 × 36: dropping 252–255 keeps every character equally likely.
      if (b < 252 && id.length < DEVICE_TRACKING_ID_LENGTH) id += BASE36[b % 36];
    }
  }
  return id;
}

/** True for a 23-character `[0-9a-z]` device tracking id. */
export function isDeviceTrackingId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-z]{23}$/.test(value);
}

/**
 * A redirect id: 25 lower-case hex characters (Mautic takes the first 25 of a
 * sha1 of uniqid(mt_rand()), §3.5).
 */
export function generateRedirectId(): string {
  return randomBytes(13).toString('hex').slice(0, REDIRECT_ID_LENGTH);
}

/** True for a 25-character lower-case hex redirect id. */
export function isRedirectId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{25}$/.test(value);
}

/**
 * An email tracking hash shaped like PHP `uniqid('', true)` without its dot
 * (§5.6): 8 hex digits of Unix seconds, 5 hex digits of microseconds, then 9
 * decimal digits (random here, PHP's LCG there).
 *
 * @param now the send time; defaults to the system clock.
 * @example
 * generateEmailTrackingHash(new Date(0)) // '0000000000000' + 9 digits
 */
export function generateEmailTrackingHash(now: Date = new Date()): string {
  const ms = now.getTime();
  const seconds = Math.floor(ms / 1000);
  const micros = (ms % 1000) * 1000 + randomInt(1000);
  const digits = String(randomInt(1_000_000_000)).padStart(9, '0');
  return seconds.toString(16).padStart(8, '0') + micros.toString(16).padStart(5, '0') + digits;
}

/** True for a hash of exactly the uniqid shape `generateEmailTrackingHash` makes. */
export function isEmailTrackingHash(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{13}[0-9]{9}$/.test(value);
}

/**
 * True for a value that may be looked up as a tracking hash: 1–191 URL-safe
 * characters (`email_stats.tracking_hash` is VARCHAR(191); other producers may
 * use other shapes, §5.6).
 */
export function isLookupableTrackingHash(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9A-Za-z_-]{1,191}$/.test(value);
}

/**
 * Development value of Mautic's `secret_key`, the one default of the stand-in and the services
 * (`MAUTIC_SECRET_KEY` overrides it), so the links and cookies one signs the other accepts on a
 * laptop. Never for a real deployment.
 */
export const DEV_SECRET_KEY = 'strangler-dev-secret-key-change-me';

/**
 * The unsubscribe `secretHash`: HMAC-SHA256 of the email address keyed with
 * `secret_key`, lower-case hex (MailHashHelper, §3.8).
 *
 * @example
 * unsubscribeSecretHash('a@example.com', secretKey) // 64 hex chars
 */
export function unsubscribeSecretHash(email: string, secretKey: string): string {
  return createHmac('sha256', secretKey).update(email, 'utf8').digest('hex');
}

/** Checks a `secretHash` from an unsubscribe URL in constant time. */
export function isValidUnsubscribeSecretHash(email: string, secretHash: string, secretKey: string): boolean {
  const expected = Buffer.from(unsubscribeSecretHash(email, secretKey), 'utf8');
  const given = Buffer.from(secretHash, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
