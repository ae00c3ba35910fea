/**
 * The metrics, the migration progress and the trace of a finished
 * request, from its record (the decision line is record.ts's). Runs after the
 * response, like record; never changes it.
 */
import type { GatewayMetrics } from '../observability/metrics.ts';
import type { ProgressBook } from '../observability/progress.ts';
import { FALLBACK_REASONS, type RequestRecord } from './record.ts';
import type { RequestTrace } from './request-trace.ts';

/** What observe feeds; each part is optional. */
export interface ObserveDeps {
  readonly metrics?: GatewayMetrics | undefined;
  readonly progress?: ProgressBook | undefined;
}

/** Label value of a field the record does not have (a request refused before its route was known). */
const NONE = 'none';

/**
 * Feeds the metrics and the progress book, then ends the trace.
 *
 * @example observe(run, deps, rt);
 */
export function observe(r: RequestRecord, deps: ObserveDeps, rt: RequestTrace | undefined, spanEndTime?: number): void {
  const { metrics, progress } = deps;
  const d = r.decision;
  const route = r.route ?? NONE;
  metrics?.observeRequest(route, r.upstream ?? NONE, d?.mode ?? NONE, r.durationMs / 1000, r.error);
  if (d !== null && r.tenant !== null) {
    const fellBack = FALLBACK_REASONS.has(d.reason);
    if (fellBack) metrics?.observeFallback(route, d.reason);
    // After a fallback the final decision's primary is legacy; an error answered by the new path still counts as the new path's.
    const answeredByNew = d.primary !== 'legacy' && r.upstream !== null;
    metrics?.observeProgress(r.tenant, route, answeredByNew, fellBack);
    progress?.count(r.tenant, route, answeredByNew, fellBack);
  }
  rt?.end(r, spanEndTime);
}
