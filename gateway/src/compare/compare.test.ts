/**
 * The comparison, table-driven (docs/architecture.md §6; issue 13 "Diffs"): a
 * deliberately divergent shadow answer gives exactly the expected differences,
 * and the catalogue's noise rules suppress volatile fields without hiding a real
 * difference. Legacy answers are built from the Mautic facts of
 * docs/mautic/public-http.md (§2.2 cookies, §2.6 GIF, §3.3 JSON, §3.5 redirect).
 */
import { serializeCookie, type CookieAttributes } from '../../../legacy-adapter/src/codecs/cookies.ts';
import { TRACKING_GIF, trackingGifHeaders } from '../../../legacy-adapter/src/codecs/gif.ts';
import type { ComparisonRules } from '../model.ts';
import { ROUTE_ENTRIES } from '../../../routes/index.ts';
import { compareResponses } from './compare.ts';
import type { CapturedResponse, Comparison } from './types.ts';

const rulesOf = (id: string): ComparisonRules => ROUTE_ENTRIES.find((e) => e.id === id)!.comparison!;
const OPTIONS = { maxDifferences: 50 };
const NOW = new Date('2026-12-03T08:00:00Z');
const LATER = new Date('2026-12-03T08:00:02Z');
const TRACKING: CookieAttributes = { path: '/', domain: '', secure: true, httpOnly: false, sameSite: 'none' };

type Fields = readonly (readonly [string, string])[];

function response(status: number, fields: Fields, body: string | Buffer = ''): CapturedResponse {
  return { status, rawHeaders: fields.flat(), body: Buffer.isBuffer(body) ? body : Buffer.from(body), truncated: false };
}
/** The shadow's answer: the same, confirmed as a dry run (docs/architecture.md §5). */
function shadow(status: number, fields: Fields, body: string | Buffer = ''): CapturedResponse {
  return response(status, [...fields, ['X-Strangler-Dry-Run', '1']], body);
}

function pixelFields(device: string, contact: string, hit: string, now: Date, attrs = TRACKING): Fields {
  return [
    ...Object.entries(trackingGifHeaders('1.1')),
    ['Set-Cookie', serializeCookie({ name: 'mautic_device_id', value: device, maxAgeSeconds: 31_536_000 }, attrs, now)],
    ['Set-Cookie', serializeCookie({ name: 'mtc_id', value: contact }, attrs, now)],
    ['Set-Cookie', serializeCookie({ name: 'mautic_referer_id', value: hit, maxAgeSeconds: 1800 }, attrs, now)],
  ];
}

const LEGACY_PIXEL = response(200, pixelFields('k3l0d2a9x8c7v6b5n4m3q2w', '17', '901', NOW), TRACKING_GIF);
const EVENT_JSON = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };
const LEGACY_EVENT = response(200, Object.entries(EVENT_JSON), '{"success":1,"id":17,"sid":"k3l0d2a9x8c7v6b5n4m3q2w","device_id":"k3l0d2a9x8c7v6b5n4m3q2w","events":[]}');

const AJAX = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };
const ajaxBody = (ct: string, email: string) =>
  JSON.stringify({ success: 1, results: { email }, formName: 'contactus', download: `https://mautic.example/asset/1:guide?ct=${ct}&stream=0` });
const SESSION = 'f'.repeat(32);
const ajaxFields = (device: string, session: string): Fields => [
  ...Object.entries(AJAX),
  ['Set-Cookie', serializeCookie({ name: 'mautic_device_id', value: device, maxAgeSeconds: 31_536_000 }, TRACKING, NOW)],
  ['Set-Cookie', `${SESSION}=${session}; path=/; httponly; samesite=lax`],
];
const LEGACY_AJAX = response(200, ajaxFields('d1', 's1'), ajaxBody('YTox', 'nia@example.com'));
const HTML = { 'Content-Type': 'text/html; charset=UTF-8' };
const prefsPage = (token: string, email: string) => `<html><body><form name="lead_contact_frequency_rules" method="post">
  <input type="hidden" id="lead_contact_frequency_rules__token" name="lead_contact_frequency_rules[_token]" value="${token}" />
  <p>${email} will no longer receive emails from us.</p></form></body></html>`;
const LEGACY_PREFS = response(200, Object.entries(HTML), prefsPage('tok1tok1tok1', 'nia@example.com'));
const clickTo = (location: string, dryRun: boolean): CapturedResponse =>
  (dryRun ? shadow : response)(302, [['Content-Type', 'text/html; charset=UTF-8'], ['Location', location]], `<a href="${location}">${location}</a>`);
const LEGACY_CLICK = clickTo('https://example.com/p?utm_source=mautic&ct=YTox', false);

