/**
 * The tail decision of the sampling (docs/architecture.md §8): a request that
 * ended in an error, a fallback or a diff is kept even when the ratio sampler
 * said no. The sampler (tracing.ts) records every span; spans it did not
 * sample wait here, per trace, until the trace's local root (the gateway's
 * server span) ends. If that root, or one of its children, must be kept
 * (`keep`), the whole trace goes on to the exporter; otherwise it is dropped.
 * Sampled spans pass straight through.
 *
 * Services downstream followed the head decision (the `traceparent` said "not
 * sampled"), so a kept trace holds the gateway's spans only.
 */
import { TraceFlags, type Context, type SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Traces waiting for their root; beyond this the oldest is dropped (a root that never ended). */
const MAX_WAITING_TRACES = 4_096;
/** Child spans held per waiting trace. */
const MAX_WAITING_SPANS = 32;

/** A span processor that forwards sampled spans, and unsampled ones whose trace `keep` says to keep. */
export class KeepProcessor implements SpanProcessor {
  readonly #next: SpanProcessor;
  readonly #keep: (span: ReadableSpan) => boolean;
  readonly #waiting = new Map<string, ReadableSpan[]>();

  /**
   * @param next - where kept spans go (a BatchSpanProcessor over the exporter).
   * @param keep - whether a finished span forces its trace to be kept.
   */
  constructor(next: SpanProcessor, keep: (span: ReadableSpan) => boolean) {
    this.#next = next;
    this.#keep = keep;
  }

  onStart(span: Span, parentContext: Context): void {
    this.#next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const ctx = span.spanContext();
    if ((ctx.traceFlags & TraceFlags.SAMPLED) !== 0) return this.#next.onEnd(span);
    const parent = span.parentSpanContext;
    if (parent !== undefined && !parent.isRemote) return this.#hold(ctx.traceId, span);
    const children = this.#waiting.get(ctx.traceId) ?? [];
    this.#waiting.delete(ctx.traceId);
    if (!this.#keep(span) && !children.some(this.#keep)) return;
    for (const child of children) this.#next.onEnd(asSampled(child));
    this.#next.onEnd(asSampled(span));
  }

  forceFlush(): Promise<void> {
    return this.#next.forceFlush();
  }

  shutdown(): Promise<void> {
    this.#waiting.clear();
    return this.#next.shutdown();
  }

  #hold(traceId: string, span: ReadableSpan): void {
    let spans = this.#waiting.get(traceId);
    if (spans === undefined) {
      spans = [];
      this.#waiting.set(traceId, spans);
      if (this.#waiting.size > MAX_WAITING_TRACES) this.#waiting.delete(this.#waiting.keys().next().value as string);
    }
    if (spans.length < MAX_WAITING_SPANS) spans.push(span);
  }
}

/** The same span, marked sampled, so an exporting processor (which drops unsampled spans) sends it. */
function asSampled(span: ReadableSpan): ReadableSpan {
  const ctx = span.spanContext();
  const sampled: SpanContext = { ...ctx, traceFlags: ctx.traceFlags | TraceFlags.SAMPLED };
  return Object.create(span, { spanContext: { value: () => sampled } }) as ReadableSpan;
}
