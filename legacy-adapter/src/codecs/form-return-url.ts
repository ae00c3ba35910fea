/**
 * The return URL of a classic form POST (docs/mautic/public-http.md §4.2 "Return
 * URL"): `mauticform[return]`, else the Referer, cleaned the way Mautic does
 * before it appends `mauticError` / `mauticMessage`.
 */

const ALLOWED_SCHEMES = new Set(['http', 'https', 'ftp']);
const DROPPED_KEYS = new Set(['mauticError', 'mauticMessage']);

/** Removes `mauticError` and `mauticMessage` from a query string, keeping the other pairs as written. */
function dropMauticKeys(query: string): string {
  return query
    .split('&')
    .filter((pair) => {
      if (pair === '') return false;
      const key = pair.split('=')[0] ?? '';
      let decoded = key;
      try {
        decoded = decodeURIComponent(key.replace(/\+/g, ' '));
      } catch {
        // A malformed escape is kept verbatim: it cannot be one of our keys.
      }
      return !DROPPED_KEYS.has(decoded);
    })
    .join('&');
}

/**
 * Cleans a return URL: only http/https/ftp schemes survive (any other becomes
 * http, a missing one is added), the `#fragment` is dropped, and so are
 * earlier `mauticError`/`mauticMessage` parameters. Returns '' for a blank input.
 *
 * @example
 * cleanReturnUrl('javascript://x.test/p?mauticError=a&b=1#top') // 'http://x.test/p?b=1'
 */
export function cleanReturnUrl(raw: string | undefined): string {
  const value = (raw ?? '').trim();
  if (value === '') return '';
  const withoutFragment = value.split('#')[0] ?? '';
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(withoutFragment);
  let rest = schemeMatch ? withoutFragment.slice(schemeMatch[0].length) : withoutFragment.replace(/^[a-z][a-z0-9+.-]*:/i, '');
  rest = rest.replace(/^\/+/, '');
  const scheme = schemeMatch && ALLOWED_SCHEMES.has(schemeMatch[1]!.toLowerCase()) ? schemeMatch[1]!.toLowerCase() : 'http';
  const queryAt = rest.indexOf('?');
  if (queryAt === -1) return `${scheme}://${rest}`;
  const query = dropMauticKeys(rest.slice(queryAt + 1));
  return `${scheme}://${rest.slice(0, queryAt)}${query ? `?${query}` : ''}`;
}

/** Appends `key=value` (value already encoded) with `?` or `&` as the URL needs. */
export function appendParam(url: string, key: string, encodedValue: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${key}=${encodedValue}`;
}

const PAGE_LINK = /\{pagelink=(\d{1,10})\}/g;

/** The landing-page ids the `{pagelink=ID}` tokens of a redirect template name, once each. */
export function pageLinkIds(template: string): number[] {
  return [...new Set([...template.matchAll(PAGE_LINK)].map((m) => Number(m[1])))];
}

/**
 * The target of `postAction=redirect` (§4.2): `{pagelink=ID}` becomes the landing page's URL
 * (a page not in `pageUrls` leaves its token as written, as Mautic's page token helper skips
 * pages it cannot load), `{formfield=alias}` the stored result, `{contactfield=alias}` the
 * contact's value ('' for unknown ones). Not reproduced: the other page tokens.
 *
 * @param pageUrls - absolute URL by page id (`landingPageUrls` of data/pages.ts)
 * @example
 * redirectTarget('https://x.test/?e={formfield=email}', { email: 'a@b.c' }, {}) // 'https://x.test/?e=a@b.c'
 */
export function redirectTarget(
  template: string, results: Readonly<Record<string, string>>, contact: Readonly<Record<string, unknown>>, pageUrls: ReadonlyMap<number, string> = new Map(),
): string {
  return template
    .replace(PAGE_LINK, (token, id: string) => pageUrls.get(Number(id)) ?? token)
    .replace(/\{formfield=([a-z0-9_]+)\}/gi, (_m, alias: string) => results[alias.toLowerCase()] ?? '')
    .replace(/\{contactfield=([a-z0-9_]+)\}/gi, (_m, alias: string) => String(contact[alias.toLowerCase()] ?? ''));
}
