/**
 * Comparison rules shared by the routes of tracking.ts, forms.ts and sending.ts
 * (routes/README.md, "Comparison rules"). Data only. What is volatile comes from
 * docs/mautic/public-http.md: device ids and contact ids made per request (§2.1,
 * §2.2), hit ids (§2.2), session ids (§1.3), CSRF tokens (§3.8). A rule here
 * names a field that differs between two correct answers, never one that a bug
 * could change on one side only.
 */
import type { ComparisonRules, CookieComparison, JsonComparison } from '../gateway/src/model.ts';

/**
 * `mautic_device_id` (a random id for each device made), `mtc_id` (a contact the dry run creates gets
 * another id than the one legacy committed) and `mautic_referer_id` (the hit id) (§2.2). One
 * minute of `expires` apart covers a shadow answer that comes later than legacy's.
 */
const TRACKING_COOKIES: CookieComparison = {
  ignoreValueOf: ['mautic_device_id', 'mtc_id', 'mautic_referer_id'],
  expiresToleranceSeconds: 60,
};

/** The tracking cookies and the PHP session cookie, named `md5(md5(config path) . secret)` (§1.3). */
const SESSION_COOKIES: CookieComparison = {
  ignoreValueOf: [...TRACKING_COOKIES.ignoreValueOf, '^[0-9a-f]{32}$'],
  expiresToleranceSeconds: TRACKING_COOKIES.expiresToleranceSeconds,
};

/** Nothing volatile in a JSON body. */
const EXACT_JSON: JsonComparison = { ignore: [], numbers: [], times: [] };

/** `{id, sid, device_id}` of `/mtc/event`, `/mtc` and `/dwc` (§3.3, §3.4, §3.10): contact and device ids. */
const TRACKED_CONTACT_JSON: JsonComparison = { ignore: ['id', 'sid', 'device_id'], numbers: [], times: [] };

/** The CORS fields an XHR gets (§2.3). */
const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-headers',
  'access-control-allow-methods',
  'access-control-allow-credentials',
  'access-control-max-age',
  'vary',
];

/** Every field of the 1×1 GIF's header set (§2.6). */
const GIF_HEADERS = ['content-type', 'content-encoding', 'cache-control', 'expires', 'last-modified', 'pragma'];

/** The base of every rule: nothing volatile but the tracking cookies. */
const BASE: ComparisonRules = {
  headers: ['content-type', 'cache-control'],
  cookies: TRACKING_COOKIES,
  location: { ignoreParams: [] },
  json: EXACT_JSON,
  html: { ignore: [] },
};

/** Pixels: `/mtracking.gif`, `/email/{hash}.gif`, the plugin and Focus pixels (§2.6): the GIF bytes and headers. */
export const PIXEL_RULES: ComparisonRules = { ...BASE, headers: GIF_HEADERS };

/** `/mtc/event`, `/mtc`, `/dwc/{slot}`: JSON with contact and device ids, CORS for XHRs. */
export const TRACKED_CONTACT_RULES: ComparisonRules = { ...BASE, headers: [...BASE.headers, ...CORS_HEADERS], json: TRACKED_CONTACT_JSON };

/** Scripts, pages, redirects and JSON with nothing volatile in the body. */
export const EXACT_RULES: ComparisonRules = BASE;

/**
 * `/mtc.js` (§3.1, §9.2): the body exactly; not `Cache-Control`, which differs between two
 * correct answers by design: Mautic regenerates the script per request (`no-cache, private`),
 * the tracking service builds it once and lets browsers keep it an hour (§9.2's extraction
 * opportunity; extracted-services/tracking/README.md, "Differences from Mautic").
 */
export const SCRIPT_RULES: ComparisonRules = { ...BASE, headers: ['content-type'] };

/** Public JSON answered to XHRs (`/video/hit`, company lookup): exact values, CORS headers. */
export const XHR_JSON_RULES: ComparisonRules = { ...BASE, headers: [...BASE.headers, ...CORS_HEADERS] };

/** `/asset/{slug}`: the file bytes and its download headers (§3.11). */
export const ASSET_RULES: ComparisonRules = { ...BASE, headers: [...BASE.headers, 'content-disposition', 'x-robots-tag'] };

/**
 * Form submissions (§4.2, §4.3): the flash session cookie; in AJAX mode the `download` link
 * carries a `ct` with the contact id the dry run made (its presence is still compared).
 */
export const FORM_SUBMIT_RULES: ComparisonRules = {
  ...XHR_JSON_RULES,
  cookies: SESSION_COOKIES,
  json: { ignore: ['download'], numbers: [], times: [] },
};

/** The sending API (§5.2, §5.3): exact JSON values. */
export const API_RULES: ComparisonRules = BASE;

/**
 * Unsubscribe pages (§3.8): the preference centre's CSRF token (`…[_token]` input) and the
 * session that carries its "saved" flag.
 */
export const UNSUBSCRIBE_RULES: ComparisonRules = {
  ...BASE,
  cookies: SESSION_COOKIES,
  html: { ignore: ['(?<=name="[^"]*\\[_token\\]"[^>]*value=")[^"]+'] },
};
