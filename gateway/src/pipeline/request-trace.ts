/**
 * The request's trace, built from the pipeline with the OpenTelemetry API
 * (docs/architecture.md §8): one server span per request, continuing the
 * client's W3C `traceparent` when it sent one, one client span per upstream
 * call, whose context goes to the upstream as `traceparent` (forward-headers.ts
 * drops the client's own), and one for the shadow copy. Attributes come from
 * the request record (record-fields.ts) when the request is done.
 *
 * The head sampler decides when the request comes in. A sampled request gets
 * its spans as it runs. An unsampled one gets none: it has only ids (sent
 * upstream with the "not sampled" flag) and notes of the calls a kept trace
 * would show (a failed call, a fallback's call, the shadow copy). When it ends
 * in an error, a fallback or a diff (`keepRecord`), its spans are made then,
 * with those ids and times, and exported: the tail keep. Making no span for
 * the requests nobody keeps is most of what tracing cost (bench/README.md).
 * Services downstream followed the head decision, so a kept trace of an
 * unsampled request holds the gateway's spans only.
 */
import {
  isSpanContextValid, ROOT_CONTEXT, SamplingDecision, SpanKind, SpanStatusCode, trace, TraceFlags,
  type AttributeValue, type Attributes, type Context, type Span, type SpanContext, type SpanStatus,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Tracing } from '../observability/tracing.ts';
import type { Upstream, UpstreamRequest, UpstreamResponse } from '../upstream/types.ts';
import type { Decision } from '../model.ts';
import type { RequestHeads } from './request-heads.ts';
import { FALLBACK_REASONS, isFailure, type RequestRecord } from './record.ts';
import { keepRecord, keepTrace, spanAttributes } from './record-fields.ts';

/** What the pipeline needs of the tracer (observability/tracing.ts). */
export type RequestTracing = Pick<Tracing, 'tracer' | 'head' | 'ids'>;

/** The part of a span that a call or a shadow copy writes to: a real span, or a note made into one later. */
export interface ChildSpan {
  setAttribute(key: string, value: AttributeValue): void;
  setStatus(status: SpanStatus): void;
  end(endTime?: number): void;
}

/** A child span and the `traceparent` its upstream gets. */
export interface StartedChild {
  readonly span: ChildSpan;
  readonly traceparent: string;
}

/** How a child span starts. */
interface ChildStart {
  readonly name: string;
  readonly attributes: Attributes;
  /** Epoch ms; now when absent. */
  readonly startTime?: number;
  /** Linked to the server span as well as its child (the shadow copy). */
  readonly linkToServer?: boolean;
}

const propagator = new W3CTraceContextPropagator();
const headsGetter = {
  get: (heads: RequestHeads, key: string) => (key === 'traceparent' ? heads.traceparent : key === 'tracestate' ? heads.tracestate : undefined),
  keys: () => ['traceparent', 'tracestate'],
};

/** A child of an unsampled request: its start and what was written to it, until the trace is kept or dropped. */
class ChildNote implements ChildSpan {
  readonly start: ChildStart;
  readonly spanId: string;
  readonly attributes: Attributes;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  endTime: number | undefined;

  constructor(start: ChildStart, spanId: string) {
    this.start = start;
    this.spanId = spanId;
    this.attributes = { ...start.attributes };
  }

  setAttribute(key: string, value: AttributeValue): void {
    this.attributes[key] = value;
  }

  setStatus(status: SpanStatus): void {
    this.status = status;
  }

  end(endTime?: number): void {
    this.endTime ??= endTime ?? Date.now();
  }
}

/** One request's trace. */
export class RequestTrace {
  readonly traceId: string;
  readonly sampled: boolean;
  readonly #tracing: RequestTracing;
  readonly #parent: Context;
  /** The server span of a sampled request. */
  readonly #server: Span | undefined;
  /** Unsampled: the server span's id, its start (epoch ms) and the children noted. */
  readonly #spanId: string;
  readonly #startTime: number;
  #notes: ChildNote[] | undefined;
  #ended = false;

  /**
   * Starts the trace of one request: the head sampler decides, and a sampled request gets its server span now.
   *
   * @param startTime - epoch ms the request came in.
   * @example const rt = RequestTrace.start(tracing, 'GET', heads, performance.timeOrigin + performance.now());
   */
  static start(tracing: RequestTracing, method: string, heads: RequestHeads, startTime: number): RequestTrace {
    return new RequestTrace(tracing, method, heads, startTime);
  }

  private constructor(tracing: RequestTracing, method: string, heads: RequestHeads, startTime: number) {
    this.#tracing = tracing;
    this.#startTime = startTime;
    const parent = heads.traceparent === undefined ? ROOT_CONTEXT : propagator.extract(ROOT_CONTEXT, heads, headsGetter);
    const parentContext = trace.getSpanContext(parent);
    this.#parent = parent;
    this.traceId = parentContext !== undefined && isSpanContextValid(parentContext) ? parentContext.traceId : tracing.ids.generateTraceId();
    this.#spanId = tracing.ids.generateSpanId();
    this.sampled = tracing.head.shouldSample(parent, this.traceId, method, SpanKind.SERVER, {}, []).decision === SamplingDecision.RECORD_AND_SAMPLED;
    this.#server = this.sampled ? this.#startServer(method, startTime) : undefined;
  }

  /** The `traceparent` of the server span: what an upstream gets when its call has no span of its own. */
  get traceparent(): string {
    return `00-${this.traceId}-${this.#spanId}-${this.sampled ? '01' : '00'}`;
  }

