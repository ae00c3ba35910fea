/**
 * Turns a raw request-target into decoded path segments, or says why it must go
 * to legacy untouched (routes/README.md, "Matching rules"). Mautic matches routes
 * against the rawurldecoded path (Symfony `UrlMatcher`), so we decode too; any
 * target whose meaning could differ between legacy, the gateway and a new
 * service is refused here and answered by legacy as it always was.
 */
import { MAX_MATCH_PATH_CHARS } from './types.ts';
import type { UnmatchedKind } from './types.ts';

const SLASH = 0x2f;
const PERCENT = 0x25;
const BACKSLASH = 0x5c;
const HASH = 0x23;

/**
 * Splits and decodes the path of a raw request-target (the query is ignored).
 *
 * @param rawTarget - the request-target as received, e.g. `/form/submit?formId=3`.
 * @returns decoded segments after the leading `/` (`[]` for `/`), or the unmatched kind.
 * @example
 * parseTargetPath('/r/abc?ct=x'); // ['r', 'abc']
 * parseTargetPath('/r/a%2Fb');    // 'ambiguous-escape'
 */
export function parseTargetPath(rawTarget: string): readonly string[] | UnmatchedKind {
  if (rawTarget.charCodeAt(0) !== SLASH) return 'not-origin-form';
  const queryAt = rawTarget.indexOf('?');
  const end = queryAt === -1 ? rawTarget.length : queryAt;
  if (end > MAX_MATCH_PATH_CHARS) return 'path-too-long';
  const rawPath = queryAt === -1 ? rawTarget : rawTarget.slice(0, queryAt);
  const scanned = scanRawPath(rawPath);
  if (scanned !== 'plain' && scanned !== 'escaped') return scanned;
  if (rawPath.length === 1) return [];
  if (rawPath.charCodeAt(rawPath.length - 1) === SLASH) return 'trailing-slash';
  const path = scanned === 'escaped' ? decodeUtf8(rawPath) : rawPath;
  if (path === null) return 'invalid-escape';
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') return 'empty-segment';
    if (segment === '.' || segment === '..') return 'dot-segment';
  }
  // Apache answers /index.php/x with a 301 to /x (docs/mautic/public-http.md §1.2): leave it to legacy.
  if (segments[0] === 'index.php') return 'index-php';
  return segments;
}

/**
 * One pass over the raw path: printable ASCII only, no `\` or `#`, every `%`
 * followed by two hex digits that do not encode a separator, `%` or a control.
 */
function scanRawPath(rawPath: string): 'plain' | 'escaped' | UnmatchedKind {
  let escaped = false;
  for (let i = 0; i < rawPath.length; i++) {
    const c = rawPath.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || c === BACKSLASH || c === HASH) return 'invalid-character';
    if (c !== PERCENT) continue;
    const byte = hexByte(rawPath, i + 1);
    if (byte < 0) return 'invalid-escape';
    if (isAmbiguousByte(byte)) return 'ambiguous-escape';
    escaped = true;
    i += 2;
  }
  return escaped ? 'escaped' : 'plain';
}

/** `/`, `\` and `%` change how the path splits or decodes again; controls mean nothing good. */
function isAmbiguousByte(byte: number): boolean {
  return byte === SLASH || byte === BACKSLASH || byte === PERCENT || byte < 0x20 || byte === 0x7f;
}

function hexByte(text: string, at: number): number {
  if (at + 1 >= text.length) return -1;
  const high = hexDigit(text.charCodeAt(at));
  const low = hexDigit(text.charCodeAt(at + 1));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Decodes every escape as UTF-8; null when the bytes are not valid UTF-8. */
function decodeUtf8(rawPath: string): string | null {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return null;
  }
}
