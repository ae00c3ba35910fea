/**
 * The comparison per part and body kind: Location with PHP query semantics
 * (docs/mautic/public-http.md §3.5), normalised HTML (§3.8 CSRF token, §2.7
 * redirect page), text, JSON tolerances. Each row: the noise a rule suppresses,
 * and the real difference next to it that must survive.
 */
import type { ComparisonRules } from '../model.ts';
import { compareResponses } from './compare.ts';
import { normaliseHtml } from './html-normalise.ts';
import type { CapturedResponse, Comparison } from './types.ts';

const NONE: ComparisonRules = {
  headers: ['content-type'],
  cookies: { ignoreValueOf: [], expiresToleranceSeconds: 0 },
  location: { ignoreParams: [] },
  json: { ignore: [], numbers: [], times: [] },
  html: { ignore: [] },
};
const OPTIONS = { maxDifferences: 50 };

type Fields = readonly (readonly [string, string])[];
const legacy = (status: number, fields: Fields, body = ''): CapturedResponse =>
  ({ status, rawHeaders: fields.flat(), body: Buffer.from(body), truncated: false });
const shadow = (status: number, fields: Fields, body = ''): CapturedResponse =>
  legacy(status, [...fields, ['X-Strangler-Dry-Run', '1']], body);
const mismatch = (...differences: { path: string; legacy: string | null; new: string | null }[]): Comparison =>
  ({ outcome: 'mismatch', omitted: 0, differences });

/** A 302 as Symfony writes it: the Location and a small page that names it (§2.7). */
function redirect(location: string, dryRun = false): CapturedResponse {
  const escaped = location.replace(/&/g, '&amp;');
  const page = `<!DOCTYPE html>\n<html>\n    <head>\n        <meta charset="UTF-8" />\n        <meta http-equiv="refresh" content="0;url='${escaped}'" />\n` +
    `        <title>Redirecting to ${escaped}</title>\n    </head>\n    <body>\n        Redirecting to <a href="${escaped}">${escaped}</a>.\n    </body>\n</html>`;
  const make = dryRun ? shadow : legacy;
  return make(302, [['Content-Type', 'text/html; charset=UTF-8'], ['Location', location]], page);
}

const CLICK = 'https://example.com/pricing?utm_source=mautic&ct=YTox&x%5B0%5D=1#plans';
const IGNORE_CT: ComparisonRules = { ...NONE, location: { ignoreParams: ['ct'] } };
const CSRF: ComparisonRules = { ...NONE, html: { ignore: ['(?<=name="[^"]*\\[_token\\]"[^>]*value=")[^"]+'] } };
const PREFS = (token: string, email: string) => `<form name="lead_contact_frequency_rules" method="post">
  <input type="hidden" id="lead_contact_frequency_rules__token" name="lead_contact_frequency_rules[_token]" value="${token}" />
  <p>Preferences for ${email}</p></form>`;
const TIMES: ComparisonRules = { ...NONE, json: { ignore: [], numbers: [{ path: 'results.*.score', delta: 0.5 }], times: [{ path: 'dateAdded', toleranceMs: 2000 }] } };
const JSON_CT: Fields = [['Content-Type', 'application/json']];
const HTML_CT: Fields = [['Content-Type', 'text/html; charset=UTF-8']];

