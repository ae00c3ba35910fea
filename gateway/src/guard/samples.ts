/**
 * What one finished request tells the guard (the request record of
 * pipeline/record.ts, read through its own narrow shape so the guard does not
 * depend on the pipeline): a new-path sample, a legacy sample, or nothing.
 */
import type { Decision } from '../model.ts';

/** The fields of a request record the guard reads. */
export interface FinishedRequest {
  readonly route: string | null;
  readonly tenant: string | null;
  readonly decision: Decision | null;
  /** The upstream that answered or failed last: `legacy`, `tracking`, or `<name>:<tenant>` for a tenant's own URL. */
  readonly upstream: string | null;
  readonly status: number;
  readonly durationMs: number;
  readonly outcome: 'complete' | 'client-aborted' | 'upstream-failed';
}

/** A request's meaning for the guard's window. */
export type Sample =
  | { readonly kind: 'new'; readonly failed: boolean; readonly latencyMs?: number }
  | { readonly kind: 'legacy'; readonly latencyMs: number }
  | null;

/**
 * Reasons that mean the new path was meant to answer and did not. `breaker-open` is one: a route
 * whose traffic keeps going to legacy because its upstream is unusable is not served by the new
 * path, and the guard steps it back rather than leave it on fallback (gateway/README.md § The guard).
 */
const NEW_PATH_FAILED = new Set(['breaker-open', 'fallback-connect-error', 'fallback-replay']);

/**
 * Classifies one finished request.
 *
 * - a client that left: nothing (no side is to blame);
 * - a fallback or an open breaker: a failed new-path request, no latency;
 * - answered by the new upstream it was sent to: a new-path request, failed on a status ≥ 500 or a
 *   response cut mid-body, with its latency when it did not fail;
 * - answered completely by legacy as the primary, below 500: a legacy latency sample.
 *
 * @example sampleOf({ route: 'tracking.pixel', tenant: 'default', decision, upstream: 'tracking', status: 500, durationMs: 3, outcome: 'complete' })
 * // { kind: 'new', failed: true }
 */
export function sampleOf(r: FinishedRequest): Sample {
  const d = r.decision;
  if (d === null || r.outcome === 'client-aborted') return null;
  if (NEW_PATH_FAILED.has(d.reason)) return { kind: 'new', failed: true };
  if (d.primary === 'legacy') {
    return isUpstream(r.upstream, 'legacy') && r.outcome === 'complete' && r.status < 500 ? { kind: 'legacy', latencyMs: r.durationMs } : null;
  }
  if (!isUpstream(r.upstream, d.primary)) return null;
  const failed = r.status >= 500 || r.outcome === 'upstream-failed';
  return failed ? { kind: 'new', failed } : { kind: 'new', failed, latencyMs: r.durationMs };
}

/** Whether `name` is upstream `kind` (a tenant's own URL is named `<kind>:<tenant>`). */
function isUpstream(name: string | null, kind: string): boolean {
  return name !== null && (name === kind || (name.length > kind.length && name.startsWith(kind) && name.charCodeAt(kind.length) === 58));
}
