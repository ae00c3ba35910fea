/**
 * The one list of the request record's fields (docs/style.md §2, record): for
 * each, whether it is in the decision line, which span attribute carries it
 * and whether it is a label of the request metrics. The log line
 * (record.ts), the server span's attributes and the metrics labels all derive
 * from this list; record-fields.test.ts checks each of them against it.
 */
import type { Attributes } from '@opentelemetry/api';
import { FALLBACK_REASONS, isFailure, type RequestRecord } from './record.ts';

/** One field of the record. */
export interface RecordField {
  /** Key in the decision line; null when the field is not logged. */
  readonly log: string | null;
  /** Span attribute; null when the field is not on the span. */
  readonly span: string | null;
  /** A label of `strangler_requests_total` and the latency histogram. */
  readonly metricLabel: boolean;
  /** The value, undefined when the record has none. */
  readonly value: (r: RequestRecord) => string | number | boolean | null | undefined;
}

const field = (log: string | null, span: string | null, value: RecordField['value'], metricLabel = false): RecordField => ({ log, span, value, metricLabel });

/** Every field, in the order of the decision line. */
export const RECORD_FIELDS: readonly RecordField[] = [
  field('requestId', null, (r) => r.requestId),
  field('traceId', null, (r) => r.traceId),
  field('method', 'http.request.method', (r) => r.method),
  field('path', 'url.path', (r) => r.path),
  field('route', 'strangler.route', (r) => r.route, true),
  field('tenant', 'strangler.tenant', (r) => r.tenant),
  field('mode', 'strangler.mode', (r) => r.decision?.mode, true),
  field('reason', 'strangler.reason', (r) => r.decision?.reason),
  field('primary', 'strangler.primary', (r) => r.decision?.primary),
  field('bucket', 'strangler.bucket', (r) => r.decision?.bucket),
  field('shadow', 'strangler.shadow', (r) => r.decision?.shadow),
  field('upstream', 'strangler.upstream', (r) => r.upstream, true),
  field('status', 'http.response.status_code', (r) => r.status),
  field('durationMs', null, (r) => r.durationMs),
  field('error', 'error.type', (r) => r.error),
  field('errorCause', null, (r) => r.errorCause),
  field('outcome', 'strangler.outcome', (r) => r.outcome),
  field('bodySkipped', 'strangler.body_skipped', (r) => (r.bodySkipped ? true : undefined)),
  // Shadow mode only: what comparing the two answers gave (match, mismatch, skipped) and why it was skipped.
  field('diff', 'strangler.diff', (r) => r.diff),
  field('diffSkipReason', 'strangler.diff_skip_reason', (r) => r.diffSkipReason),
];

/** The metric labels, in list order: `route`, `mode`, `upstream`. */
export const METRIC_LABEL_FIELDS: readonly string[] = RECORD_FIELDS.filter((f) => f.metricLabel).map((f) => f.log as string);

const SPAN_FIELDS = RECORD_FIELDS.filter((f) => f.span !== null);

/**
 * The server span's attributes from the record.
 *
 * @example spanAttributes(run)['strangler.route'] // 'tracking.pixel'
 */
export function spanAttributes(r: RequestRecord): Attributes {
  const out: Attributes = {};
  for (const f of SPAN_FIELDS) {
    const value = f.value(r);
    if (value !== undefined && value !== null) out[f.span as string] = value;
  }
  return out;
}


/**
 * Whether a finished request's trace is kept whatever the head sampler said:
 * the server span would be an error (status ≥ 500, a cut response), it fell
 * back, or its shadow comparison found a difference.
 */
export function keepRecord(r: RequestRecord): boolean {
  return isFailure(r) || (r.decision !== null && FALLBACK_REASONS.has(r.decision.reason)) || r.diff === 'mismatch';
}

/**
 * Whether a finished span forces its trace to be kept whatever the sampling
 * said: an error status, a fallback, a shadow comparison that found a difference.
 */
export function keepTrace(span: { readonly status: { readonly code: number }; readonly attributes: Attributes }): boolean {
  // SpanStatusCode.ERROR is 2.
  if (span.status.code === 2) return true;
  const reason = span.attributes['strangler.reason'];
  return (typeof reason === 'string' && FALLBACK_REASONS.has(reason)) || span.attributes['strangler.diff'] === 'mismatch';
}
