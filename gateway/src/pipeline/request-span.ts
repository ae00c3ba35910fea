/**
 * The request's spans, built from the pipeline with the OpenTelemetry API
 * (docs/architecture.md §8): one server span per request, continuing the
 * client's W3C `traceparent` when it sent one, and one client span per
 * upstream call, whose context goes to the upstream as `traceparent`
 * (forward-headers.ts drops the client's own). Attributes come from the
 * request record (record-fields.ts) when the request is done.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Context, type Span, type SpanContext, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../upstream/types.ts';
import type { Decision } from '../model.ts';
import type { RequestHeads } from './request-heads.ts';
import type { RequestRecord } from './record.ts';
import { FALLBACK_REASONS, spanAttributes } from './record-fields.ts';

const propagator = new W3CTraceContextPropagator();
const headsGetter = {
  get: (heads: RequestHeads, key: string) => (key === 'traceparent' ? heads.traceparent : key === 'tracestate' ? heads.tracestate : undefined),
  keys: () => ['traceparent', 'tracestate'],
};

/**
 * Starts the server span of one request; its parent is the client's `traceparent`, if valid.
 *
 * @example const span = startServerSpan(tracer, 'GET', heads);
 */
export function startServerSpan(tracer: Tracer, method: string, heads: RequestHeads): Span {
  const parent = heads.traceparent === undefined ? ROOT_CONTEXT : propagator.extract(ROOT_CONTEXT, heads, headsGetter);
  return tracer.startSpan(method, { kind: SpanKind.SERVER }, parent);
}

/** Ends the server span with the record's attributes; status ≥ 500, a cut response and a gateway error mark it as an error. */
export function endServerSpan(span: Span, r: RequestRecord, endTime?: number): void {
  span.setAttributes(spanAttributes(r));
  if (r.route !== null) span.updateName(`${r.method} ${r.route}`);
  if (r.status >= 500 || r.outcome === 'upstream-failed') span.setStatus({ code: SpanStatusCode.ERROR, message: r.error ?? String(r.status) });
  span.end(endTime);
}

/** What a client span says about the call. */
export interface CallLabels {
  readonly route: string;
  readonly tenant: string;
  readonly decision: Decision;
  /** The client's own `traceparent`: passed on unchanged when the gateway makes no spans. */
  readonly clientTraceparent?: string | undefined;
}

/**
 * Sends `request` to `upstream` with a client span child of `server` (none
 * when there is no server span) and its `traceparent`.
 *
 * When the head sampler did not sample the request, the services record
 * nothing of it, so the client span is only made if the tail keep may need
 * it: after a failure, a 5xx, or on a fallback's call to legacy, with the
 * call's start time. The upstream then gets the server span's `traceparent`.
 * A span less per request is most of what tracing costs (bench/README.md).
 */
export async function callUpstream(tracer: Tracer | undefined, server: Span | undefined, upstream: Upstream, request: UpstreamRequest, labels: CallLabels): Promise<UpstreamResponse> {
  if (tracer === undefined || server === undefined) {
    if (labels.clientTraceparent !== undefined && Array.isArray(request.headers)) (request.headers as string[]).push('traceparent', labels.clientTraceparent);
    return upstream.request(request);
  }
  const sampled = (server.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
  const startTime = Date.now();
  const parent = trace.setSpan(ROOT_CONTEXT, server);
  let span = sampled ? startClientSpan(tracer, parent, upstream.name, request.method, labels, startTime) : undefined;
  // dispatch builds a fresh list per call (buildForwardHeaders): the field is added to it in place.
  const headers = Array.isArray(request.headers) ? request.headers as string[] : Object.entries(request.headers).flatMap(([n, v]) => (v === undefined ? [] : [v].flat().flatMap((x) => [n, x])));
  headers.push('traceparent', traceparentOf((span ?? server).spanContext()));
  try {
    const response = await upstream.request(headers === request.headers ? request : { ...request, headers });
    if (span === undefined && (response.statusCode >= 500 || FALLBACK_REASONS.has(labels.decision.reason))) span = startClientSpan(tracer, parent, upstream.name, request.method, labels, startTime);
    span?.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500) span?.setStatus({ code: SpanStatusCode.ERROR, message: String(response.statusCode) });
    return response;
  } catch (err) {
    span ??= startClientSpan(tracer, parent, upstream.name, request.method, labels, startTime);
    const code = (err as { code?: unknown }).code;
    span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'upstream failed' });
    throw err;
  } finally {
    span?.end();
  }
}

function startClientSpan(tracer: Tracer, parent: Context, upstreamName: string, method: string, labels: CallLabels, startTime: number): Span {
  const d = labels.decision;
  return tracer.startSpan(`${method} ${upstreamName}`, {
    kind: SpanKind.CLIENT, startTime,
    attributes: {
      'strangler.route': labels.route, 'strangler.tenant': labels.tenant, 'strangler.mode': d.mode, 'strangler.reason': d.reason,
      'strangler.upstream': upstreamName, ...(d.bucket === undefined ? {} : { 'strangler.bucket': d.bucket }),
    },
  }, parent);
}

/**
 * The W3C `traceparent` of a span context.
 *
 * @example traceparentOf(span.spanContext()) // '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
 */
export function traceparentOf(ctx: SpanContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${(ctx.traceFlags & TraceFlags.SAMPLED) !== 0 ? '01' : '00'}`;
}
