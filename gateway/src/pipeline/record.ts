/**
 * Stage 4, record: one decision line per request (design.md §8, style.md §5)
 * and the counters. Runs when the response is done (or abandoned); never
 * changes what the client got. The query string is never logged: it can hold
 * personal data (emails in form posts, `ct`).
 */
import type { Logger } from '../observability/logger.ts';
import { LOG_LINES } from '../observability/log-lines.ts';
import type { Stats } from '../observability/stats.ts';
import type { Decision } from './types.ts';

/** Status logged for a request whose client went away (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;

/** Everything the decision line holds. */
export interface RequestRecord {
  readonly requestId: string;
  readonly method: string;
  /** The path without its query. */
  readonly path: string;
  /** Route id; null when classify failed. */
  readonly route: string | null;
  readonly tenant: string | null;
  /** Null when the request never got a decision (classify failed). */
  readonly decision: Decision | null;
  /** The upstream that answered or failed last. */
  readonly upstream: string | null;
  /** Status sent, or 499 when the client left first. */
  readonly status: number;
  readonly durationMs: number;
  /** The GW_ERR_* code, when the gateway answered or saw an error. */
  readonly error?: string;
  /** What the upstream failure was (e.g. `ECONNREFUSED 10.0.0.7:80`): logged, never sent to the client. */
  readonly errorCause?: string;
  /** How the response ended: complete, client-aborted, upstream-failed. */
  readonly outcome: 'complete' | 'client-aborted' | 'upstream-failed';
  readonly bodySkipped: boolean;
}

const FALLBACK_REASONS = new Set(['breaker-open', 'fallback-connect-error', 'fallback-replay']);

/**
 * Logs the decision line and updates the counters.
 *
 * @example record(requestRecord, { logger, stats });
 */
export function record(r: RequestRecord, deps: { readonly logger: Logger; readonly stats: Stats }): void {
  const { logger, stats } = deps;
  stats.increment('requests');
  if (r.decision) {
    stats.incrementLabel('reasons', r.decision.reason);
    if (FALLBACK_REASONS.has(r.decision.reason)) stats.incrementLabel('fallbacks', r.decision.reason);
  }
  if (r.error) stats.incrementLabel('errors', r.error);
  if (r.bodySkipped) stats.increment('bodyBufferSkipped');
  if (r.outcome === 'client-aborted') stats.increment('clientAborted');
  if (r.outcome === 'upstream-failed') stats.increment('responseCut');
  const d = r.decision;
  const line = {
    requestId: r.requestId, method: r.method, path: r.path, route: r.route, tenant: r.tenant,
    mode: d?.mode, reason: d?.reason, primary: d?.primary, bucket: d?.bucket, shadow: d?.shadow,
    upstream: r.upstream, status: r.status, durationMs: Math.round(r.durationMs * 1000) / 1000,
    error: r.error, errorCause: r.errorCause, outcome: r.outcome, bodySkipped: r.bodySkipped || undefined,
  };
  if (r.status >= 500 || r.outcome === 'upstream-failed') logger.error(line, LOG_LINES.request);
  else logger.info(line, LOG_LINES.request);
}
