/**
 * The gateway's model: the names every part shares (CONTEXT.md: Mode, Flag,
 * Decision, Reason, Upstream, Area, Route). It imports nothing else of the
 * project, so `routes/`, `config/`, `flags/`, `pipeline/` and the admin API can
 * all depend on it without depending on each other.
 *
 * The upstreams are listed once, in `UPSTREAMS`; every other list of names
 * (areas, config keys, env variables, tenant URL keys, clients per tenant)
 * derives from it. Adding a service: one entry here, plus its own folder.
 */

/**
 * Every upstream the gateway forwards to (CONTEXT.md: Upstream): the tenant's
 * legacy upstream first, then the new ones. `defaultUrl` is where the local
 * stack runs it (docs/architecture.md, ports): the default of
 * `upstreams.<name>.url`, overridden by the env variable `<NAME>_URL`.
 */
export const UPSTREAMS = [
  { name: 'legacy', defaultUrl: 'http://127.0.0.1:8090' },
  { name: 'tracking', defaultUrl: 'http://127.0.0.1:8101' },
  { name: 'forms', defaultUrl: 'http://127.0.0.1:8102' },
  { name: 'sending', defaultUrl: 'http://127.0.0.1:8103' },
] as const;

/** Name of any upstream: `legacy` or a new one. */
export type UpstreamName = (typeof UPSTREAMS)[number]['name'];

/** Names of the new upstreams a route may move to (`tracking`, `forms`, `sending`). */
export type NewUpstreamName = Exclude<UpstreamName, 'legacy'>;

/** Every upstream name, legacy first. */
export const UPSTREAM_NAMES: readonly UpstreamName[] = UPSTREAMS.map((u) => u.name);

/** Every new upstream name, in `UPSTREAMS` order. */
export const NEW_UPSTREAM_NAMES: readonly NewUpstreamName[] = UPSTREAM_NAMES.filter((n): n is NewUpstreamName => n !== 'legacy');

/** The group a route belongs to (CONTEXT.md: Area): one per new upstream, plus `legacy-only`. */
export type Area = NewUpstreamName | 'legacy-only';

/** Every area, in the order the catalogue files are loaded. */
export const AREAS: readonly Area[] = [...NEW_UPSTREAM_NAMES, 'legacy-only'];

/** How a route is served for a tenant (CONTEXT.md: Mode). */
export type Mode = 'legacy' | 'shadow' | 'canary' | 'extracted';

/** Every mode, from the most conservative to the most moved. */
export const MODES: readonly Mode[] = ['legacy', 'shadow', 'canary', 'extracted'];

/** Why a decision or a fallback was taken (CONTEXT.md: Reason). */
export type Reason =
  | 'default'
  | 'flag'
  | 'tenant-override'
  | 'bucket'
  | 'bucket-out'
  | 'no-upstream'
  | 'breaker-open'
  | 'fallback-connect-error'
  | 'fallback-replay'
  | 'guard-rollback';

/** A stored mode for a route: global (tenant null) or for one tenant (CONTEXT.md: Flag). */
export interface Flag {
  readonly routeId: string;
  /** null for the global flag of the route. */
  readonly tenant: string | null;
  readonly mode: Mode;
  /** Canary percent, 0–100 in steps of 0.01; only for mode `canary`. */
  readonly percent?: number;
  /** Present when the guard stepped the route back to this mode (reason `guard-rollback`). */
  readonly setBy?: 'guard';
}

/** What resolve decided for one request (CONTEXT.md: Decision). */
export interface Decision {
  /** The mode that applied to (route, tenant). */
  readonly mode: Mode;
  readonly reason: Reason;
  /** Which upstream is primary: the tenant's legacy or the route's new upstream. */
  readonly primary: UpstreamName;
  /** Canary bucket 0–9999, when one was computed. */
  readonly bucket?: number;
  /** The new upstream to shadow to, in shadow mode. */
  readonly shadow?: NewUpstreamName;
}

/** Every method a catalogue entry may list. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** HTTP methods a catalogue entry may list. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * One catalogue entry as written in `routes/*.ts` (CONTEXT.md: Route; plain
 * data, validated by `routing/compile.ts`; routes/README.md documents every field).
 */
