/**
 * Redaction (docs/architecture.md §6): personal data (emails, IPs, names, tokens)
 * never reaches a stored diff, and what is left still says where the sides differ.
 */
import { redactDifference, redactText } from './redact.ts';

describe('redactText', () => {
  it.each([
    ['an email', 'We are sorry to see you go! nia@example.com will no longer receive emails', 'We are sorry to see you go! [email] will no longer receive emails'],
    ['a URL-encoded email', '/email/unsubscribe/65f1c0a2b3c4d812345678/nia%40example.com/x', '/email/unsubscribe/[token]/[email]/x'],
    ['an IPv4 address', 'from 203.0.113.9, via 10.0.0.1', 'from [ip], via [ip]'],
    ['IPv6 addresses, full and compressed', 'fe80::1 and 2001:0db8:0000:0000:0000:ff00:0042:8329', '[ip] and [ip]'],
    ['a time is not an IPv6 address', '2026-12-03 08:00:00', '2026-12-03 08:00:00'],
    ['a device id and a tracking hash', 'k3l0d2a9x8c7v6b5n4m3q2w / 65f1c0a2b3c4d812345678', '[token] / [token]'],
    ['a bearer token and a JWT', 'Authorization: Bearer abc.def-123 eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl', 'Authorization: Bearer [redacted] [token]'],
    ['a name in JSON text', '{"firstname":"Nia","lastname":"Okafor","formName":"contactus"}', '{"firstname":"[redacted]","lastname":"[redacted]","formName":"contactus"}'],
    ['a name in a query', '/thanks?mauticform%5Bx%5D=1&mauticform[firstname]=Nia&lastname=Okafor&page=2', '/thanks?mauticform%5Bx%5D=1&mauticform[firstname]=[redacted]&lastname=[redacted]&page=2'],
    ['a name in an input of a normalised tag', '<input name="mauticform[firstname]" type="text" value="Nia">', '<input name="mauticform[firstname]" type="text" value="[redacted]">'],
    ['words and short numbers stay', 'Internationalization 12345 success', 'Internationalization 12345 success'],
  ])('%s', (_name, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });
});

describe('redactDifference', () => {
  it('hides a personal field wholly, even when it looks harmless', () => {
    expect(redactDifference({ path: 'body.results.firstname', legacy: '"Nia"', new: '"Nya"' })).toEqual({ path: 'body.results.firstname', legacy: '[redacted]', new: '[redacted]' });
    expect(redactDifference({ path: 'location.query.mauticform[email]', legacy: 'a@b.co', new: null })).toEqual({ path: 'location.query.mauticform[email]', legacy: '[redacted]', new: null });
  });

  it('hides cookie values, keeps their attributes and the deletion marker', () => {
    expect(redactDifference({ path: 'cookies.mtc_id.value', legacy: '17', new: 'deleted' })).toEqual({ path: 'cookies.mtc_id.value', legacy: '[redacted]', new: 'deleted' });
    expect(redactDifference({ path: 'cookies.mtc_id', legacy: 'mtc_id=17; path=/; samesite=none', new: null }))
      .toEqual({ path: 'cookies.mtc_id', legacy: 'mtc_id=[redacted]; path=/; samesite=none', new: null });
    expect(redactDifference({ path: 'cookies.mtc_id.samesite', legacy: 'none', new: 'lax' })).toEqual({ path: 'cookies.mtc_id.samesite', legacy: 'none', new: 'lax' });
  });

  it('redacts a path whose JSON key is an email, and keeps values that are not personal', () => {
    expect(redactDifference({ path: 'body.nia@example.com', legacy: '1', new: '2' })).toEqual({ path: 'body.[email]', legacy: '1', new: '2' });
    expect(redactDifference({ path: 'status', legacy: '200', new: '500' })).toEqual({ path: 'status', legacy: '200', new: '500' });
  });
});
