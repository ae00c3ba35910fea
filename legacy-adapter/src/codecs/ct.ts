/**
 * The clickthrough parameter `ct` (docs/mautic/public-http.md §2.5):
 * `urlencode(base64(serialize(array)))`. Decoding rejects exactly what Mautic's
 * ClickthroughHelper rejects, with a coded error instead of an exception class.
 */
import { CodecError, isCodecError } from './codec-error.ts';
import { serializePhp, unserializePhp } from './php-serialize.ts';
import { phpBase64Decode, phpUrldecode, phpUrlencode } from './php-url.ts';

/** Mautic's test for a serialized object anywhere in the string (§2.5 step 5). */
const SERIALIZED_OBJECT = /(^|;|\{|\})O:\+?[0-9]+:"/;

/**
 * Encodes a clickthrough array the way Mautic writes it into email links.
 * Key order is kept, so the §2.5 worked example comes out byte for byte.
 *
 * @example
 * encodeClickthrough({ source: ['email', 5], email: 5, stat: 'abc', lead: '123', channel: { email: 5 } })
 */
export function encodeClickthrough(value: Record<string, unknown>): string {
  return phpUrlencode(Buffer.from(serializePhp(value), 'utf8').toString('base64'));
}

/**
 * Decodes `ct` as Mautic does: url-decode once more (the value is expected
 * after normal query decoding), non-strict base64, empty → `{}`, must start
 * with `a`/`A` (CT_NOT_ARRAY), must not contain a serialized object
 * (CT_OBJECT_REJECTED), then unserialize (CT_MALFORMED when that fails; PHP
 * would return false there).
 *
 * @throws CodecError with code CT_NOT_ARRAY, CT_OBJECT_REJECTED or CT_MALFORMED.
 * @example
 * decodeClickthrough('YTowOnt9') // {}
 */
export function decodeClickthrough(raw: string): Record<string, unknown> {
  const decoded = phpBase64Decode(phpUrldecode(raw));
  if (decoded.length === 0) return {};
  const first = decoded[0];
  if (first !== 0x61 && first !== 0x41) {
    throw new CodecError('CT_NOT_ARRAY', `The string ${preview(decoded)} is not a serialized array.`);
  }
  if (SERIALIZED_OBJECT.test(decoded.toString('latin1'))) {
    throw new CodecError('CT_OBJECT_REJECTED', 'The clickthrough contains a serialized object.');
  }
  try {
    const value = unserializePhp(decoded);
    return Array.isArray(value) ? { ...value } : (value as Record<string, unknown>);
  } catch (err) {
    if (!isCodecError(err)) throw err;
    throw new CodecError('CT_MALFORMED', `The clickthrough is not valid PHP serialize: ${err.message}`);
  }
}

function preview(bytes: Buffer): string {
  const text = bytes.subarray(0, 64).toString('utf8');
  return bytes.length > 64 ? `${text}…` : text;
}
