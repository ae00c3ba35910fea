/**
 * JSON body comparison (`comparison.json`): parsed values, object key order
 * ignored, array order kept (docs/mautic/public-http.md §2.7: byte parity with
 * Symfony's escaping flags is not the goal, values are).
 */
import type { JsonComparison, JsonPath } from '../model.ts';
import type { Difference } from './types.ts';

/** Nesting compared value by value; deeper bodies are compared as text. */
const MAX_DEPTH = 64;

/** A JSON time as Mautic writes one: `Y-m-d H:i:s` (UTC). */
const MYSQL_TIME_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

interface Walk {
  readonly rules: JsonComparison;
  readonly out: Difference[];
  tooDeep: boolean;
}

/** Does a path pattern (`errors.*.message`) name these segments? */
export function pathMatches(pattern: JsonPath, segments: readonly string[]): boolean {
  const parts = pattern.split('.');
  return parts.length === segments.length && parts.every((p, i) => p === '*' || p === segments[i]);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Milliseconds since the epoch, or NaN: Unix seconds, ISO 8601, RFC 1123 or `Y-m-d H:i:s` UTC. */
function timeOf(value: unknown): number {
  if (typeof value === 'number') return value * 1000;
  if (typeof value !== 'string') return Number.NaN;
  return Date.parse(MYSQL_TIME_RE.test(value) ? `${value.replace(' ', 'T')}Z` : value);
}

function render(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** True when a tolerance rule covers this pair and the two are within it. */
function withinTolerance(rules: JsonComparison, segments: readonly string[], a: unknown, b: unknown): boolean {
  const number = rules.numbers.find((n) => pathMatches(n.path, segments));
  if (number && typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= number.delta;
  const time = rules.times.find((t) => pathMatches(t.path, segments));
  if (!time) return false;
  const ta = timeOf(a);
  const tb = timeOf(b);
  return Number.isFinite(ta) && Number.isFinite(tb) && Math.abs(ta - tb) <= time.toleranceMs;
}

function walk(w: Walk, a: unknown, b: unknown, segments: string[]): void {
  if (segments.length > MAX_DEPTH) {
    w.tooDeep = true;
    return;
  }
  const path = ['body', ...segments].join('.');
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (a === undefined || b === undefined || ka !== kb) {
    w.out.push({ path, legacy: render(a), new: render(b) });
    return;
  }
  if (w.rules.ignore.some((p) => pathMatches(p, segments))) return;
  if (ka === 'array' || ka === 'object') {
    const oa = a as Record<string, unknown>;
    const ob = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(oa), ...Object.keys(ob)]);
    for (const key of keys) walk(w, Object.hasOwn(oa, key) ? oa[key] : undefined, Object.hasOwn(ob, key) ? ob[key] : undefined, [...segments, key]);
    return;
  }
  if (a !== b && !withinTolerance(w.rules, segments, a, b)) w.out.push({ path, legacy: render(a), new: render(b) });
}

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Compares two JSON bodies. A body that does not parse differs from one that does;
 * two that do not parse are compared as text, whole.
 *
 * @example
 * compareJsonBodies({ ignore: ['id'], numbers: [], times: [] }, '{"success":1,"id":5}', '{"id":6,"success":0}')
 * // [{ path: 'body.success', legacy: '1', new: '0' }]
 */
export function compareJsonBodies(rules: JsonComparison, legacy: string, shadow: string): Difference[] {
  const a = parse(legacy);
  const b = parse(shadow);
  if (!a.ok || !b.ok) {
    if (!a.ok && !b.ok) return legacy === shadow ? [] : [{ path: 'body', legacy, new: shadow }];
    return [{ path: 'body', legacy: a.ok ? 'valid JSON' : 'invalid JSON', new: b.ok ? 'valid JSON' : 'invalid JSON' }];
  }
  const w: Walk = { rules, out: [], tooDeep: false };
  walk(w, a.value, b.value, []);
  if (w.tooDeep && legacy !== shadow) w.out.push({ path: 'body', legacy: `nested deeper than ${MAX_DEPTH} levels`, new: 'not compared value by value; the texts differ' });
  return w.out;
}
