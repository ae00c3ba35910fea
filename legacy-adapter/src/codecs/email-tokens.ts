import { encodeClickthrough } from './ct.ts';
import { unsubscribeSecretHash } from './ids.ts';
import { phpRawurlencode, phpUrlencode } from './php-url.ts';
import { findContactFieldTokens } from './email-content.ts';

/**
 * The per-contact tokens of one message (docs/mautic/public-http.md §5.5 step 2):
 * the public URLs that carry the tracking hash, one `/r/` link per trackable
 * with its `ct` (§2.5 shape) and UTM tags, contact fields, and the caller's
 * own tokens. They are stored serialized in `email_stats.tokens` so the web
 * view can re-render the stored copy (§3.7).
 */

/** `emails.utm_tags` keys Mautic uses. */
export interface UtmTags {
  utmSource?: string;
  utmMedium?: string;
  utmCampaign?: string;
  utmContent?: string;
}

/** A trackable link of the email: `page_redirects.id` and its public 25-hex `redirect_id`. */
export interface TrackableLink {
  id: number;
  redirectId: string;
}

/** Everything `buildTokens` needs. */
export interface TokenInput {
  siteUrl: string;
  secretKey: string;
  emailId: number;
  contactId: number;
  /** Contact columns, for `{contactfield=…}`. */
  contactFields: Readonly<Record<string, unknown>>;
  emailAddress: string;
  trackingHash: string;
  /** `ct.source`: `['email', id]` for broadcasts, `['api', 0]` for API sends (§2.5). */
  source: [string, number];
  trackables: readonly TrackableLink[];
  utmTags: UtmTags;
  /** Subject, HTML and text before tokens, to find the `{contactfield=…}` tokens in use. */
  content: string;
  /** Caller tokens, already `{wrapped}`. */
  custom: Readonly<Record<string, string>>;
}

/** Symfony's URL generator leaves these characters readable in path parameters (e.g. the `@` of an address). */
const SYMFONY_DECODED: Record<string, string> = {
  '%40': '@', '%3A': ':', '%3B': ';', '%2C': ',', '%3D': '=', '%2B': '+', '%21': '!', '%2A': '*', '%7C': '|',
};

/** A path parameter encoded the way Symfony's router writes it. */
export function encodePathParam(value: string): string {
  return phpRawurlencode(value).replace(/%(40|3A|3B|2C|3D|2B|21|2A|7C)/g, (code) => SYMFONY_DECODED[code] ?? code);
}

/** `<site>/email/unsubscribe/<hash>/<email>/<hmac>` (§3.8, §5.7). */
export function unsubscribeUrl(siteUrl: string, hash: string, email: string, secretKey: string): string {
  return `${siteUrl}/email/unsubscribe/${hash}/${encodePathParam(email)}/${unsubscribeSecretHash(email, secretKey)}`;
}

/** The query string of UTM tags appended after `ct`, in Mautic's order. */
function utmQuery(tags: UtmTags): string {
  const pairs: [string, string | undefined][] = [
    ['utm_source', tags.utmSource],
    ['utm_medium', tags.utmMedium],
    ['utm_campaign', tags.utmCampaign],
    ['utm_content', tags.utmContent],
  ];
  return pairs
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `&${key}=${phpUrlencode(value!)}`)
    .join('');
}

/** The click-through array of an email link, keys in Mautic's order (§2.5). */
export function emailClickthrough(input: Pick<TokenInput, 'source' | 'emailId' | 'trackingHash' | 'contactId'>): Record<string, unknown> {
  return {
    source: [input.source[0], input.source[1]],
    email: input.emailId,
    stat: input.trackingHash,
    lead: String(input.contactId),
    channel: { email: input.emailId },
  };
}

/**
 * Builds the token map of one message.
 *
 * @example
 * const tokens = buildTokens(input); applyTokens(preparedHtml, tokens)
 */
export function buildTokens(input: TokenInput): Record<string, string> {
  const { siteUrl, trackingHash: hash } = input;
  const tokens: Record<string, string> = {
    '{tracking_pixel}': `${siteUrl}/email/${hash}.gif`,
    '{webview_url}': `${siteUrl}/email/view/${hash}`,
    '{unsubscribe_url}': unsubscribeUrl(siteUrl, hash, input.emailAddress, input.secretKey),
    '{dnc_url}': `${siteUrl}/email/dnc/${hash}/${encodePathParam(input.emailAddress)}/${unsubscribeSecretHash(input.emailAddress, input.secretKey)}`,
  };
  const ct = encodeClickthrough(emailClickthrough(input));
  const utm = utmQuery(input.utmTags);
  for (const link of input.trackables) {
    tokens[`{trackable=${link.id}}`] = `${siteUrl}/r/${link.redirectId}?ct=${ct}${utm}`;
  }
  for (const { token, alias, fallback } of findContactFieldTokens(input.content)) {
    const value = input.contactFields[alias];
    tokens[token] = value === null || value === undefined || value === '' ? fallback : String(value);
  }
  // The tokens Mautic's own listeners produce win over same-named caller tokens.
  return { ...input.custom, ...tokens };
}
