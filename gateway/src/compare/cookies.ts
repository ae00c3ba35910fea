/**
 * `Set-Cookie` comparison (`comparison.cookies`): the set of cookie names, every
 * attribute, and the value unless the rules call it volatile
 * (docs/mautic/public-http.md §2.2 gives the serialised form).
 */
import type { CookieComparison } from '../model.ts';
import { fieldValues } from './header-fields.ts';
import type { Difference } from './types.ts';

/** One parsed `Set-Cookie`: value and attributes by lower-case name (`secure` → ''). */
interface SetCookie {
  /** The field as received. */
  readonly line: string;
  readonly value: string;
  readonly attributes: ReadonlyMap<string, string>;
}

/** Attributes whose value is compared case-insensitively (RFC 6265 §5.2). */
const CASELESS = new Set(['samesite', 'domain']);

/** Parses every `Set-Cookie` field; a later cookie of the same name wins, as in a browser. */
export function parseSetCookies(rawHeaders: readonly string[]): Map<string, SetCookie> {
  const cookies = new Map<string, SetCookie>();
  for (const line of fieldValues(rawHeaders, 'set-cookie')) {
    const [pair = '', ...rest] = line.split(';');
    const eq = pair.indexOf('=');
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    if (name === '') continue;
    const attributes = new Map<string, string>();
    for (const part of rest) {
      const at = part.indexOf('=');
      const key = (at < 0 ? part : part.slice(0, at)).trim().toLowerCase();
      if (key !== '') attributes.set(key, at < 0 ? '' : part.slice(at + 1).trim());
    }
    cookies.set(name, { line, value: eq < 0 ? '' : pair.slice(eq + 1).trim(), attributes });
  }
  return cookies;
}

/** Builds the test for `ignoreValueOf`: exact names, or `^…$` patterns. */
function volatileTest(names: readonly string[]): (name: string) => boolean {
  const exact = new Set(names.filter((n) => !n.startsWith('^')));
  const patterns = names.filter((n) => n.startsWith('^')).map((n) => new RegExp(n));
  return (name) => exact.has(name) || patterns.some((re) => re.test(name));
}

function sameAttribute(key: string, a: string, b: string, toleranceS: number): boolean {
  if (key === 'expires') {
    const ta = Date.parse(a.replace(/-/g, ' '));
    const tb = Date.parse(b.replace(/-/g, ' '));
    if (Number.isFinite(ta) && Number.isFinite(tb)) return Math.abs(ta - tb) <= toleranceS * 1000;
  }
  return CASELESS.has(key) ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function compareOne(name: string, a: SetCookie, b: SetCookie, rules: CookieComparison, volatile: boolean): Difference[] {
  const differences: Difference[] = [];
  if (!volatile && a.value !== b.value) differences.push({ path: `cookies.${name}.value`, legacy: a.value, new: b.value });
  const keys = new Set([...a.attributes.keys(), ...b.attributes.keys()]);
  for (const key of [...keys].sort()) {
    const va = a.attributes.get(key);
    const vb = b.attributes.get(key);
    if (va !== undefined && vb !== undefined && sameAttribute(key, va, vb, rules.expiresToleranceSeconds)) continue;
    differences.push({ path: `cookies.${name}.${key}`, legacy: va ?? null, new: vb ?? null });
  }
  return differences;
}

/**
 * Compares the cookies two responses set.
 *
 * @example
 * compareCookies(rules, ['Set-Cookie', 'mtc_id=5; path=/'], ['Set-Cookie', 'mtc_id=6; path=/; secure'])
 * // with mtc_id volatile: [{ path: 'cookies.mtc_id.secure', legacy: null, new: '' }]
 */
export function compareCookies(rules: CookieComparison, legacy: readonly string[], shadow: readonly string[]): Difference[] {
  const a = parseSetCookies(legacy);
  const b = parseSetCookies(shadow);
  const isVolatile = volatileTest(rules.ignoreValueOf);
  const differences: Difference[] = [];
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const ca = a.get(name);
    const cb = b.get(name);
    if (ca && cb) differences.push(...compareOne(name, ca, cb, rules, isVolatile(name)));
    else differences.push({ path: `cookies.${name}`, legacy: ca?.line ?? null, new: cb?.line ?? null });
  }
  return differences;
}
