/**
 * Differences between two token or line sequences, and between two byte
 * strings: the changed middle once the common start and end are set aside. One
 * difference per body, in linear time (no edit-distance search on the shadow path).
 */
import type { Difference } from './types.ts';

/** Tokens shown on each side of a sequence difference. */
const SHOWN_TOKENS = 20;
/** Bytes shown, in hex, from the first differing offset. */
const SHOWN_BYTES = 16;

function excerpt(items: readonly string[], from: number, to: number, separator: string): string | null {
  if (to <= from) return null;
  const shown = items.slice(from, Math.min(to, from + SHOWN_TOKENS)).join(separator);
  return to - from > SHOWN_TOKENS ? `${shown}${separator}…` : shown;
}

/**
 * The changed middle of two sequences, as one difference at the index of its first
 * item (`body.html[12]`), or none when they are equal.
 *
 * @param label - the path before the index, e.g. `body.html`.
 * @param base - the index of the first item, 0 for tokens, 1 for lines.
 * @example
 * compareSequences('body.text', ['a', 'b', 'c'], ['a', 'x', 'c'], '\n', 1) // [{ path: 'body.text[2]', legacy: 'b', new: 'x' }]
 */
export function compareSequences(label: string, a: readonly string[], b: readonly string[], separator: string, base: number): Difference[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  if (start === a.length && start === b.length) return [];
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  return [{ path: `${label}[${start + base}]`, legacy: excerpt(a, start, endA, separator), new: excerpt(b, start, endB, separator) }];
}

/**
 * Byte-for-byte comparison: the first differing offset with the bytes from there in hex,
 * and the lengths when they differ.
 *
 * @example
 * compareBytes(Buffer.from('GIF89a'), Buffer.from('GIF87a')) // [{ path: 'body.bytes[4]', legacy: '3961', new: '3761' }]
 */
export function compareBytes(a: Buffer, b: Buffer): Difference[] {
  if (a.equals(b)) return [];
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at += 1;
  const hex = (buf: Buffer): string | null => (at >= buf.length ? null : buf.subarray(at, at + SHOWN_BYTES).toString('hex'));
  const differences: Difference[] = [{ path: `body.bytes[${at}]`, legacy: hex(a), new: hex(b) }];
  if (a.length !== b.length) differences.push({ path: 'body.length', legacy: String(a.length), new: String(b.length) });
  return differences;
}