  /**
   * A client span under the server span: started now when the request is sampled, noted otherwise.
   *
   * @example const { span, traceparent } = rt.child({ name: 'POST tracking (shadow)', attributes, linkToServer: true });
   */
  child(start: ChildStart): StartedChild {
    if (this.#server !== undefined) {
      const server = this.#server;
      const span = this.#tracing.tracer.startSpan(start.name, {
        kind: SpanKind.CLIENT, attributes: start.attributes, ...(start.startTime === undefined ? {} : { startTime: start.startTime }),
        ...(start.linkToServer === true ? { links: [{ context: server.spanContext() }] } : {}),
      }, trace.setSpan(ROOT_CONTEXT, server));
      return { span, traceparent: traceparentOf(span.spanContext()) };
    }
    const note = new ChildNote({ ...start, startTime: start.startTime ?? Date.now() }, this.#tracing.ids.generateSpanId());
    (this.#notes ??= []).push(note);
    return { span: note, traceparent: `00-${this.traceId}-${note.spanId}-00` };
  }

  /**
   * Ends the trace with the record's attributes; an unsampled request's spans are made now if it must be kept.
   *
   * @param endTime - epoch ms; now when absent.
   */
  end(r: RequestRecord, endTime?: number): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#server !== undefined) return endServerSpan(this.#server, r, endTime);
    if (!keepRecord(r) && this.#notes?.some(keepTrace) !== true) return;
    endServerSpan(this.#makeKept(r.method), r, endTime);
  }

  /** Ends the trace of a request that a bug stopped before its record: kept, as an error. */
  fail(method: string, code: string): void {
    if (this.#ended) return;
    this.#ended = true;
    const server = this.#server ?? this.#makeKept(method);
    server.setStatus({ code: SpanStatusCode.ERROR, message: code });
    server.end();
  }

  #startServer(method: string, startTime: number): Span {
    return this.#tracing.ids.startWith(this.traceId, this.#spanId, () => this.#tracing.tracer.startSpan(method, { kind: SpanKind.SERVER, startTime }, this.#parent));
  }

  /** The kept trace of an unsampled request: its server span, and its children made from their notes. */
  #makeKept(method: string): Span {
    const server = this.#startServer(method, this.#startTime);
    const context = trace.setSpan(ROOT_CONTEXT, server);
    for (const note of this.#notes ?? []) {
      const span = this.#tracing.ids.startWith(this.traceId, note.spanId, () => this.#tracing.tracer.startSpan(note.start.name, {
        kind: SpanKind.CLIENT, attributes: note.attributes, startTime: note.start.startTime,
        ...(note.start.linkToServer === true ? { links: [{ context: server.spanContext() }] } : {}),
      }, context));
      span.setStatus(note.status);
      span.end(note.endTime);
    }
    return server;
  }
}

/** Ends the server span with the record's attributes; status ≥ 500, a cut response and a gateway error mark it as an error. */
function endServerSpan(span: Span, r: RequestRecord, endTime?: number): void {
  span.setAttributes(spanAttributes(r));
  if (r.route !== null) span.updateName(`${r.method} ${r.route}`);
  if (isFailure(r)) span.setStatus({ code: SpanStatusCode.ERROR, message: r.error ?? String(r.status) });
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
 * Sends `request` to `upstream` with a client span under the request's trace (none without a
 * trace) and its `traceparent`.
 *
 * An unsampled request notes a call only when a kept trace would show it: a failure, a 5xx,
 * or a fallback's call to legacy, with the call's start time. Its upstream gets the server's
 * `traceparent`, "not sampled".
 */
export async function callUpstream(rt: RequestTrace | undefined, upstream: Upstream, request: UpstreamRequest, labels: CallLabels): Promise<UpstreamResponse> {
  if (rt === undefined) {
    if (labels.clientTraceparent !== undefined && Array.isArray(request.headers)) (request.headers as string[]).push('traceparent', labels.clientTraceparent);
    return upstream.request(request);
  }
  const startTime = Date.now();
  let child = rt.sampled ? callSpan(rt, upstream.name, request.method, labels, startTime) : undefined;
  // dispatch builds a fresh list per call (buildForwardHeaders): the field is added to it in place.
  const headers = Array.isArray(request.headers) ? request.headers as string[] : Object.entries(request.headers).flatMap(([n, v]) => (v === undefined ? [] : [v].flat().flatMap((x) => [n, x])));
  headers.push('traceparent', child?.traceparent ?? rt.traceparent);
  try {
    const response = await upstream.request(headers === request.headers ? request : { ...request, headers });
    if (child === undefined && (response.statusCode >= 500 || FALLBACK_REASONS.has(labels.decision.reason))) child = callSpan(rt, upstream.name, request.method, labels, startTime);
    child?.span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500) child?.span.setStatus({ code: SpanStatusCode.ERROR, message: String(response.statusCode) });
    return response;
  } catch (err) {
    child ??= callSpan(rt, upstream.name, request.method, labels, startTime);
    const code = (err as { code?: unknown }).code;
    child.span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'upstream failed' });
    throw err;
  } finally {
    child?.span.end();
  }
}

function callSpan(rt: RequestTrace, upstreamName: string, method: string, labels: CallLabels, startTime: number): StartedChild {
  const d = labels.decision;
  return rt.child({
    name: `${method} ${upstreamName}`, startTime,
    attributes: {
      'strangler.route': labels.route, 'strangler.tenant': labels.tenant, 'strangler.mode': d.mode, 'strangler.reason': d.reason,
      'strangler.upstream': upstreamName, ...(d.bucket === undefined ? {} : { 'strangler.bucket': d.bucket }),
    },
  });
}

/**
 * The W3C `traceparent` of a span context.
 *
 * @example traceparentOf(span.spanContext()) // '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
 */
export function traceparentOf(ctx: SpanContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${(ctx.traceFlags & TraceFlags.SAMPLED) !== 0 ? '01' : '00'}`;
}
