/**
 * The hit query of PageModel::getHitQuery and its phase-2 cleaning
 * (docs/mautic/public-http.md §2.8, §3.2): GET+POST merged, `page_url` set, UTM
 * keys lifted from the page URL, `ct` decoded; then every value sanitized
 * before the UPDATE.
 */
import { CodecError } from './codec-error.ts';
import { decodeClickthrough } from './ct.ts';
import { phpBase64Decode, phpUrldecode } from './php-url.ts';
import { parsePhpQuery, queryString } from './php-query.ts';
import type { QueryMap } from './php-query.ts';
import { unserializePhp } from './php-serialize.ts';
import { isValidRedirectUrl } from './redirect-location.ts';

/** A hit query value: strings, nested arrays, or the decoded `ct` array. */
export type HitQuery = Map<string | number, unknown>;

/** Values that arrive url-encoded once more than the query itself (§3.2). */
const ONCE_MORE_DECODED = ['page_url', 'page_referrer', 'page_language', 'page_title'];

/** `page_url` of the `d` bundle (base64(serialize(array)), decoded without url-decoding), if any. */
function pageUrlFromBundle(d: string | undefined): string | undefined {
  if (!d) return undefined;
  try {
    const value = unserializePhp(phpBase64Decode(d));
    const url = value && typeof value === 'object' && !Array.isArray(value) ? value.page_url : undefined;
    return typeof url === 'string' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Where the hit's `page_url` comes from when the request has no `page_url` parameter. */
export interface HitQueryOptions {
  /** The Referer header (pixel and `/mtc/event`, after the `d` bundle). */
  referer?: string;
  /** A click: the redirect's stored URL. */
  redirectUrl?: string;
  /** Neither a tracking event nor a click (a 404 hit): the absolute request URI. */
  requestUri?: string;
  /** What `ct` becomes: the decoded array, or `''`/false when it could not be decoded. */
  clickthrough?: Record<string, unknown> | string | false;
}

/** `ct` of the merged query, decoded; `error` holds the CodecError when it is not decodable. */
export function decodeCtParam(merged: QueryMap): { raw?: string; clickthrough?: Record<string, unknown>; error?: CodecError } {
  const raw = queryString(merged, 'ct');
  if (raw === undefined || raw === '') return {};
  try {
    return { raw, clickthrough: decodeClickthrough(raw) };
  } catch (err) {
    if (err instanceof CodecError) return { raw, error: err };
    throw err;
  }
}

/**
 * Builds the hit query (PageModel::getHitQuery / getPageUrl): the merged
 * parameters, values sent url-encoded once more decoded, `page_url` set, UTM
 * keys of the page URL lifted (lower-cased), `ct` replaced by its decoded form.
 */
export function buildHitQuery(merged: QueryMap, options: HitQueryOptions = {}): HitQuery {
  const query: HitQuery = new Map(merged);
  for (const key of ONCE_MORE_DECODED) {
    const v = queryString(merged, key);
    if (v !== undefined && v.includes('%')) query.set(key, new TextDecoder().decode(phpUrldecode(v)));
  }
  const fromParam = query.get('page_url');
  const pageUrl = (typeof fromParam === 'string' && fromParam !== '' ? fromParam : undefined) ?? options.redirectUrl ??
    options.requestUri ?? pageUrlFromBundle(queryString(merged, 'd')) ?? options.referer ?? '';
  query.set('page_url', pageUrl);
  const q = pageUrl.indexOf('?');
  if (q >= 0) {
    for (const [key, value] of parsePhpQuery(pageUrl.slice(q + 1).split('#')[0] ?? '')) {
      const lower = String(key).toLowerCase();
      if (lower.includes('utm_')) query.set(lower, value);
    }
  }
  if (options.clickthrough !== undefined && queryString(merged, 'ct')) query.set('ct', options.clickthrough);
  return query;
}

/** PHP strip_tags, roughly: tags, comments and a dangling `<tag` are removed. */
export function stripTags(s: string): string {
  return s.replace(/<!--[\s\S]*?(-->|$)/g, '').replace(/<(?=[a-zA-Z/!?])[^>]*(>|$)/g, '');
}

/** InputHelper::clean: tags stripped, `&"'<>` and control characters as `&#NN;`, trimmed. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is encoded here
  return stripTags(s).replace(/[&"'<>\u0000-\u001f]/g, (ch) => `&#${ch.charCodeAt(0)};`).trim();
}

/** InputHelper::url: FILTER_SANITIZE_URL keeps only the characters a URL may hold. */
export function cleanUrl(s: string): string {
  return s.replace(/[^A-Za-z0-9$\-_.+!*'(),{}|\\^~[\]`<>#%";/?:@&=]/g, '');
}

function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') return isValidRedirectUrl(value) && /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? cleanUrl(value) : cleanText(value);
  if (value instanceof Map) return cleanHitQuery(value as HitQuery);
  if (value && typeof value === 'object') return cleanHitQuery(new Map(Object.entries(value)));
  return value;
}

/** PageModel::cleanQuery: URL values through cleanUrl, everything else through cleanText, recursively. */
export function cleanHitQuery(query: HitQuery): HitQuery {
  const out: HitQuery = new Map();
  for (const [k, v] of query) out.set(k, cleanValue(v));
  return out;
}
