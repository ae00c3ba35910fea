/**
 * The strict reader half of php-serialize.ts: PHP `unserialize` for strings,
 * ints, floats, bools, null and arrays. Objects, enums, references and
 * trailing bytes are refused with a CodecError naming the byte offset.
 */
import { CodecError } from './codec-error.ts';
import { MAX_DEPTH, type PhpArray, type PhpValue } from './php-value.ts';

/**
 * Parses PHP `serialize` output. Accepts a JS string (encoded to UTF-8 first)
 * or raw bytes. Throws CodecError with a byte offset on anything malformed,
 * on objects/enums/references and on trailing bytes.
 *
 * @example
 * unserializePhp('a:2:{i:0;s:5:"email";i:1;i:5;}') // ['email', 5]
 */
export function unserializePhp(input: string | Uint8Array): PhpValue {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const reader = new Reader(bytes);
  const value = reader.value(0);
  if (reader.pos !== bytes.length) {
    throw new CodecError('PHP_UNSERIALIZE_TRAILING', `${bytes.length - reader.pos} unexpected byte(s) after the value`, reader.pos);
  }
  return value;
}

/** A cursor over the bytes; each method reads one production of PHP's grammar. */
class Reader {
  pos = 0;
  private readonly bytes: Buffer;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  value(depth: number): PhpValue {
    const start = this.pos;
    const tag = String.fromCharCode(this.bytes[this.pos] ?? 0);
    if (tag === 'N') { this.expect('N;'); return null; }
    if ('OCEorR'.includes(tag) && this.bytes[this.pos + 1] === 0x3a) {
      throw new CodecError('PHP_UNSERIALIZE_OBJECT', `objects, enums and references ('${tag}:') are refused`, start);
    }
    if (!'bidsa'.includes(tag)) throw this.syntax(`unknown type tag '${tag}'`, start);
    this.pos += 1;
    this.expect(':');
    switch (tag) {
      case 'b': return this.bool();
      case 'i': return this.int(start);
      case 'd': return this.float(start);
      case 's': return this.string();
      case 'a': return this.array(depth, start);
      default: throw this.syntax(`unknown type tag '${tag}'`, start);
    }
  }

  private bool(): boolean {
    const digit = this.bytes[this.pos];
    if (digit !== 0x30 && digit !== 0x31) throw this.syntax('boolean must be 0 or 1', this.pos);
    this.pos += 1;
    this.expect(';');
    return digit === 0x31;
  }

  private int(start: number): number {
    const text = this.until(0x3b);
    if (!/^[+-]?[0-9]+$/.test(text)) throw this.syntax(`bad integer '${text}'`, start);
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new CodecError('PHP_UNSERIALIZE_INT_RANGE', `integer ${text} is outside ±2^53−1`, start);
    return n;
  }

  private float(start: number): number {
    const text = this.until(0x3b);
    if (text === 'INF') return Infinity;
    if (text === '-INF') return -Infinity;
    if (text === 'NAN') return NaN;
    if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) throw this.syntax(`bad float '${text}'`, start);
    return Number(text);
  }

  private string(): string {
    const lengthAt = this.pos;
    const length = this.length(':');
    this.expect('"');
    const end = this.pos + length;
    if (end + 2 > this.bytes.length) throw this.syntax(`string of ${length} bytes runs past the end`, lengthAt);
    const s = this.bytes.toString('utf8', this.pos, end);
    this.pos = end;
    this.expect('";');
    return s;
  }

  private array(depth: number, start: number): PhpValue[] | PhpArray {
    if (depth >= MAX_DEPTH) throw new CodecError('PHP_UNSERIALIZE_TOO_DEEP', `arrays nested deeper than ${MAX_DEPTH}`, start);
    const countAt = this.pos;
    const count = this.length(':');
    // Each entry needs at least 6 bytes ("i:0;N;"), so a huge count is a lie, not a reason to allocate.
    if (count * 6 > this.bytes.length - this.pos) throw this.syntax(`array claims ${count} entries`, countAt);
    this.expect('{');
    const entries: Array<[string | number, PhpValue]> = [];
    for (let i = 0; i < count; i += 1) entries.push([this.key(), this.value(depth + 1)]);
    this.expect('}');
    return toJs(entries);
  }

  private key(): string | number {
    const at = this.pos;
    const tag = this.bytes[this.pos];
    if (tag === 0x69) { this.pos += 1; this.expect(':'); return this.int(at); }
    if (tag === 0x73) { this.pos += 1; this.expect(':'); return this.string(); }
    throw this.syntax('array keys must be i: or s:', at);
  }

  private length(terminator: string): number {
    const at = this.pos;
    const text = this.until(terminator.charCodeAt(0));
    if (!/^[0-9]{1,10}$/.test(text)) throw this.syntax(`bad length '${text}'`, at);
    return Number(text);
  }

  /** Reads up to (and consumes) the terminator byte; returns what came before it. */
  private until(terminator: number): string {
    const end = this.bytes.indexOf(terminator, this.pos);
    if (end < 0) throw this.syntax('unexpected end of input', this.bytes.length);
    const text = this.bytes.toString('latin1', this.pos, end);
    this.pos = end + 1;
    return text;
  }

  private expect(literal: string): void {
    for (let i = 0; i < literal.length; i += 1) {
      if (this.bytes[this.pos + i] !== literal.charCodeAt(i)) {
        throw this.syntax(`expected '${literal}'`, this.pos + i);
      }
    }
    this.pos += literal.length;
  }

  private syntax(message: string, offset: number): CodecError {
    return new CodecError('PHP_UNSERIALIZE_SYNTAX', message, offset);
  }
}

function toJs(entries: Array<[string | number, PhpValue]>): PhpValue[] | PhpArray {
  if (entries.every(([k], i) => k === i)) return entries.map(([, v]) => v);
  const out: PhpArray = {};
  for (const [k, v] of entries) {
    // defineProperty keeps a '__proto__' key an own property instead of a prototype change.
    Object.defineProperty(out, String(k), { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
