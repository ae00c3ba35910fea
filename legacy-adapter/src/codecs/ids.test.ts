import { createHmac } from 'node:crypto';
import {
  generateDeviceTrackingId, generateEmailTrackingHash, generateRedirectId, isDeviceTrackingId,
  isEmailTrackingHash, isLookupableTrackingHash, isRedirectId, isValidUnsubscribeSecretHash, unsubscribeSecretHash,
} from './ids.ts';

describe('public identifiers', () => {
  it('device tracking ids are 23 chars of [0-9a-z] and differ (docs/mautic/public-http.md §2.1)', () => {
    const ids = Array.from({ length: 200 }, generateDeviceTrackingId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{23}$/);
    expect(new Set(ids).size).toBe(200);
    expect(isDeviceTrackingId(ids[0])).toBe(true);
    expect(isDeviceTrackingId('ABCDEFGHIJKLMNOPQRSTUVW')).toBe(false);
    expect(isDeviceTrackingId('abc')).toBe(false);
    expect(isDeviceTrackingId(42)).toBe(false);
  });

  it('redirect ids are 25 lower-case hex chars (§3.5)', () => {
    const id = generateRedirectId();
    expect(id).toMatch(/^[0-9a-f]{25}$/);
    expect(isRedirectId(id)).toBe(true);
    expect(isRedirectId(`${id}0`)).toBe(false);
    expect(isRedirectId(id.toUpperCase().replace(/[0-9]/g, 'A'))).toBe(false);
  });

  it('email tracking hashes look like uniqid("", true) without the dot (§5.6)', () => {
    const at = new Date(Date.UTC(2024, 9, 24, 10, 0, 0, 123));
    const hash = generateEmailTrackingHash(at);
    expect(hash).toHaveLength(22);
    expect(hash.slice(0, 8)).toBe(Math.floor(at.getTime() / 1000).toString(16));
    expect(parseInt(hash.slice(8, 13), 16)).toBeGreaterThanOrEqual(123000);
    expect(parseInt(hash.slice(8, 13), 16)).toBeLessThan(124000);
    expect(isEmailTrackingHash(hash)).toBe(true);
    expect(isEmailTrackingHash('65f1c0a2b3c4d812345678')).toBe(true); // §2.5 example stat
    expect(isEmailTrackingHash('65f1c0a2b3c4d8123456789')).toBe(false);
    expect(isLookupableTrackingHash('abc_DEF-1')).toBe(true);
    expect(isLookupableTrackingHash('a/b')).toBe(false);
    expect(isLookupableTrackingHash('')).toBe(false);
    expect(isLookupableTrackingHash('x'.repeat(192))).toBe(false);
  });

  it('the unsubscribe secretHash is HMAC-SHA256(email, secret_key) in hex (§3.8)', () => {
    const expected = createHmac('sha256', 'k').update('a@example.com').digest('hex');
    expect(unsubscribeSecretHash('a@example.com', 'k')).toBe(expected);
    expect(isValidUnsubscribeSecretHash('a@example.com', expected, 'k')).toBe(true);
    expect(isValidUnsubscribeSecretHash('b@example.com', expected, 'k')).toBe(false);
    expect(isValidUnsubscribeSecretHash('a@example.com', expected, 'other')).toBe(false);
    expect(isValidUnsubscribeSecretHash('a@example.com', 'short', 'k')).toBe(false);
  });
});
