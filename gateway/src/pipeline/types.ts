/**
 * Values passed between the pipeline stages (classify → resolve → dispatch → record).
 * Each stage is a function over these plain values; the order lives in pipeline.ts only.
 */
import type { NewUpstreamName } from '../routing/types.ts';

/** How a route is served for a tenant (CONTEXT.md: Mode). */
export type Mode = 'legacy' | 'shadow' | 'canary' | 'extracted';

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
  readonly primary: 'legacy' | NewUpstreamName;
  /** Canary bucket 0–9999, when one was computed. */
  readonly bucket?: number;
  /** The new upstream to shadow to, in shadow mode. */
  readonly shadow?: NewUpstreamName;
}
