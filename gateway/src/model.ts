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
}
