/**
 * Types of the compiled route catalogue. The catalogue itself is data in
 * `routes/`; `compile.ts` validates it and turns it into a `Catalogue` at
 * start-up, and the classify stage only calls `catalogue.match()`.
 */

import type { Area, ComparisonRules, NewUpstreamName } from '../model.ts';

/** Id of the route every unmatched request belongs to. */
export const LEGACY_DEFAULT_ROUTE_ID = 'legacy.default';

/** One catalogue entry after validation; frozen, read-only on the hot path. */
export interface CompiledRoute {
  /** Stable id, e.g. `tracking.pixel`. */
  readonly id: string;
  readonly area: Area;
  /** Upper-case methods the route answers, or null for any method. */
  readonly methods: readonly string[] | null;
  /** The new upstream this route may move to; null for legacy-only routes. */
  readonly upstream: NewUpstreamName | null;
  /** May a request the new upstream already received be replayed on legacy? (CONTEXT.md: Replayable) */
  readonly replayable: boolean;
  /** Routes of one journey share buckets (docs/architecture.md §3); defaults to the route id. */
  readonly journeyGroup: string;
  /**
   * The path patterns as written in the catalogue; empty for the legacy default route.
   * Optional so hand-made routes in other modules' tests need not spell it out.
   */
  readonly paths?: readonly string[];
  /** How a shadowed request's two responses are compared; absent on legacy-only routes. */
  readonly comparison?: ComparisonRules;
  /** The route's service answers it (RouteEntry.served); absent or false: it stays on legacy. */
  readonly served?: boolean;
  /** The route's service honours the dry run (RouteEntry.dryRun); absent or false: its shadow copies are skipped. */
  readonly dryRun?: boolean;
}

/**
 * Why a request went to the legacy default route (routes/README.md, "Matching rules").
 * - `not-origin-form`: empty target, `*` or absolute-form (`http://host/x`).
 * - `path-too-long`: the path (before `?`) is longer than `MAX_MATCH_PATH_CHARS`.
 * - `invalid-character`: a raw character outside printable ASCII, a `\` or a `#`.
 * - `invalid-escape`: a malformed `%XX` or escapes that are not valid UTF-8.
 * - `ambiguous-escape`: `%2F` (`/`), `%5C` (`\`), `%25` (`%`) or an encoded control character.
 * - `empty-segment`: `//` anywhere in the path.
 * - `trailing-slash`: a path other than `/` that ends in `/`.
 * - `dot-segment`: a `.` or `..` segment, raw or encoded.
 * - `index-php`: the `/index.php` front-controller prefix.
 * - `api-marker`: a non-API route whose raw target contains `/api` or `/oauth`, which Mautic
 *   treats as an API request (docs/mautic/public-http.md §1.5, gateway caveats).
 * - `no-route`: no pattern matched.
 * - `method-not-allowed`: the best-matching pattern's route does not list the method.
 */
export type UnmatchedKind =
  | 'not-origin-form'
  | 'path-too-long'
  | 'invalid-character'
  | 'invalid-escape'
  | 'ambiguous-escape'
  | 'empty-segment'
  | 'trailing-slash'
  | 'dot-segment'
  | 'index-php'
  | 'api-marker'
  | 'no-route'
  | 'method-not-allowed';

/** The result of matching one request. */
export interface RouteMatch {
  readonly route: CompiledRoute;
  /** Path parameters by name, percent-decoded, e.g. `{ redirectId: 'abc' }`. */
  readonly params: Readonly<Record<string, string>>;
  /** Set only on the legacy default route: why nothing matched. */
  readonly unmatched?: UnmatchedKind;
}

/** Longest path (characters before `?`) that is matched at all; longer ones go to legacy. */
export const MAX_MATCH_PATH_CHARS = 8192;

/** The compiled catalogue. */
export interface Catalogue {
  /** Every route in catalogue order, the legacy default route last. */
  readonly routes: readonly CompiledRoute[];
  /** Route by id, or undefined. */
  byId(id: string): CompiledRoute | undefined;
  /**
   * Matches a method and the raw request-target (path and query, as sent).
   * Never throws: anything that matches no route returns the legacy default route.
   */
  match(method: string, rawTarget: string): RouteMatch;
}