export interface RouteEntry {
  /** Stable id `<area-word>.<name>`, lower-case, e.g. `tracking.pixel`. */
  readonly id: string;
  readonly area: Area;
  /** Upper-case methods, or `'ANY'`. GET routes list HEAD too when HEAD is meant to move. */
  readonly methods: readonly HttpMethod[] | 'ANY';
  /** One or more path patterns (routes/README.md, "Pattern syntax"), e.g. `/r/{redirectId}`. */
  readonly paths: readonly string[];
  /** The new upstream this route may move to; null for legacy-only routes. */
  readonly upstream: NewUpstreamName | null;
  /** May a request the new upstream already received be replayed on legacy? */
  readonly replayable: boolean;
  /** Journey group shared with other routes (docs/architecture.md §3); defaults to the id. */
  readonly journeyGroup?: string;
  /** Mautic route names this entry stands for (docs/mautic/public-http.md §1.4). */
  readonly mauticRoutes: readonly string[];
  /** Section of docs/mautic/public-http.md that describes the handler, e.g. `§3.2`. */
  readonly reference?: string;
  /** How a shadowed request's two responses are compared; every route with an upstream has them. */
  readonly comparison?: ComparisonRules;
  /**
   * The route's service answers it today. Absent: false, and the admin API refuses every mode
   * but legacy for it (412 GW_ERR_ADMIN_ROUTE_NOT_SERVED), so no request goes to a service that
   * would answer 404. Never set on a legacy-only route.
   */
  readonly served?: boolean;
  /**
   * The route's service honours the dry run (docs/architecture.md §5): only such a route is
   * shadowed; a shadow copy of any other is a skipped comparison (`dry-run-unsupported`).
   * Absent: false. Only on a served route.
   */
  readonly dryRun?: boolean;
}

// --- Comparison rules (CONTEXT.md: Comparison rules; docs/architecture.md §6) -------------------
// Data in routes/, validated by routing/comparison-schema.ts, applied by compare/.

/**
 * A JSON path: keys separated by `.`, array indexes as numbers, `*` for any one
 * key or index. `id`, `events.*`, `errors.0.message`.
 */
export type JsonPath = string;

/** A JSON number that may differ by up to `delta` (absolute) and still match. */
export interface NumericTolerance {
  readonly path: JsonPath;
  readonly delta: number;
}

/** A JSON time (ISO 8601, `Y-m-d H:i:s` UTC, or Unix seconds) that may differ by up to `toleranceMs`. */
export interface TimeTolerance {
  readonly path: JsonPath;
  readonly toleranceMs: number;
}

/** How the `Set-Cookie` fields are compared: the set of names and every attribute, always. */
export interface CookieComparison {
  /**
   * Cookies whose value is made per request (a new device id, a hit id): their presence and
   * attributes are compared, not their value. An exact name, or a regular expression written
   * `^…$` (the PHP session cookie is `^[0-9a-f]{32}$`).
   */
  readonly ignoreValueOf: readonly string[];
  /** How far the two `expires` dates may be apart, in seconds (two answers are not made in the same second). */
  readonly expiresToleranceSeconds: number;
}

/** How the `Location` field is compared: origin, path and fragment exactly, the query with PHP's `parse_str` semantics. */
export interface LocationComparison {
  /** Query parameters (top-level names, as PHP names them) whose values are not compared. */
  readonly ignoreParams: readonly string[];
}

/** How a JSON body (`application/json`) is compared: parsed values, key order ignored. */
export interface JsonComparison {
  /** Paths whose value is not compared; its presence and JSON type still are. */
  readonly ignore: readonly JsonPath[];
  readonly numbers: readonly NumericTolerance[];
  readonly times: readonly TimeTolerance[];
}

/** How an HTML body (`text/html`) is compared: normalised whitespace, attribute order, entities. */
export interface HtmlComparison {
  /**
   * Regular expressions run on each normalised token (a tag written `<name a="…" b="…">` with
   * attributes sorted, or a text run with collapsed whitespace); matches become `…` on both sides.
   * For volatile tokens such as CSRF values.
   */
  readonly ignore: readonly string[];
}

/**
 * One route's comparison rules (CONTEXT.md: Comparison rules). The status is always compared;
 * the body is compared by the kind of the legacy response: JSON, HTML, text, or bytes (GIF and
 * anything else).
 */
export interface ComparisonRules {
  /** Lower-case header names compared by value (not `set-cookie` or `location`, which have their own rules). */
  readonly headers: readonly string[];
  readonly cookies: CookieComparison;
  readonly location: LocationComparison;
  readonly json: JsonComparison;
  readonly html: HtmlComparison;
}
