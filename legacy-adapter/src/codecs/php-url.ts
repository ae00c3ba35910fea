/**
 * PHP's URL and base64 primitives, byte for byte: `urlencode`, `rawurlencode`,
 * `urldecode` and non-strict `base64_decode`. Mautic builds `ct`, cookie values
 * and redirect Locations with them (docs/mautic/public-http.md §2.2, §2.5, §3.5).
 */

const HEX = '0123456789ABCDEF';

function isAlnum(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

function percentEncode(input: string | Uint8Array, keep: (b: number) => boolean, spaceAsPlus: boolean): string {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let out = '';
  for (const b of bytes) {
    if (keep(b)) out += String.fromCharCode(b);
    else if (spaceAsPlus && b === 0x20) out += '+';
    else out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/**
 * PHP `urlencode`: keeps `A-Za-z0-9-_.`, space → `+`, everything else `%XX`
 * (so `+` → `%2B`, `/` → `%2F`, `=` → `%3D`, `~` → `%7E`).
 *
 * @example
 * phpUrlencode('a b+c=') // 'a+b%2Bc%3D'
 */
export function phpUrlencode(input: string | Uint8Array): string {
  return percentEncode(input, (b) => isAlnum(b) || b === 0x2d || b === 0x5f || b === 0x2e, true);
}

/**
 * PHP `rawurlencode` (RFC 3986): keeps `A-Za-z0-9-_.~`, everything else `%XX`.
 *
 * @example
 * phpRawurlencode('a b') // 'a%20b'
 */
export function phpRawurlencode(input: string | Uint8Array): string {
  return percentEncode(input, (b) => isAlnum(b) || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e, false);
}

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * PHP `urldecode`: `+` → space, `%XX` → that byte; a `%` not followed by two
 * hex digits stays as it is. Returns bytes, because the result need not be UTF-8.
 *
 * @example
 * phpUrldecode('a+b%3D').toString() // 'a b='
 */
export function phpUrldecode(input: string | Uint8Array): Buffer {
  return percentDecode(input, true);
}

/**
 * PHP `rawurldecode`: like urldecode but `+` stays `+` (how Symfony decodes path segments).
 *
 * @example
 * phpRawurldecode('a+b%20c').toString() // 'a+b c'
 */
export function phpRawurldecode(input: string | Uint8Array): Buffer {
  return percentDecode(input, false);
}

function percentDecode(input: string | Uint8Array, plusIsSpace: boolean): Buffer {
  const src = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const out = Buffer.alloc(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i += 1) {
    const b = src[i] as number;
    const hi = b === 0x25 ? hexValue(src[i + 1]) : -1;
    const lo = b === 0x25 ? hexValue(src[i + 2]) : -1;
    if (hi >= 0 && lo >= 0) {
      out[n++] = hi * 16 + lo;
      i += 2;
    } else {
      out[n++] = plusIsSpace && b === 0x2b ? 0x20 : b;
    }
  }
  return out.subarray(0, n);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_REVERSE = new Int8Array(256).fill(-1);
for (let i = 0; i < B64.length; i += 1) B64_REVERSE[B64.charCodeAt(i)] = i;

/**
 * PHP `base64_decode($s)` in its default, non-strict mode: characters outside
 * the alphabet (spaces, `-`, `_`, `=` anywhere) are skipped, a dangling sixth
 * bit group is dropped. Never throws.
 *
 * @example
 * phpBase64Decode('YT o=').toString() // 'a:'
 */
export function phpBase64Decode(input: string | Uint8Array): Buffer {
  const src = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const out = Buffer.alloc(Math.ceil((src.length * 3) / 4));
  let n = 0;
  let group = 0;
  let acc = 0;
  for (const byte of src) {
    const v = B64_REVERSE[byte] as number;
    if (v < 0) continue;
    acc = (acc << 6) | v;
    group += 1;
    if (group === 4) {
      out[n++] = (acc >> 16) & 255;
      out[n++] = (acc >> 8) & 255;
      out[n++] = acc & 255;
      group = 0;
      acc = 0;
    }
  }
  if (group === 2) out[n++] = (acc >> 4) & 255;
  if (group === 3) {
    out[n++] = (acc >> 10) & 255;
    out[n++] = (acc >> 2) & 255;
  }
  return out.subarray(0, n);
}
