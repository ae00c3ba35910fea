/**
 * `Location` comparison (`comparison.location`): origin, path and fragment
 * exactly; the query as PHP reads it (`parse_str`: `a.b` is `a_b`, later keys win,
 * order does not matter), because Mautic rebuilds redirect queries with
 * `parse_str` + `http_build_query` (docs/mautic/public-http.md §3.5 step 6).
 */
import { parsePhpQuery, type QueryMap } from '../../../legacy-adapter/src/codecs/php-query.ts';
import type { LocationComparison } from '../model.ts';
import { fieldValue } from './header-fields.ts';
import type { Difference } from './types.ts';

/** A Location split into the parts that are compared. */
interface LocationParts {
  /** Scheme and authority, lower-case; '' for a relative reference. */
  readonly origin: string;
  readonly path: string;
  /** Flattened parameters: `c[0]` → value, with the top-level name for the ignore list. */
  readonly query: ReadonlyMap<string, { readonly top: string; readonly value: string }>;
  readonly fragment: string | null;
}

const ORIGIN_RE = /^([A-Za-z][A-Za-z0-9+.-]*:)?(\/\/[^/?#]*)?/;

function flatten(map: QueryMap, prefix: string | null, top: string | null, out: Map<string, { top: string; value: string }>): void {
  for (const [key, value] of map) {
    const name = prefix === null ? String(key) : `${prefix}[${key}]`;
    const topName = top ?? String(key);
    if (value instanceof Map) flatten(value, name, topName, out);
    else out.set(name, { top: topName, value });
  }
}

function splitLocation(raw: string): LocationParts {
  const hash = raw.indexOf('#');
  const beforeHash = hash < 0 ? raw : raw.slice(0, hash);
  const mark = beforeHash.indexOf('?');
  const base = mark < 0 ? beforeHash : beforeHash.slice(0, mark);
  const origin = ORIGIN_RE.exec(base)?.[0] ?? '';
  const query = new Map<string, { top: string; value: string }>();
  if (mark >= 0) flatten(parsePhpQuery(beforeHash.slice(mark + 1)), null, null, query);
  return { origin: origin.toLowerCase(), path: base.slice(origin.length), query, fragment: hash < 0 ? null : raw.slice(hash + 1) };
}

function compareQueries(a: LocationParts['query'], b: LocationParts['query'], ignored: ReadonlySet<string>): Difference[] {
  const differences: Difference[] = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const pa = a.get(name);
    const pb = b.get(name);
    if (ignored.has((pa ?? pb)!.top) && pa && pb) continue;
    if (pa?.value !== pb?.value) differences.push({ path: `location.query.${name}`, legacy: pa?.value ?? null, new: pb?.value ?? null });
  }
  return differences;
}

/**
 * Compares the `Location` fields of two responses; absent on both sides is equal.
 * An ignored parameter must still be present on both sides.
 *
 * @example
 * compareLocations({ ignoreParams: ['ct'] }, ['Location', '/r?a=1&ct=x'], ['Location', '/r?ct=y&a=1']) // []
 */
export function compareLocations(rules: LocationComparison, legacy: readonly string[], shadow: readonly string[]): Difference[] {
  const la = fieldValue(legacy, 'location');
  const lb = fieldValue(shadow, 'location');
  if (la === lb) return [];
  if (la === null || lb === null) return [{ path: 'location', legacy: la, new: lb }];
  const a = splitLocation(la);
  const b = splitLocation(lb);
  const differences: Difference[] = [];
  if (a.origin !== b.origin) differences.push({ path: 'location.origin', legacy: a.origin, new: b.origin });
  if (a.path !== b.path) differences.push({ path: 'location.path', legacy: a.path, new: b.path });
  differences.push(...compareQueries(a.query, b.query, new Set(rules.ignoreParams)));
  if (a.fragment !== b.fragment) differences.push({ path: 'location.fragment', legacy: a.fragment, new: b.fragment });
  return differences;
}
