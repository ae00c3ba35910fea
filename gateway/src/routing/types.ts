/**
 * Types of the compiled route catalogue. The catalogue itself is data in
 * `routes/`; `compile.ts` validates it and turns it into a `Catalogue` at
 * start-up, and the classify stage only calls `catalogue.match()`.
 */

/** The group a route belongs to (CONTEXT.md: Area). */
export type Area = 'tracking' | 'forms' | 'sending' | 'legacy-only';

/** Names of the new upstreams a route may move to. */
export type NewUpstreamName = 'tracking' | 'forms' | 'sending';

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
  /** Routes of one journey share buckets (design.md §3); defaults to the route id. */
  readonly journeyGroup: string;
}

/** The result of matching one request. */
export interface RouteMatch {
  readonly route: CompiledRoute;
  /** Path parameters by name, percent-decoded, e.g. `{ redirectId: 'abc' }`. */
  readonly params: Readonly<Record<string, string>>;
}

/** The compiled catalogue. */
export interface Catalogue {
  readonly routes: readonly CompiledRoute[];
  /** Route by id, or undefined. */
  byId(id: string): CompiledRoute | undefined;
  /**
   * Matches a method and the raw request-target (path and query, as sent).
   * Never throws: anything that matches no route returns the legacy default route.
   */
  match(method: string, rawTarget: string): RouteMatch;
}
