/**
 * Stage 4, record: one decision line per request (docs/architecture.md §8, docs/style.md §5)
 * and the counters. Runs when the response is done (or abandoned); never
 * changes what the client got. The query string is never logged: it can hold
 * personal data (emails in form posts, `ct`).
 */
import type { Logger } from '../observability/logger.ts';
import { LOG_LINES } from '../observability/log-lines.ts';
import { jsonString, writeInfoLine } from '../observability/request-line.ts';
import type { Stats } from '../observability/stats.ts';
import type { Decision } from '../model.ts';
import type { SkipReason } from '../compare/types.ts';

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
  /** In shadow mode, what comparing the two answers gave; absent in every other mode. */
  readonly diff?: 'match' | 'mismatch' | 'skipped';
  /** Why the comparison was skipped, when `diff` is `skipped`. */
  readonly diffSkipReason?: SkipReason;
  /** The trace id of the request's server span (pipeline/request-trace.ts); absent without a tracer. */
  readonly traceId?: string | undefined;
}

/** Reasons that mean the new path failed and legacy answered. */
export const FALLBACK_REASONS: ReadonlySet<string> = new Set(['breaker-open', 'fallback-connect-error', 'fallback-replay']);

/** A request the gateway could not serve whole (status ≥ 500, or a response cut): its line is an error, its span too, and its trace is kept. */
export function isFailure(r: RequestRecord): boolean {
  return r.status >= 500 || r.outcome === 'upstream-failed';
}

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
  if (isFailure(r)) logger.error(lineObject(r), LOG_LINES.request);
  else writeInfoLine(logger, lineFields(r), LOG_LINES.request);
}

/** The decision line's fields; the same as `lineFields`, for pino. */
function lineObject(r: RequestRecord): Record<string, unknown> {
  const d = r.decision;
  return {
    requestId: r.requestId, traceId: r.traceId, method: r.method, path: r.path, route: r.route, tenant: r.tenant,
    mode: d?.mode, reason: d?.reason, primary: d?.primary, bucket: d?.bucket, shadow: d?.shadow,
    upstream: r.upstream, status: r.status, durationMs: roundedMs(r.durationMs),
    error: r.error, errorCause: r.errorCause, outcome: r.outcome, bodySkipped: r.bodySkipped || undefined,
    diff: r.diff, diffSkipReason: r.diffSkipReason,
  };
}

/**
 * The decision line's fields, serialised in the order of `lineObject` (undefined ones left out, as pino does).
 * Mode, reason, upstream names and outcome are the gateway's own fixed words and go in unescaped;
 * everything that comes from the request goes through `jsonString`.
 */
function lineFields(r: RequestRecord): string {
  const d = r.decision;
  let s = `,"requestId":${jsonString(r.requestId)}`;
  // A trace id is 32 hex digits (the SDK makes it): no escaping.
  if (r.traceId !== undefined) s += `,"traceId":"${r.traceId}"`;
  s += `,"method":${jsonString(r.method)},"path":${jsonString(r.path)},"route":${jsonString(r.route)},"tenant":${jsonString(r.tenant)}`;
  if (d !== null) {
    s += `,"mode":"${d.mode}","reason":"${d.reason}","primary":"${d.primary}"`;
    if (d.bucket !== undefined) s += `,"bucket":${d.bucket}`;
    if (d.shadow !== undefined) s += `,"shadow":"${d.shadow}"`;
  }
  s += `,"upstream":${jsonString(r.upstream)},"status":${r.status},"durationMs":${roundedMs(r.durationMs)}`;
  if (r.error !== undefined) s += `,"error":${jsonString(r.error)}`;
  if (r.errorCause !== undefined) s += `,"errorCause":${jsonString(r.errorCause)}`;
  s += `,"outcome":"${r.outcome}"`;
  if (r.bodySkipped) s += ',"bodySkipped":true';
  if (r.diff !== undefined) s += `,"diff":"${r.diff}"`;
  if (r.diffSkipReason !== undefined) s += `,"diffSkipReason":"${r.diffSkipReason}"`;
  return s;
}

function roundedMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
