/**
 * Table of real Mautic URLs against the catalogue in routes/: which route each
 * one belongs to, its params, and why the awkward ones stay on legacy.
 */
import { loadCatalogue } from './compile.ts';
import type { UnmatchedKind } from './types.ts';

const catalogue = loadCatalogue();

interface Row {
  readonly method: string;
  readonly target: string;
  readonly id: string;
  readonly params?: Record<string, string>;
  readonly unmatched?: UnmatchedKind;
}

const TRACKING: readonly Row[] = [
  // docs/mautic/public-http.md §3.1–§3.4
  { method: 'GET', target: '/mtc.js', id: 'tracking.script' },
  { method: 'HEAD', target: '/mtc.js', id: 'tracking.script' },
  { method: 'GET', target: '/mtracking.gif?page_url=https%3A%2F%2Fexample.com%2F&page_title=Home', id: 'tracking.pixel' },
  { method: 'POST', target: '/mtc/event', id: 'tracking.event' },
  { method: 'GET', target: '/mtc/event', id: 'legacy.default', unmatched: 'method-not-allowed' },
  { method: 'GET', target: '/mtc', id: 'tracking.contact-id' },
  // §3.5: /r and its legacy alias /redirect, with ct and utm tags in the query
  { method: 'GET', target: '/r/4f1c0a2b3c4d5e6f7a8b9c0d1?ct=YTo1Ons%3D&utm_source=news', id: 'tracking.click', params: { redirectId: '4f1c0a2b3c4d5e6f7a8b9c0d1' } },
  { method: 'GET', target: '/redirect/4f1c0a2b3c4d5e6f7a8b9c0d1', id: 'tracking.click', params: { redirectId: '4f1c0a2b3c4d5e6f7a8b9c0d1' } },
  { method: 'GET', target: '/r', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/r/abc/def', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/redirects/abc', id: 'legacy.default', unmatched: 'no-route' },
  // §1.5: /email/{idHash}.gif is exactly ^/email/[^/.]+\.gif$
  { method: 'GET', target: '/email/65f1c0a2b3c4d812345678.gif', id: 'tracking.email-open', params: { idHash: '65f1c0a2b3c4d812345678' } },
  { method: 'GET', target: '/email/a.b.gif', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/email/.gif', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/email/abc.GIF', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/email/view/65f1c0a2b3c4d812345678', id: 'tracking.email-webview', params: { idHash: '65f1c0a2b3c4d812345678' } },
  { method: 'GET', target: '/email/view/abc.gif', id: 'tracking.email-webview', params: { idHash: 'abc.gif' } },
  // §3.10–§3.14
  { method: 'GET', target: '/dwc/sidebar?mautic_device_id=k3l', id: 'tracking.dwc', params: { objectAlias: 'sidebar' } },
  { method: 'POST', target: '/dwc/sidebar', id: 'legacy.default', unmatched: 'method-not-allowed' },
  { method: 'GET', target: '/dwc', id: 'legacy.dwc-index' },
  { method: 'POST', target: '/video/hit', id: 'tracking.video-hit' },
  { method: 'GET', target: '/asset/12:brochure', id: 'tracking.asset', params: { slug: '12:brochure' } },
  { method: 'GET', target: '/asset/en/cat/brochure', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/plugin/Outlook/tracking.gif?d=eJx&sig=1', id: 'tracking.plugin-pixel', params: { integration: 'Outlook' } },
  { method: 'GET', target: '/plugin/Outlook/contact_data', id: 'legacy.plugin-crm-data', params: { integration: 'Outlook' } },
  { method: 'GET', target: '/focus/3.js', id: 'tracking.focus-script', params: { id: '3' } },
  { method: 'GET', target: '/focus/3/viewpixel.gif', id: 'tracking.focus-pixel', params: { id: '3' } },
  { method: 'GET', target: '/focus/x.js', id: 'legacy.default', unmatched: 'no-route' },
];

const FORMS: readonly Row[] = [
  // §4.1: the form action carries ?formId=, matching is on the path only
  { method: 'POST', target: '/form/submit?formId=3', id: 'forms.submit' },
  { method: 'POST', target: '/form/submit?ajax=1', id: 'forms.submit' },
  // §4.2: GET /form/submit is a 403 from legacy, never a preview of form "submit"
  { method: 'GET', target: '/form/submit', id: 'legacy.default', unmatched: 'method-not-allowed' },
  { method: 'POST', target: '/form/submit/ajax', id: 'forms.submit-ajax' },
  { method: 'GET', target: '/form/generate.js?id=3', id: 'forms.generate' },
  { method: 'GET', target: '/form/generate.js?id=mf-3', id: 'forms.generate' },
  { method: 'GET', target: '/form/message', id: 'forms.message' },
  { method: 'GET', target: '/form/3', id: 'forms.preview', params: { id: '3' } },
  { method: 'GET', target: '/form/abc', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/form', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/form/embed/3?video=1', id: 'forms.embed', params: { id: '3' } },
  { method: 'GET', target: '/form/embed', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'POST', target: '/form/company-lookup/autocomplete', id: 'forms.company-lookup' },
  { method: 'GET', target: '/form/company-lookup/autocomplete', id: 'legacy.default', unmatched: 'method-not-allowed' },
  { method: 'GET', target: '/forms/results/file/5/upload', id: 'legacy.form-result-file', params: { submissionId: '5', field: 'upload' } },
];

const SENDING: readonly Row[] = [
  // §5.2, §5.3: POST only; Mautic requires a numeric {id} on API routes
  { method: 'POST', target: '/api/emails/5/send', id: 'sending.segment', params: { id: '5' } },
  { method: 'GET', target: '/api/emails/5/send', id: 'legacy.default', unmatched: 'method-not-allowed' },
  { method: 'POST', target: '/api/emails/abc/send', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'POST', target: '/api/emails/5/contact/7/send', id: 'sending.contact', params: { id: '5', contactId: '7' } },
  { method: 'PUT', target: '/api/emails/5/contact/7/send', id: 'legacy.default', unmatched: 'method-not-allowed' },
  { method: 'POST', target: '/api/emails/5/send/contact/7', id: 'legacy.default', unmatched: 'no-route' },
  // §5.4: the reply route; `reply` is a literal, so `/api/emails/reply/send` is a reply, as in Mautic (numeric `{id}`)
  { method: 'POST', target: '/api/emails/reply/65f1c0a2b3c4d812345678', id: 'sending.reply', params: { trackingHash: '65f1c0a2b3c4d812345678' } },
  { method: 'POST', target: '/api/emails/reply/send', id: 'sending.reply', params: { trackingHash: 'send' } },
  { method: 'GET', target: '/api/emails/reply/65f1c0a2b3c4d812345678', id: 'legacy.default', unmatched: 'method-not-allowed' },
  { method: 'POST', target: '/api/emails/reply/65f1c0a2b3c4d812345678/x', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/api/contacts', id: 'legacy.default', unmatched: 'no-route' },
  // §3.8, §3.9
  { method: 'GET', target: '/email/unsubscribe/abc', id: 'sending.unsubscribe', params: { idHash: 'abc' } },
  { method: 'POST', target: '/email/unsubscribe/abc/jo%40example.com/ff00', id: 'sending.unsubscribe', params: { idHash: 'abc', urlEmail: 'jo@example.com', secretHash: 'ff00' } },
  { method: 'GET', target: '/email/dnc/abc/jo@example.com/ff00', id: 'sending.unsubscribe-all', params: { idHash: 'abc', urlEmail: 'jo@example.com', secretHash: 'ff00' } },
  { method: 'GET', target: '/email/dnc/abc', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/email/resubscribe/abc', id: 'sending.resubscribe', params: { idHash: 'abc' } },
  { method: 'GET', target: '/email/preview/12/email', id: 'sending.preview', params: { objectId: '12', objectType: 'email' } },
  { method: 'POST', target: '/mailer/callback', id: 'sending.mailer-callback' },
];

const LEGACY: readonly Row[] = [
  // §1.5 "Monolith": admin, other API, landing pages, the root
  { method: 'GET', target: '/', id: 'legacy.root' },
  { method: 'GET', target: '/?utm_source=x', id: 'legacy.root' },
  { method: 'GET', target: '/s', id: 'legacy.secure-root' },
  { method: 'GET', target: '/s/dashboard', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'POST', target: '/s/login_check', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/my-page', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/en/cat/page', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/p/page', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'POST', target: '/oauth/v2/token', id: 'legacy.oauth' },
  { method: 'GET', target: '/page/preview/4', id: 'legacy.page-preview', params: { id: '4' } },
  { method: 'GET', target: '/media/images/logo.png', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/MTRACKING.GIF', id: 'legacy.default', unmatched: 'no-route' },
  // Mautic's CORS middleware answers OPTIONS on every path (§2.3): legacy keeps doing it
  { method: 'OPTIONS', target: '/mtc/event', id: 'legacy.default', unmatched: 'method-not-allowed' },
];

const AWKWARD: readonly Row[] = [
  // §1.4 mautic_remove_trailing_slash: Mautic 301s GET paths ending in /
  { method: 'GET', target: '/mtc/event/', id: 'legacy.default', unmatched: 'trailing-slash' },
  { method: 'POST', target: '/form/submit/', id: 'legacy.default', unmatched: 'trailing-slash' },
  { method: 'GET', target: '/s/', id: 'legacy.default', unmatched: 'trailing-slash' },
  // Symfony rawurldecodes the path before matching: unreserved escapes are the same route
  { method: 'GET', target: '/mtracking%2Egif', id: 'tracking.pixel' },
  { method: 'GET', target: '/%6Dtc.js', id: 'tracking.script' },
  { method: 'GET', target: '/r/caf%C3%A9', id: 'tracking.click', params: { redirectId: 'café' } },
  { method: 'GET', target: '/r/a%20b', id: 'tracking.click', params: { redirectId: 'a b' } },
  { method: 'GET', target: '/email/abc%2Egif', id: 'tracking.email-open', params: { idHash: 'abc' } },
  { method: 'GET', target: '/email/a%2Eb.gif', id: 'legacy.default', unmatched: 'no-route' },
  { method: 'GET', target: '/r/a%2Fb', id: 'legacy.default', unmatched: 'ambiguous-escape' },
  { method: 'GET', target: '/r/a%2fb', id: 'legacy.default', unmatched: 'ambiguous-escape' },
  { method: 'GET', target: '/r/a%5Cb', id: 'legacy.default', unmatched: 'ambiguous-escape' },
  { method: 'GET', target: '/r/a%00', id: 'legacy.default', unmatched: 'ambiguous-escape' },
  { method: 'GET', target: '/r/a%252F', id: 'legacy.default', unmatched: 'ambiguous-escape' },
  { method: 'GET', target: '/r/a%2', id: 'legacy.default', unmatched: 'invalid-escape' },
  { method: 'GET', target: '/r/a%zz', id: 'legacy.default', unmatched: 'invalid-escape' },
  { method: 'GET', target: '/r/a%C3', id: 'legacy.default', unmatched: 'invalid-escape' },
  { method: 'GET', target: '/r/a%FF%FE', id: 'legacy.default', unmatched: 'invalid-escape' },
  { method: 'GET', target: '/r/a\\b', id: 'legacy.default', unmatched: 'invalid-character' },
  { method: 'GET', target: '/r/a#frag', id: 'legacy.default', unmatched: 'invalid-character' },
  { method: 'GET', target: '/r/caf\u00e9', id: 'legacy.default', unmatched: 'invalid-character' },
  // §1.2: /index.php/x is a 301 to /x from the web server
  { method: 'GET', target: '/index.php/mtracking.gif', id: 'legacy.default', unmatched: 'index-php' },
  { method: 'GET', target: '/index.php', id: 'legacy.default', unmatched: 'index-php' },
  { method: 'GET', target: '/index%2Ephp/mtracking.gif', id: 'legacy.default', unmatched: 'index-php' },
  // dot segments and double slashes, raw or encoded
  { method: 'GET', target: '/r/../s/login', id: 'legacy.default', unmatched: 'dot-segment' },
  { method: 'GET', target: '/./mtc', id: 'legacy.default', unmatched: 'dot-segment' },
  { method: 'GET', target: '/r/%2E%2E', id: 'legacy.default', unmatched: 'dot-segment' },
  { method: 'GET', target: '//mtracking.gif', id: 'legacy.default', unmatched: 'empty-segment' },
  { method: 'GET', target: '/r//x', id: 'legacy.default', unmatched: 'empty-segment' },
  // request-target forms other than origin-form (RFC 9112 §3.2)
  { method: 'GET', target: '', id: 'legacy.default', unmatched: 'not-origin-form' },
  { method: 'OPTIONS', target: '*', id: 'legacy.default', unmatched: 'not-origin-form' },
  { method: 'GET', target: 'http://mautic.example/mtracking.gif', id: 'legacy.default', unmatched: 'not-origin-form' },
  { method: 'CONNECT', target: 'mautic.example:443', id: 'legacy.default', unmatched: 'not-origin-form' },
  { method: 'GET', target: '?x=/mtc.js', id: 'legacy.default', unmatched: 'not-origin-form' },
  // §1.5 caveat: a raw /api or /oauth anywhere in the URI makes Mautic treat it as an API request
  { method: 'GET', target: '/mtracking.gif?page_url=https://shop.example/api/cart', id: 'legacy.default', unmatched: 'api-marker' },
  { method: 'GET', target: '/asset/api-guide.pdf', id: 'legacy.default', unmatched: 'api-marker' },
  { method: 'GET', target: '/r/abc?next=/oauth/v2/authorize', id: 'legacy.default', unmatched: 'api-marker' },
  { method: 'GET', target: '/mtracking.gif?page_url=https%3A%2F%2Fshop.example%2Fapi%2Fcart', id: 'tracking.pixel' },
  // method names are case-sensitive (RFC 9110 §9.1)
  { method: 'get', target: '/mtc.js', id: 'legacy.default', unmatched: 'method-not-allowed' },
];

describe.each([
  ['tracking routes', TRACKING],
  ['form routes', FORMS],
  ['sending routes', SENDING],
  ['legacy routes', LEGACY],
  ['awkward targets', AWKWARD],
])('catalogue.match: %s', (_name, rows) => {
  it.each(rows.map((row) => [`${row.method} ${row.target || '(empty)'}`, row] as const))('%s', (_label, row) => {
    const result = catalogue.match(row.method, row.target);
    expect(result.route.id).toBe(row.id);
    expect(result.params).toEqual(row.params ?? {});
    expect(result.unmatched).toBe(row.unmatched);
  });
});

describe('catalogue.match: lengths', () => {
  it('matches a path of exactly 8192 characters and sends one character more to legacy', () => {
    const atLimit = `/r/${'a'.repeat(8192 - 3)}`;
    expect(catalogue.match('GET', atLimit).route.id).toBe('tracking.click');
    expect(catalogue.match('GET', `${atLimit}a`).unmatched).toBe('path-too-long');
  });

  it('counts only the path: a long query does not stop a match', () => {
    const target = `/mtracking.gif?page_url=${'x'.repeat(20_000)}`;
    expect(catalogue.match('GET', target).route.id).toBe('tracking.pixel');
  });

  it('answers a 1 MiB target without scanning it as a path', () => {
    const started = process.hrtime.bigint();
    const result = catalogue.match('GET', `/${'a'.repeat(1 << 20)}`);
    expect(result.unmatched).toBe('path-too-long');
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(250);
  });
});

describe('catalogue.match: results', () => {
  it('returns the same frozen route object as byId', () => {
    const result = catalogue.match('GET', '/mtracking.gif');
    expect(result.route).toBe(catalogue.byId('tracking.pixel'));
    expect(Object.isFrozen(result.route)).toBe(true);
  });

  it('returns the legacy default route from routes and byId, never throwing on odd input', () => {
    const legacy = catalogue.byId('legacy.default');
    expect(legacy).toMatchObject({ id: 'legacy.default', upstream: null, replayable: false, methods: null });
    expect(catalogue.routes.at(-1)).toBe(legacy);
    for (const target of ['%', '/%', '/\u0000', '/\ud800', '/'.repeat(100)]) {
      expect(catalogue.match('GET', target).route).toBe(legacy);
    }
  });
});