/** [case, route, legacy, shadow, expected result]. */
const CASES: readonly [string, string, CapturedResponse, CapturedResponse, Comparison][] = [
  // --- noise the rules suppress ---------------------------------------------------------------
  ['pixel: other device, contact and hit ids, cookies 2 s later, headers in another order', 'tracking.pixel', LEGACY_PIXEL,
    shadow(200, [...pixelFields('p9o8i7u6y5t4r3e2w1q0a9s', '18', '902', LATER)].reverse(), TRACKING_GIF), { outcome: 'match' }],
  ['event: other contact and device ids, keys in another order', 'tracking.event', LEGACY_EVENT,
    shadow(200, Object.entries(EVENT_JSON), '{"events":[],"device_id":"zz","sid":"zz","id":18,"success":1}'), { outcome: 'match' }],
  ['ajax form: other device, session and download ct (§4.2)', 'forms.submit-ajax', LEGACY_AJAX,
    shadow(200, ajaxFields('d2', 's2'), ajaxBody('YToy', 'nia@example.com')), { outcome: 'match' }],
  ['preference centre: another CSRF token (§3.8)', 'sending.unsubscribe', LEGACY_PREFS,
    shadow(200, Object.entries(HTML), prefsPage('tok2tok2tok2', 'nia@example.com')), { outcome: 'match' }],
  ['click: the same destination, query in another order (§3.5)', 'tracking.click', LEGACY_CLICK,
    clickTo('https://example.com/p?ct=YTox&utm_source=mautic', true), { outcome: 'match' }],
  // --- real differences the same rules must keep ------------------------------------------------
  ['ajax form: another result value; a download link missing', 'forms.submit-ajax', LEGACY_AJAX,
    shadow(200, ajaxFields('d2', 's2'), JSON.stringify({ success: 1, results: { email: 'nia@example.org' }, formName: 'contactus' })), {
      outcome: 'mismatch', omitted: 0, differences: [
        { path: 'body.results.email', legacy: '"nia@example.com"', new: '"nia@example.org"' },
        { path: 'body.download', legacy: '"https://mautic.example/asset/1:guide?ct=YTox&stream=0"', new: null },
      ] }],
  ['preference centre: another address in the text', 'sending.unsubscribe', LEGACY_PREFS,
    shadow(200, Object.entries(HTML), prefsPage('tok2tok2tok2', 'nia@example.org')), {
      outcome: 'mismatch', omitted: 0, differences: [{ path: 'body.html[5]', legacy: 'nia@example.com will no longer receive emails from us.', new: 'nia@example.org will no longer receive emails from us.' }] }],
  ['click: the destination lost a parameter (ct is not volatile on a click: both sides get the same one)', 'tracking.click', LEGACY_CLICK,
    clickTo('https://example.com/p?utm_source=mautic', true), {
      outcome: 'mismatch', omitted: 0, differences: [{ path: 'location.query.ct', legacy: 'YTox', new: null }] }],
  ['pixel: a server error', 'tracking.pixel', LEGACY_PIXEL, shadow(500, pixelFields('x', '17', '901', NOW), TRACKING_GIF), {
    outcome: 'mismatch', omitted: 0, differences: [{ path: 'status', legacy: '200', new: '500' }] }],
  ['pixel: one byte of the GIF', 'tracking.pixel', LEGACY_PIXEL,
    shadow(200, pixelFields('x', '17', '901', NOW), Buffer.concat([TRACKING_GIF.subarray(0, 40), Buffer.from([0x00, 0x00, 0x3b])])), {
      outcome: 'mismatch', omitted: 0, differences: [{ path: 'body.bytes[40]', legacy: '01003b', new: '00003b' }] }],
  ['pixel: Cache-Control in Mautic\'s order, not the wire order (§2.6)', 'tracking.pixel', LEGACY_PIXEL,
    shadow(200, pixelFields('x', '17', '901', NOW).map(([k, v]) => (k === 'Cache-Control' ? [k, 'private, no-cache, no-cache=Set-Cookie, proxy-revalidate'] as const : [k, v] as const)), TRACKING_GIF), {
      outcome: 'mismatch', omitted: 0, differences: [{ path: 'headers.cache-control', legacy: 'no-cache=Set-Cookie, private, proxy-revalidate', new: 'private, no-cache, no-cache=Set-Cookie, proxy-revalidate' }] }],
  ['pixel: the device cookie as SameSite=Lax and not secure (a volatile value keeps its attributes)', 'tracking.pixel', LEGACY_PIXEL,
    shadow(200, pixelFields('x', '17', '901', NOW, { ...TRACKING, secure: false, sameSite: 'lax' }), TRACKING_GIF), {
      outcome: 'mismatch', omitted: 0, differences: [
        { path: 'cookies.mautic_device_id.samesite', legacy: 'none', new: 'lax' },
        { path: 'cookies.mautic_device_id.secure', legacy: '', new: null },
        { path: 'cookies.mautic_referer_id.samesite', legacy: 'none', new: 'lax' },
        { path: 'cookies.mautic_referer_id.secure', legacy: '', new: null },
        { path: 'cookies.mtc_id.samesite', legacy: 'none', new: 'lax' },
        { path: 'cookies.mtc_id.secure', legacy: '', new: null },
      ] }],
  ['pixel: no hit cookie, and a device cookie that expires an hour later', 'tracking.pixel', LEGACY_PIXEL,
    shadow(200, [...pixelFields('x', '17', '901', new Date(NOW.getTime() + 3_600_000)).slice(0, -1)], TRACKING_GIF), {
      outcome: 'mismatch', omitted: 0, differences: [
        { path: 'cookies.mautic_device_id.expires', legacy: 'Fri, 03-Dec-2027 08:00:00 GMT', new: 'Fri, 03-Dec-2027 09:00:00 GMT' },
        { path: 'cookies.mautic_referer_id', legacy: 'mautic_referer_id=901; expires=Thu, 03-Dec-2026 08:30:00 GMT; Max-Age=1800; path=/; secure; samesite=none', new: null },
      ] }],
  ['event: failure, no contact, events as an object', 'tracking.event', LEGACY_EVENT,
    shadow(200, Object.entries(EVENT_JSON), '{"success":0,"id":null,"sid":"zz","device_id":"zz","events":{}}'), {
      outcome: 'mismatch', omitted: 0, differences: [
        { path: 'body.success', legacy: '1', new: '0' },
        { path: 'body.id', legacy: '17', new: 'null' },
        { path: 'body.events', legacy: '[]', new: '{}' },
      ] }],
  ['event: device_id missing (an ignored value must still be there)', 'tracking.event', LEGACY_EVENT,
    shadow(200, Object.entries(EVENT_JSON), '{"success":1,"id":18,"sid":"zz","events":[]}'), {
      outcome: 'mismatch', omitted: 0, differences: [{ path: 'body.device_id', legacy: '"k3l0d2a9x8c7v6b5n4m3q2w"', new: null }] }],
  ['event: not JSON at all', 'tracking.event', LEGACY_EVENT, shadow(200, Object.entries(EVENT_JSON), '<html>oops</html>'), {
    outcome: 'mismatch', omitted: 0, differences: [{ path: 'body', legacy: 'valid JSON', new: 'invalid JSON' }] }],
];

