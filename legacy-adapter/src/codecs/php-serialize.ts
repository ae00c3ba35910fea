/**
 * PHP `serialize()` / `unserialize()` for the values Mautic stores in its
 * `(DC2Type:array)` columns and in `ct` (docs/mautic/public-http.md §2.5, §9):
 * strings, ints, floats, bools, null and nested arrays. Objects, enums and
 * references are refused, never built. String lengths are UTF-8 byte counts,
 * as in PHP.
 *
 * JS shape of a PHP array: a list (keys 0…n−1 in order) becomes an Array;
 * anything else a plain object. JS orders integer-like object keys first, so
 * when byte equality with mixed keys matters, serialize a `Map` instead.
 * The strict reader is in php-unserialize.ts (re-exported here); the value
 * types in php-value.ts (re-exported too).
 */
import { CodecError } from './codec-error.ts';
import { phpFloatToString } from './php-float.ts';
import { MAX_DEPTH } from './php-value.ts';

export type { PhpArray, PhpValue } from './php-value.ts';

const CANONICAL_INT = /^(0|-?[1-9][0-9]*)$/;

/**
 * Serializes a JS value the way PHP's `serialize` would serialize its PHP twin.
 * Integers (safe range) become `i:`, other numbers `d:`, bigint `i:`.
 *
 * @example
 * serializePhp({ email: 5 }) // 'a:1:{s:5:"email";i:5;}'
 */
export function serializePhp(value: unknown): string {
  return writeValue(value, 0);
}

function writeValue(value: unknown, depth: number): string {
  if (value === null) return 'N;';
  switch (typeof value) {
    case 'boolean': return value ? 'b:1;' : 'b:0;';
    case 'bigint': return `i:${value};`;
    case 'number': return Number.isSafeInteger(value) && !Object.is(value, -0) ? `i:${value};` : `d:${phpFloatToString(value)};`;
    case 'string': return writeString(value);
    case 'object': return writeArray(value as object, depth);
    default: throw new CodecError('PHP_SERIALIZE_UNSUPPORTED', `PHP serialize has no form for a ${typeof value}`);
  }
}

function writeString(s: string): string {
  return `s:${Buffer.byteLength(s, 'utf8')}:"${s}";`;
}

function writeKey(key: string | number): string {
  if (typeof key === 'number') {
    if (!Number.isSafeInteger(key)) throw new CodecError('PHP_SERIALIZE_UNSUPPORTED', `array key ${key} is not an integer`);
    return `i:${key};`;
  }
  // PHP turns decimal-integer string keys into int keys.
  return CANONICAL_INT.test(key) && Number.isSafeInteger(Number(key)) ? `i:${key};` : writeString(key);
}

function writeArray(value: object, depth: number): string {
  if (depth >= MAX_DEPTH) throw new CodecError('PHP_SERIALIZE_UNSUPPORTED', `arrays nested deeper than ${MAX_DEPTH}`);
  const entries = arrayEntries(value);
  const body = entries.map(([k, v]) => writeKey(k) + writeValue(v, depth + 1)).join('');
  return `a:${entries.length}:{${body}}`;
}

function arrayEntries(value: object): Array<[string | number, unknown]> {
  if (Array.isArray(value)) return Array.from(value, (v, i) => [i, v ?? null]);
  if (value instanceof Map) {
    return [...value.entries()].map(([k, v]) => {
      if (typeof k !== 'string' && typeof k !== 'number') {
        throw new CodecError('PHP_SERIALIZE_UNSUPPORTED', 'Map keys must be strings or numbers');
      }
      return [k, v];
    });
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new CodecError('PHP_SERIALIZE_UNSUPPORTED', `cannot serialize an instance of ${proto?.constructor?.name ?? 'a class'}`);
  }
  return Object.entries(value);
}

export { unserializePhp } from './php-unserialize.ts';