const CASES: readonly [string, ComparisonRules, CapturedResponse, CapturedResponse, Comparison][] = [
  ['Location: parameters in another order, escaped names, an ignored ct', IGNORE_CT, redirect(CLICK),
    redirect('https://example.com/pricing?x[0]=1&ct=OTHER&utm%5Fsource=mautic#plans', true), { outcome: 'match' }],
  ['Location: an ignored parameter must still be there; a kept one must match', IGNORE_CT, redirect(CLICK),
    redirect('https://example.com/pricing?utm_source=mailchimp&x%5B0%5D=1#plans', true),
    mismatch({ path: 'location.query.utm_source', legacy: 'mautic', new: 'mailchimp' }, { path: 'location.query.ct', legacy: 'YTox', new: null })],
  ['Location: host, path and fragment', NONE, redirect(CLICK), redirect('https://EXAMPLE.org/prices?utm_source=mautic&ct=YTox&x%5B0%5D=1', true),
    mismatch({ path: 'location.origin', legacy: 'https://example.com', new: 'https://example.org' },
      { path: 'location.path', legacy: '/pricing', new: '/prices' }, { path: 'location.fragment', legacy: 'plans', new: null })],
  ['Location: present on one side only', NONE, redirect(CLICK), shadow(302, HTML_CT, ''),
    mismatch({ path: 'location', legacy: CLICK, new: null }, { path: 'body.html[0]', legacy: '<!doctype html><html><head><meta charset="UTF-8"><meta content="0;url=\'{location}\'" http-equiv="refresh"><title>Redirecting to {location}</title></head><body>Redirecting to<a href="{location}">{location}</a>.</body></html>', new: null })],
  ['HTML: attribute order, quoting, whitespace, entities, comments, <br/>', NONE,
    legacy(200, HTML_CT, '<p class="a" id=b>Tom &amp; Jerry<br/>\n\n  go</p><!-- built 08:00 -->'),
    shadow(200, HTML_CT, '<P id="b"   class=\'a\'>Tom &#38; Jerry<br>go</P>'), { outcome: 'match' }],
  ['HTML: the CSRF token is ignored, the text next to it is not', CSRF,
    legacy(200, HTML_CT, PREFS('aaaa1111', 'nia@example.com')), shadow(200, HTML_CT, PREFS('bbbb2222', 'nia@example.org')),
    mismatch({ path: 'body.html[3]', legacy: 'Preferences for nia@example.com', new: 'Preferences for nia@example.org' })],
  ['HTML: without the rule the token is a difference', NONE,
    legacy(200, HTML_CT, PREFS('aaaa1111', 'x')), shadow(200, HTML_CT, PREFS('bbbb2222', 'x')),
    mismatch({ path: 'body.html[1]', legacy: '<input id="lead_contact_frequency_rules__token" name="lead_contact_frequency_rules[_token]" type="hidden" value="aaaa1111">', new: '<input id="lead_contact_frequency_rules__token" name="lead_contact_frequency_rules[_token]" type="hidden" value="bbbb2222">' })],
  ['text: one changed line of a script', NONE,
    legacy(200, [['Content-Type', 'application/javascript']], 'var a=1;\nvar b=2;\nvar c=3;'),
    shadow(200, [['Content-Type', 'application/javascript']], 'var a=1;\r\nvar b=20;\r\nvar c=3;'),
    mismatch({ path: 'body.text[2]', legacy: 'var b=2;', new: 'var b=20;' })],
  ['JSON: numbers and times within their tolerance', TIMES,
    legacy(200, JSON_CT, '{"dateAdded":"2026-12-03 08:00:00","results":[{"score":1.0}]}'),
    shadow(200, JSON_CT, '{"dateAdded":"2026-12-03T08:00:01+00:00","results":[{"score":1.4}]}'), { outcome: 'match' }],
  ['JSON: numbers and times beyond it', TIMES,
    legacy(200, JSON_CT, '{"dateAdded":"2026-12-03 08:00:00","results":[{"score":1.0}]}'),
    shadow(200, JSON_CT, '{"dateAdded":"2026-12-03 08:00:03","results":[{"score":1.6}]}'),
    mismatch({ path: 'body.dateAdded', legacy: '"2026-12-03 08:00:00"', new: '"2026-12-03 08:00:03"' }, { path: 'body.results.0.score', legacy: '1', new: '1.6' })],
  ['JSON: a string "1" is not the number 1', NONE, legacy(200, JSON_CT, '{"success":1}'), shadow(200, JSON_CT, '{"success":"1"}'),
    mismatch({ path: 'body.success', legacy: '1', new: '"1"' })],
  ['headers: absent on both sides is equal; absent on one is not', { ...NONE, headers: ['content-type', 'vary'] },
    legacy(204, []), shadow(204, [['Vary', 'Origin']]), mismatch({ path: 'headers.vary', legacy: null, new: 'Origin' })],
  ['cookies: a session cookie by pattern keeps its attributes compared', { ...NONE, cookies: { ignoreValueOf: ['^[0-9a-f]{32}$'], expiresToleranceSeconds: 0 } },
    legacy(302, [['Set-Cookie', `${'a'.repeat(32)}=s1; path=/; httponly; samesite=lax`]]),
    shadow(302, [['Set-Cookie', `${'a'.repeat(32)}=s2; path=/; samesite=lax`]]),
    mismatch({ path: `cookies.${'a'.repeat(32)}.httponly`, legacy: '', new: null })],
];

describe('compareResponses, part by part', () => {
  it.each(CASES)('%s', (_name, rules, a, b, expected) => {
    expect(compareResponses(rules, a, b, OPTIONS)).toEqual(expected);
  });

  it('compares bytes that are not UTF-8 as bytes, even when they decode to the same text', () => {
    const a = legacy(200, [['Content-Type', 'text/plain']], '');
    const b = shadow(200, [['Content-Type', 'text/plain']], '');
    const result = compareResponses(NONE, { ...a, body: Buffer.from([0x61, 0xff]) }, { ...b, body: Buffer.from([0x61, 0xfe]) }, OPTIONS);
    expect(result).toEqual(mismatch({ path: 'body.bytes[1]', legacy: 'ff', new: 'fe' }));
  });
});

describe('normaliseHtml', () => {
  it('keeps a script\'s text as one token up to its end tag, whatever its case', () => {
    expect(normaliseHtml('<SCRIPT type="text/javascript">if (a < b) {\n  x();\n}</Script><p>İ ok</p>')).toEqual([
      '<script type="text/javascript">', 'if (a < b) { x(); }', '</script>', '<p>', 'İ ok', '</p>',
    ]);
  });
});