describe('compareResponses with the catalogue\'s rules', () => {
  it.each(CASES)('%s', (_name, routeId, legacy, candidate, expected) => {
    expect(compareResponses(rulesOf(routeId), legacy, candidate, OPTIONS)).toEqual(expected);
  });
});

describe('skips', () => {
  it('skips a pair with a truncated body: body-too-large', () => {
    const cut = { ...shadow(200, [], TRACKING_GIF), truncated: true };
    expect(compareResponses(rulesOf('tracking.pixel'), LEGACY_PIXEL, cut, OPTIONS)).toEqual({ outcome: 'skipped', reason: 'body-too-large' });
    expect(compareResponses(rulesOf('tracking.pixel'), { ...LEGACY_PIXEL, truncated: true }, shadow(200, []), OPTIONS)).toEqual({ outcome: 'skipped', reason: 'body-too-large' });
  });

  it('skips an answer without X-Strangler-Dry-Run: 1, even an identical one (docs/architecture.md §5)', () => {
    expect(compareResponses(rulesOf('tracking.pixel'), LEGACY_PIXEL, LEGACY_PIXEL, OPTIONS)).toEqual({ outcome: 'skipped', reason: 'dry-run-unconfirmed' });
    const other = response(200, [...pixelFields('x', '17', '901', NOW), ['X-Strangler-Dry-Run', '0']], TRACKING_GIF);
    expect(compareResponses(rulesOf('tracking.pixel'), LEGACY_PIXEL, other, OPTIONS)).toEqual({ outcome: 'skipped', reason: 'dry-run-unconfirmed' });
  });
});

describe('bounds', () => {
  it('keeps maxDifferences differences and counts the rest', () => {
    const legacy = response(200, [['Content-Type', 'application/json']], JSON.stringify(Array.from({ length: 10 }, (_, i) => i)));
    const other = shadow(200, [['Content-Type', 'application/json']], JSON.stringify(Array.from({ length: 10 }, (_, i) => i + 100)));
    const result = compareResponses(rulesOf('sending.contact'), legacy, other, { maxDifferences: 3 });
    expect(result).toEqual({ outcome: 'mismatch', omitted: 7, differences: [
      { path: 'body.0', legacy: '0', new: '100' },
      { path: 'body.1', legacy: '1', new: '101' },
      { path: 'body.2', legacy: '2', new: '102' },
    ] });
  });
});
