/**
 * The `Location` of a click redirect (PublicController::redirectAction,
 * docs/mautic/public-http.md §3.5 steps 2–7), as pure string work.
 */
import { phpUrlencode } from './php-url.ts';
import { httpBuildQuery, parsePhpQuery } from './php-query.ts';
import type { QueryMap } from './php-query.ts';

/** Step 2: decode `&amp;`, `&#38;` and `&#x26;` until none is left. */
export function decodeStoredAmpersands(url: string): string {
  let previous: string;
  let current = url;
  do {
    previous = current;
    current = current.replace(/&amp;|&#38;|&#x26;/gi, '&');
  } while (current !== previous);
  return current;
}

/** Step 3 (UrlHelper::appendQueryToUrl): join with `?` or `&`, before any `#fragment`. */
export function appendQueryToUrl(url: string, query: string): string {
  if (query === '') return url;
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment}`;
}

/** Step 4, asset links: `?ct=` or, when the URL already contains `&`, `&ct=` — Mautic's double-append quirk. */
export function appendAssetClickthrough(url: string, rawCt: string): string {
  return `${url}${url.includes('&') ? '&' : '?'}ct=${rawCt}`;
}

/** Step 4: `{contactfield=alias}` (optionally `|default`) → url-encoded contact value. */
export function replaceContactFieldTokens(url: string, fields: Record<string, unknown>): string {
  return url.replace(/\{contactfield=([a-z0-9_]+)(?:\|([^}]*))?\}/gi, (_, alias: string, fallback: string | undefined) => {
    const value = fields[alias];
    const text = value === null || value === undefined || value === '' ? (fallback ?? '') : String(value);
    return phpUrlencode(text);
  });
}

/**
 * Step 6: add `http://` when there is no scheme (`//…` and `mailto:` kept),
 * `%20` for spaces in the path, and the query re-encoded with PHP's
 * parse_str + http_build_query.
 */
export function sanitizeRedirectUrl(url: string): string {
  let out = url.trim();
  if (!/^[a-z][a-z0-9+.-]*:/i.test(out) && !out.startsWith('//')) out = `http://${out}`;
  const hash = out.indexOf('#');
  const fragment = hash < 0 ? '' : out.slice(hash);
  const beforeHash = hash < 0 ? out : out.slice(0, hash);
  const q = beforeHash.indexOf('?');
  const path = (q < 0 ? beforeHash : beforeHash.slice(0, q)).replace(/ /g, '%20');
  if (q < 0) return path + fragment;
  const query = httpBuildQuery(parsePhpQuery(beforeHash.slice(q + 1)));
  return `${path}${query === '' ? '' : `?${query}`}${fragment}`;
}

/** Step 7: FILTER_VALIDATE_URL, approximated: a parseable URL; http(s) needs a valid host. */
export function isValidRedirectUrl(url: string): boolean {
  if (/[\s<>"\\^`{|}]/.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url.startsWith('//') ? `http:${url}` : url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    // WHATWG URL forgives 'http:///host'; PHP's parser wants the authority right after '//'.
    if (!/^(https?:)?\/\/[^/?#]/i.test(url)) return false;
    return /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/i.test(parsed.hostname);
  }
  return true;
}

/** Inputs of `buildRedirectLocation`. */
export interface RedirectLocationInput {
  /** `page_redirects.url` as stored. */
  storedUrl: string;
  /** The incoming query, `ct` included (5.x forwards it). */
  query: QueryMap;
  /** The raw `ct` value, when the request had one. */
  rawCt?: string;
  /** Contact fields for token replacement; undefined when no hit was recorded. */
  contactFields?: Record<string, unknown>;
}

/**
 * Steps 2–7. Returns the Location, or null when the result is not a valid URL (→ 404).
 *
 * @example
 * buildRedirectLocation({ storedUrl: 'https://some.test.url/asset/1:examplefilejpg', query, rawCt: 'dummy_click_through' })
 * // 'https://some.test.url/asset/1:examplefilejpg?ct=dummy_click_through%3Fct%3Ddummy_click_through'
 */
export function buildRedirectLocation(input: RedirectLocationInput): string | null {
  let url = appendQueryToUrl(decodeStoredAmpersands(input.storedUrl), httpBuildQuery(input.query));
  if (input.contactFields) url = replaceContactFieldTokens(url, input.contactFields);
  if (input.rawCt !== undefined && url.includes('/asset')) url = appendAssetClickthrough(url, input.rawCt);
  url = sanitizeRedirectUrl(url);
  return isValidRedirectUrl(url) ? url : null;
}
