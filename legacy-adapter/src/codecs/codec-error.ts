/**
 * The one error type of the codecs. Each failure carries a machine-readable
 * `code` and, for parse errors, the byte `offset` where reading stopped, so a
 * caller can log exactly what was wrong with a cookie, a `ct` or a column.
 */

/** Every code a codec throws. */
export const CODEC_ERROR_CODES = {
  /** The serialized text breaks PHP's grammar (wrong token, bad length, missing `;`). */
  PHP_UNSERIALIZE_SYNTAX: 'PHP_UNSERIALIZE_SYNTAX',
  /** An object (`O:`, `C:`), enum (`E:`) or reference (`r:`, `R:`): the codec never builds them. */
  PHP_UNSERIALIZE_OBJECT: 'PHP_UNSERIALIZE_OBJECT',
  /** Bytes left after the top-level value. */
  PHP_UNSERIALIZE_TRAILING: 'PHP_UNSERIALIZE_TRAILING',
  /** Arrays nested deeper than the reader allows. */
  PHP_UNSERIALIZE_TOO_DEEP: 'PHP_UNSERIALIZE_TOO_DEEP',
  /** An integer outside JavaScript's safe range (±2^53−1). */
  PHP_UNSERIALIZE_INT_RANGE: 'PHP_UNSERIALIZE_INT_RANGE',
  /** A JS value with no PHP serialize form (undefined, function, symbol, class instance). */
  PHP_SERIALIZE_UNSUPPORTED: 'PHP_SERIALIZE_UNSUPPORTED',
  /** `ct` decoded to something that does not start with `a`/`A` (Mautic's InvalidDecodedStringException). */
  CT_NOT_ARRAY: 'CT_NOT_ARRAY',
  /** `ct` contains a serialized object (Mautic's InvalidArgumentException). */
  CT_OBJECT_REJECTED: 'CT_OBJECT_REJECTED',
  /** `ct` starts like an array but is not valid PHP serialize (PHP's unserialize would return false). */
  CT_MALFORMED: 'CT_MALFORMED',
} as const;

/** One of CODEC_ERROR_CODES. */
export type CodecErrorCode = keyof typeof CODEC_ERROR_CODES;

/** A codec failure: `code` for machines, `message` for people, `offset` in bytes when known. */
export class CodecError extends Error {
  readonly code: CodecErrorCode;
  /** Byte offset into the input where the problem was found, or undefined. */
  readonly offset: number | undefined;

  constructor(code: CodecErrorCode, message: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'CodecError';
    this.code = code;
    this.offset = offset;
  }
}

/** True when `err` is a CodecError, optionally with the given code. */
export function isCodecError(err: unknown, code?: CodecErrorCode): err is CodecError {
  return err instanceof CodecError && (code === undefined || err.code === code);
}
