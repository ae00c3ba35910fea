/**
 * The per-email part of rendering (docs/mautic/public-http.md §5.5 steps 2–3): the
 * tracking pixel is appended, every trackable URL of the HTML and text bodies
 * is found and replaced by a `{trackable=<page_redirects.id>}` token. The
 * result, tokens still in place, is what `email_copies` stores; per-contact
 * values are filled in later by `applyTokens`.
 */

/** Mautic's appended pixel; `{tracking_pixel}` becomes `<site>/email/<hash>.gif`. */
export const TRACKING_PIXEL_TAG = '<img height="1" width="1" src="{tracking_pixel}" alt="" />';

const HREF = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2/gis;
const TEXT_URL = /https?:\/\/[^\s<>"'()[\]{}]+/gi;

/** Appends the pixel before `</body>`, or at the end when there is no body tag (§5.5 step 3). */
export function appendTrackingPixel(html: string): string {
  if (html.trim() === '') return html;
  const close = html.search(/<\/body>/i);
  return close === -1 ? `${html}${TRACKING_PIXEL_TAG}` : `${html.slice(0, close)}${TRACKING_PIXEL_TAG}${html.slice(close)}`;
}

/**
 * Whether a link target becomes a trackable: http(s) URLs only, never a token
 * (`{unsubscribe_url}`…), an anchor, `mailto:`/`tel:`, or one of Mautic's own
 * `/email/…` and `/r/…` URLs on the site.
 */
export function isTrackableUrl(url: string, siteUrl: string): boolean {
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return false;
  const own = `${siteUrl}/`;
  return !(trimmed.startsWith(`${own}email/`) || trimmed.startsWith(`${own}r/`));
}

/** Distinct trackable URLs in order of first appearance, HTML hrefs first, then text URLs. */
export function findTrackableUrls(html: string, text: string, siteUrl: string): string[] {
  const urls = new Set<string>();
  for (const match of html.matchAll(HREF)) {
    const url = (match[3] ?? '').trim();
    if (isTrackableUrl(url, siteUrl)) urls.add(url);
  }
  for (const match of text.matchAll(TEXT_URL)) {
    if (isTrackableUrl(match[0], siteUrl)) urls.add(match[0]);
  }
  return [...urls];
}

/** Replaces every trackable URL by its `{trackable=N}` token; `ids` maps URL → `page_redirects.id`. */
export function tokenizeLinks(html: string, text: string, ids: ReadonlyMap<string, number>): { html: string; text: string } {
  const tokenFor = (url: string) => {
    const id = ids.get(url.trim());
    return id === undefined ? undefined : `{trackable=${id}}`;
  };
  const newHtml = html.replace(HREF, (whole, head: string, quote: string, url: string) => {
    const token = tokenFor(url);
    return token ? `${head}${quote}${token}${quote}` : whole;
  });
  const newText = text.replace(TEXT_URL, (url) => tokenFor(url) ?? url);
  return { html: newHtml, text: newText };
}

/** Replaces `{token}` keys case-insensitively, as Mautic's token replacement does. */
export function applyTokens(content: string, tokens: Readonly<Record<string, string>>): string {
  const lower = new Map(Object.entries(tokens).map(([key, value]) => [key.toLowerCase(), value]));
  if (lower.size === 0) return content;
  return content.replace(/\{[^{}]+\}/g, (token) => lower.get(token.toLowerCase()) ?? token);
}

/** The `{contactfield=alias}` / `{contactfield=alias|default}` tokens used in a text. */
export function findContactFieldTokens(content: string): { token: string; alias: string; fallback: string }[] {
  const found = new Map<string, { token: string; alias: string; fallback: string }>();
  for (const match of content.matchAll(/\{contactfield=([a-z0-9_]+)(?:\|([^}]*))?\}/gi)) {
    found.set(match[0], { token: match[0], alias: (match[1] ?? '').toLowerCase(), fallback: match[2] ?? '' });
  }
  return [...found.values()];
}
