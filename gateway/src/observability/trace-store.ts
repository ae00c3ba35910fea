/**
 * The embedded trace store: with no `OTEL_EXPORTER_OTLP_ENDPOINT`, the spans
 * the gateway keeps are held here, a bounded number of recent traces, and read
 * through the admin API (`GET /admin/traces`, `/admin/traces/:traceId`).
 * It is an OpenTelemetry span exporter, so the sampling and the tail decision
 * (keep-processor.ts) are the same as with Jaeger.
 */
import { ExportResultCode, hrTimeToMilliseconds, type ExportResult } from '@opentelemetry/core';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** One span as the admin API shows it. */
export interface StoredSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Absent for a root span. */
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  /** ISO-8601 start time. */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly status: 'unset' | 'ok' | 'error';
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

/** One trace in the list: its root (or first) span and how many spans it holds. */
export interface TraceSummary {
  readonly traceId: string;
  readonly name: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly spans: number;
  readonly error: boolean;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

const KINDS: Record<number, StoredSpan['kind']> = {
  [SpanKind.INTERNAL]: 'internal', [SpanKind.SERVER]: 'server', [SpanKind.CLIENT]: 'client', [SpanKind.PRODUCER]: 'producer', [SpanKind.CONSUMER]: 'consumer',
};

/** Spans kept of one trace; more are dropped (a trace of the gateway holds a server span and one or two client spans). */
const MAX_SPANS_PER_TRACE = 64;

/** A span exporter that keeps the last `maxTraces` traces in memory. */
export class TraceStore implements SpanExporter {
  readonly #maxTraces: number;
  /**
   * Insertion order is arrival order: the first key is the oldest trace. Spans are kept as
   * exported and shown as StoredSpan only when read: converting each on export cost the
   * request path about 4 µs of CPU per span (bench/README.md).
   */
  readonly #traces = new Map<string, ReadableSpan[]>();

  /** @param maxTraces - traces kept, oldest dropped first (`tracing.keepTraces`). */
  constructor(maxTraces: number) {
    this.#maxTraces = maxTraces;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) this.#add(span);
    done({ code: ExportResultCode.SUCCESS });
  }

  /** Traces newest first. */
  list(limit: number): TraceSummary[] {
    const out: TraceSummary[] = [];
    for (const [traceId, kept] of [...this.#traces].reverse()) {
      if (out.length >= limit) break;
      const spans = kept.map(toStored);
      const root = spans.find((s) => s.parentSpanId === undefined) ?? spans[0];
      if (root === undefined) continue;
      out.push({ traceId, name: root.name, startedAt: root.startedAt, durationMs: root.durationMs, spans: spans.length, error: spans.some((s) => s.status === 'error'), attributes: root.attributes });
    }
    return out;
  }

  /** Every span of one trace, by start time; undefined when not (or no longer) kept. */
  get(traceId: string): StoredSpan[] | undefined {
    const spans = this.#traces.get(traceId)?.map(toStored);
    return spans && spans.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  #add(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const spans = this.#traces.get(traceId);
    if (spans !== undefined) {
      if (spans.length < MAX_SPANS_PER_TRACE) spans.push(span);
      return;
    }
    this.#traces.set(traceId, [span]);
    if (this.#traces.size > this.#maxTraces) this.#traces.delete(this.#traces.keys().next().value as string);
  }
}

function toStored(span: ReadableSpan): StoredSpan {
  const ctx = span.spanContext();
  const attributes: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(span.attributes)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') attributes[name] = value;
  }
  const status = span.status.code === SpanStatusCode.ERROR ? 'error' : span.status.code === SpanStatusCode.OK ? 'ok' : 'unset';
  const parent = span.parentSpanContext?.spanId;
  return {
    traceId: ctx.traceId, spanId: ctx.spanId, ...(parent ? { parentSpanId: parent } : {}), name: span.name, kind: KINDS[span.kind] ?? 'internal',
    startedAt: new Date(hrTimeToMilliseconds(span.startTime)).toISOString(), durationMs: Math.round(hrTimeToMilliseconds(span.duration) * 1000) / 1000, status, attributes,
  };
}
