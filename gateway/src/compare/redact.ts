/**
 * Redaction of personal data before a diff is stored (docs/architecture.md §6):
 * emails, IP addresses, names and other fields that identify a person, and
 * tokens (device ids, tracking hashes, session ids, credentials). Errs on the
 * side of hiding: a redacted value still shows where the two sides differ.
 */
import type { Difference } from './types.ts';

/** Field names whose values identify a person or grant access (compared case-insensitively). */
const PERSONAL_KEYS = [
  'email', 'firstname', 'lastname', 'fullname', 'name', 'phone', 'mobile', 'address1', 'address2', 'zipcode',
  'companyname', 'company', 'ip', 'ipaddress', 'ip_address', 'password', 'secret', 'token', '_token', 'authorization',
  'access_token', 'refresh_token', 'client_secret', 'urlemail', 'secrethash',
];
const KEYS = PERSONAL_KEYS.join('|');
const PERSONAL_KEY_RE = new RegExp(`^(?:${KEYS})$`, 'i');

/** The mark that replaces a redacted part. */
export const REDACTED = '[redacted]';

const EMAIL_RE = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const IPV4_RE = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
// Full form, or compressed with `::` next to at least one group; `08:00:00` is a time, not an address.
const IPV6_RE = /(?<![\w:])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:)*[0-9a-f]{0,4}::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?)(?![\w:])/gi;
const CREDENTIAL_RE = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT_RE = /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;
/** Opaque ids of 20+ characters with a letter and a digit: device ids (23), hashes (22), session ids, `ct`. */
const TOKEN_RE = /(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{20,}/g;
/** `"email":"…"` inside JSON text. */
const JSON_FIELD_RE = new RegExp(`("(?:${KEYS})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
/** `email=…`, `mauticform[email]=…` inside a query or form body. */
const QUERY_FIELD_RE = new RegExp(`((?:^|[?&;\\s])(?:[^=&?\\s]*\\[)?(?:${KEYS})\\]?=)(?!")[^&#\\s]*`, 'gi');
/** `<input name="mauticform[email]" … value="…">` in a normalised tag (attributes sorted: name before value). */
const INPUT_VALUE_RE = new RegExp(`(name="[^"]*\\b(?:${KEYS})\\b[^"]*"[^>]*\\bvalue=")[^"]*`, 'gi');

/**
 * Redacts personal data inside free text: structured fields by name, then emails,
 * IPs, credentials and opaque tokens wherever they appear.
 *
 * @example
 * redactText('Preferences for nia@example.com from 203.0.113.9') // 'Preferences for [email] from [ip]'
 */
export function redactText(text: string): string {
  return text
    .replace(JSON_FIELD_RE, `$1"${REDACTED}"`)
    .replace(INPUT_VALUE_RE, `$1${REDACTED}`)
    .replace(QUERY_FIELD_RE, `$1${REDACTED}`)
    .replace(EMAIL_RE, '[email]')
    .replace(CREDENTIAL_RE, `$1 ${REDACTED}`)
    .replace(JWT_RE, '[token]')
    .replace(IPV4_RE, '[ip]')
    .replace(IPV6_RE, (m) => (/[0-9a-f]/i.test(m) ? '[ip]' : m))
    .replace(TOKEN_RE, '[token]');
}

/** The field a difference is about: the last path segment, or the innermost bracket name (`mauticform[email]` → `email`). */
function fieldOf(path: string): string {
  const last = path.slice(path.lastIndexOf('.') + 1);
  const bracket = /\[([^\]]*)\]$/.exec(last);
  return bracket && !/^\d+$/.test(bracket[1]!) ? bracket[1]! : last;
}

/**
 * Cookie values are ids and sessions, whatever their length; `deleted` says what happened and
 * stays. `cookies.<name>.value` holds the value; `cookies.<name>` the whole `Set-Cookie` line.
 */
function redactCookie(path: string, value: string): string {
  if (value === 'deleted') return value;
  if (path.endsWith('.value')) return REDACTED;
  const eq = value.indexOf('=');
  const semi = value.indexOf(';', eq);
  return `${value.slice(0, eq + 1)}${value.startsWith('deleted', eq + 1) ? 'deleted' : REDACTED}${semi < 0 ? '' : value.slice(semi)}`;
}

/** The part a path starts with, kept as is so that an email key does not swallow it. */
const PATH_PART_RE = /^((?:body|cookies|headers|location\.query)\.)?(.*)$/s;

function redactValue(path: string, value: string | null): string | null {
  if (value === null) return null;
  if (PERSONAL_KEY_RE.test(fieldOf(path))) return REDACTED;
  if (path.startsWith('cookies.') && (path.endsWith('.value') || path.split('.').length === 2)) return redactCookie(path, value);
  return redactText(value);
}

/**
 * Redacts one difference: its values (wholly for personal fields and cookie values)
 * and its path (a JSON key can be an email).
 *
 * @example
 * redactDifference({ path: 'body.results.email', legacy: '"a@b.co"', new: '"c@d.co"' })
 * // { path: 'body.results.email', legacy: '[redacted]', new: '[redacted]' }
 */
export function redactDifference(difference: Difference): Difference {
  const [, part = '', rest = ''] = PATH_PART_RE.exec(difference.path) ?? [];
  return {
    path: part + redactText(rest),
    legacy: redactValue(difference.path, difference.legacy),
    new: redactValue(difference.path, difference.new),
  };
}

/**
 * Redacts one response header's value for a stored diff: a `Set-Cookie` keeps its name and
 * attributes, not its value; any other field goes through `redactText`.
 *
 * @example
 * redactHeaderValue('set-cookie', 'mtc_id=42; path=/') // 'mtc_id=[redacted]; path=/'
 */
export function redactHeaderValue(name: string, value: string): string {
  if (name.toLowerCase() === 'set-cookie') return value.includes('=') ? redactCookie(`cookies.${value.slice(0, value.indexOf('='))}`, value) : REDACTED;
  return redactText(value);
}
