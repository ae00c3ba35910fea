/**
 * Reading header fields from raw headers, and comparing the ones a route lists
 * (`comparison.headers`).
 */
import type { Difference } from './types.ts';

/**
 * Every value of one field, in order.
 *
 * @param name - lower-case field name.
 * @example
 * fieldValues(['Set-Cookie', 'a=1', 'set-cookie', 'b=2'], 'set-cookie') // ['a=1', 'b=2']
 */
export function fieldValues(rawHeaders: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === name) values.push(rawHeaders[i + 1]!.trim());
  }
  return values;
}

/** The field's values joined as one (RFC 9110 §5.3), or null when it is absent. */
export function fieldValue(rawHeaders: readonly string[], name: string): string | null {
  const values = fieldValues(rawHeaders, name);
  return values.length === 0 ? null : values.join(', ');
}

/**
 * Compares the listed fields by value; a field absent on both sides is equal.
 *
 * @example
 * compareFields(['content-type'], ['Content-Type', 'image/gif'], ['content-type', 'text/html'])
 * // [{ path: 'headers.content-type', legacy: 'image/gif', new: 'text/html' }]
 */
export function compareFields(names: readonly string[], legacy: readonly string[], shadow: readonly string[]): Difference[] {
  const differences: Difference[] = [];
  for (const name of names) {
    const a = fieldValue(legacy, name);
    const b = fieldValue(shadow, name);
    if (a !== b) differences.push({ path: `headers.${name}`, legacy: a, new: b });
  }
  return differences;
}
