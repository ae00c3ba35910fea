/**
 * PHP's query-string semantics: `parse_str` / `$_GET` parsing (bracket keys,
 * `.` and space in names → `_`, later keys win) and `http_build_query`.
 * Mautic appends the incoming query to redirect targets with them and stores
 * hit queries built from them (docs/mautic/public-http.md §3.2, §3.5).
 *
 * Parsed queries are Maps so key order survives even for integer-like keys.
 */
import { phpUrldecode, phpUrlencode } from './php-url.ts';

/** A parsed value: a string, or a nested array from `a[b]=…` / `a[]=…`. */
export type QueryValue = string | QueryMap;
/** A parsed query, keys in arrival order (integer-like keys are numbers, as in PHP). */
export type QueryMap = Map<string | number, QueryValue>;

/** PHP's default `max_input_nesting_level`. */
const MAX_NESTING = 64;
/** PHP's default `max_input_vars`: later pairs are dropped. */
const MAX_VARS = 1000;

const textDecoder = new TextDecoder('utf-8', { fatal: false });

/** Decodes bytes as UTF-8; invalid sequences become U+FFFD instead of failing. */
function decodeText(raw: string): string {
  return textDecoder.decode(phpUrldecode(raw));
}

function phpKey(key: string): string | number {
  return /^(0|-?[1-9][0-9]*)$/.test(key) && Number.isSafeInteger(Number(key)) ? Number(key) : key;
}

function nextIndex(map: QueryMap): number {
  let next = 0;
  for (const k of map.keys()) if (typeof k === 'number' && k >= next) next = k + 1;
  return next;
}

/** Splits `a[b][]` into the base name and the bracket indexes, applying PHP's renaming rules. */
function splitName(rawName: string): { base: string; indexes: Array<string | null> } {
  const name = rawName.replace(/^ +/, '');
  const open = name.indexOf('[');
  const fix = (s: string): string => s.replace(/[ .]/g, '_');
  if (open < 0) return { base: fix(name), indexes: [] };
  const indexes: Array<string | null> = [];
  let rest = name.slice(open);
  while (rest.startsWith('[') && indexes.length < MAX_NESTING) {
    const close = rest.indexOf(']');
    if (close < 0) {
      // PHP: an unterminated first bracket is not an index; '[' becomes '_'.
      if (indexes.length === 0) return { base: fix(name.slice(0, open)) + '_' + rest.slice(1).replace(/[ .[]/g, '_'), indexes: [] };
      break;
    }
    const index = rest.slice(1, close);
    indexes.push(index === '' ? null : index);
    rest = rest.slice(close + 1);
  }
  return { base: fix(name.slice(0, open)), indexes };
}

function assign(target: QueryMap, base: string, indexes: Array<string | null>, value: string): void {
  let map = target;
  let key: string | number = phpKey(base);
  for (const index of indexes) {
    let child = map.get(key);
    if (!(child instanceof Map)) {
      child = new Map();
      map.set(key, child);
    }
    map = child;
    key = index === null ? nextIndex(map) : phpKey(index);
  }
  map.set(key, value);
}

/**
 * Parses a raw query string (or form body) like PHP fills `$_GET`.
 *
 * @example
 * parsePhpQuery('a.b=1&c[]=x&c[]=y') // Map { 'a_b' => '1', 'c' => Map { 0 => 'x', 1 => 'y' } }
 */
export function parsePhpQuery(raw: string): QueryMap {
  const result: QueryMap = new Map();
  let count = 0;
  for (const pair of raw.split('&')) {
    if (pair === '' || count >= MAX_VARS) continue;
    const eq = pair.indexOf('=');
    const name = decodeText(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeText(pair.slice(eq + 1));
    const { base, indexes } = splitName(name);
    if (base === '') continue;
    assign(result, base, indexes, value);
    count += 1;
  }
  return result;
}

/**
 * PHP `array_merge($a, $b)`: string keys of `b` overwrite, integer keys are appended and renumbered.
 */
export function mergePhpArrays(a: QueryMap, b: QueryMap): QueryMap {
  const out: QueryMap = new Map();
  let next = 0;
  for (const source of [a, b]) {
    for (const [k, v] of source) {
      if (typeof k === 'number') out.set(next++, v);
      else out.set(k, v);
    }
  }
  return out;
}

/** The string value of a top-level key, or undefined when absent or an array. */
export function queryString(query: QueryMap, key: string): string | undefined {
  const value = query.get(key);
  return typeof value === 'string' ? value : undefined;
}

/**
 * PHP `http_build_query($query)` with the default `&` separator and
 * urlencode (spaces as `+`).
 *
 * @example
 * httpBuildQuery(new Map([['a b', 'c d'], ['x', new Map([[0, '1']])]])) // 'a+b=c+d&x%5B0%5D=1'
 */
export function httpBuildQuery(query: QueryMap): string {
  const parts: string[] = [];
  const walk = (map: QueryMap, prefix: string | null): void => {
    for (const [k, v] of map) {
      const name = prefix === null ? String(k) : `${prefix}[${k}]`;
      if (v instanceof Map) walk(v, name);
      else parts.push(`${phpUrlencode(name)}=${phpUrlencode(v)}`);
    }
  };
  walk(query, null);
  return parts.join('&');
}

/** Converts a parsed query to plain JS (objects and strings), e.g. for JSON or tests. */
export function queryToObject(query: QueryMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of query) {
    Object.defineProperty(out, String(k), { value: v instanceof Map ? queryToObject(v) : v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
