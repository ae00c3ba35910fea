/**
 * The precompiled structure `match()` reads on every request: patterns indexed by
 * their first literal segment, then by segment count, each list sorted most
 * specific first. Built once at start-up; the hot path only reads it.
 */
import { paramAccepts, segmentRank } from './pattern.ts';
import type { ParsedPattern } from './pattern.ts';
import { parseTargetPath } from './request-target.ts';
import { LEGACY_DEFAULT_ROUTE_ID } from './types.ts';
import type { CompiledRoute, RouteMatch, UnmatchedKind } from './types.ts';

/** The route of every request that matches no catalogue entry (CONTEXT.md: Route). */
export const LEGACY_DEFAULT_ROUTE: CompiledRoute = Object.freeze({
  id: LEGACY_DEFAULT_ROUTE_ID,
  area: 'legacy-only',
  methods: null,
  upstream: null,
  replayable: false,
  journeyGroup: LEGACY_DEFAULT_ROUTE_ID,
  paths: Object.freeze([]),
});

/** One pattern of one route, ready for matching. */
export interface CompiledPattern {
  readonly route: CompiledRoute;
  readonly pattern: ParsedPattern;
  /** Allowed methods, or null for any. */
  readonly methods: ReadonlySet<string> | null;
  /** True when a raw `/api` or `/oauth` in the target must send the request to legacy. */
  readonly checkApiMarker: boolean;
}

/** Patterns by first segment (`''` for the root `/`), then by number of segments. */
export type PatternIndex = ReadonlyMap<string, readonly (readonly CompiledPattern[] | undefined)[]>;

const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/** One frozen answer per unmatched kind, so a miss allocates nothing. */
const MISSES = new Map<UnmatchedKind, RouteMatch>();

function miss(kind: UnmatchedKind): RouteMatch {
  let answer = MISSES.get(kind);
  if (answer === undefined) {
    answer = Object.freeze({ route: LEGACY_DEFAULT_ROUTE, params: NO_PARAMS, unmatched: kind });
    MISSES.set(kind, answer);
  }
  return answer;
}

/**
 * Builds the index. Within one (first segment, segment count) bucket patterns are
 * sorted by specificity, segment by segment (`segmentRank`), then by catalogue order.
 */
export function buildPatternIndex(patterns: readonly CompiledPattern[]): PatternIndex {
  const index = new Map<string, CompiledPattern[][]>();
  for (const compiled of patterns) {
    const { segments } = compiled.pattern;
    const first = segments[0];
    const key = first === undefined ? '' : first.kind === 'literal' ? first.value : '';
    const byCount = index.get(key) ?? [];
    index.set(key, byCount);
    (byCount[segments.length] ??= []).push(compiled);
  }
  for (const byCount of index.values()) for (const bucket of byCount) bucket?.sort(compareSpecificity);
  return index;
}

function compareSpecificity(a: CompiledPattern, b: CompiledPattern): number {
  const left = a.pattern.segments;
  const right = b.pattern.segments;
  for (let i = 0; i < left.length; i++) {
    const diff = segmentRank(left[i]!) - segmentRank(right[i]!);
    if (diff !== 0) return diff;
  }
  return 0; // Array.prototype.sort is stable: catalogue order breaks ties.
}

/**
 * Matches a method and raw request-target against the index. Never throws.
 * The most specific matching pattern decides; if its route does not list the
 * method the request goes to legacy (a less specific pattern is never tried, so
 * GET /form/submit can not become a preview of form "submit").
 *
 * @example
 * matchRequest(index, 'GET', '/r/abc?ct=x'); // { route: tracking.click, params: { redirectId: 'abc' } }
 */
export function matchRequest(index: PatternIndex, method: string, rawTarget: string): RouteMatch {
  const segments = parseTargetPath(rawTarget);
  if (typeof segments === 'string') return miss(segments);
  const candidates = index.get(segments.length === 0 ? '' : segments[0]!)?.[segments.length];
  if (candidates === undefined) return miss('no-route');
  for (const candidate of candidates) {
    const params = bindParams(candidate.pattern, segments);
    if (params === null) continue;
    if (candidate.methods !== null && !candidate.methods.has(method)) return miss('method-not-allowed');
    if (candidate.checkApiMarker && hasApiMarker(rawTarget)) return miss('api-marker');
    return { route: candidate.route, params };
  }
  return miss('no-route');
}

/** Params of a matching pattern, or null when a segment does not match. */
function bindParams(pattern: ParsedPattern, segments: readonly string[]): Readonly<Record<string, string>> | null {
  let params: Record<string, string> | null = null;
  const matchers = pattern.segments;
  for (let i = 1; i < matchers.length; i++) {
    const matcher = matchers[i]!;
    const segment = segments[i]!;
    if (matcher.kind === 'literal') {
      if (segment !== matcher.value) return null;
      continue;
    }
    if (!paramAccepts(segment, matcher)) return null;
    params ??= {};
    params[matcher.name] = matcher.suffix === '' ? segment : segment.slice(0, segment.length - matcher.suffix.length);
  }
  return params ?? NO_PARAMS;
}

/**
 * Mautic's RequestHelper::isApiRequest looks for `/api` or `/oauth` anywhere in the
 * raw URI, query included, and then applies the API gates (docs/mautic/public-http.md §1.5).
 */
function hasApiMarker(rawTarget: string): boolean {
  return rawTarget.includes('/api') || rawTarget.includes('/oauth');
}
