/**
 * The gateway's OpenTelemetry tracer (docs/architecture.md §8). Spans are
 * built by the pipeline through the OpenTelemetry API (no automatic node:http
 * instrumentation: bench/README.md has the figure), exported over OTLP/HTTP
 * (JSON) to `OTEL_EXPORTER_OTLP_ENDPOINT` (Jaeger v2 receives it on :4318), or
 * kept in memory (trace-store.ts) when no endpoint is set.
 *
 * Sampling: the configured head sampler (default parent-based, ratio 0.1)
 * decides which traces are sampled and what `traceparent` says to the
 * upstreams; every other span is still recorded, and keep-processor.ts keeps
 * the traces of errors, fallbacks and diffs after the fact.
 *
 * The provider is never registered globally: each gateway in a process (tests
 * run several) has its own.
 */
import { type Attributes, type Context, type Link, type SpanKind, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, SamplingDecision, TraceIdRatioBasedSampler,
  type ReadableSpan, type Sampler, type SamplingResult, type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { KeepProcessor } from './keep-processor.ts';
import { TraceStore } from './trace-store.ts';

/** The values of `OTEL_TRACES_SAMPLER` the gateway understands (the OpenTelemetry SDK's names). */
export const SAMPLER_NAMES = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;

/** A head sampler's name. */
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** The `tracing` settings of the configuration. */
export interface TracingSettings {
  /** OTLP/HTTP base URL (`/v1/traces` is appended); unset: the in-memory store. */
  readonly endpoint?: string | undefined;
  /** `service.name` of every span (`OTEL_SERVICE_NAME`). */
  readonly serviceName: string;
  readonly sampler: SamplerName;
  /** Ratio of the ratio samplers, 0–1 (`OTEL_TRACES_SAMPLER_ARG`). */
  readonly samplerRatio: number;
  /** Traces the in-memory store keeps. */
  readonly keepTraces: number;
}

/** A running tracer and where its spans go. */
export interface Tracing {
  readonly tracer: Tracer;
  /** The in-memory store; null when spans go to an OTLP endpoint. */
  readonly store: TraceStore | null;
  /** Exports what is buffered. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Starts the tracer.
 *
 * @param keep - whether an unsampled span forces its trace to be kept (an error, a fallback, a diff).
 * @example const tracing = createTracing({ serviceName: 'strangler-gateway', sampler: 'parentbased_traceidratio', samplerRatio: 0.1, keepTraces: 500 }, keepTrace);
 */
export function createTracing(settings: TracingSettings, keep: (span: ReadableSpan) => boolean): Tracing {
  const store = settings.endpoint === undefined ? new TraceStore(settings.keepTraces) : null;
  const exporter: SpanExporter = store ?? new OTLPTraceExporter({ url: `${settings.endpoint?.replace(/\/+$/, '')}/v1/traces` });
  // The memory store is read at once by the admin API: a short delay; OTLP batches for a second.
  const batch = new BatchSpanProcessor(exporter, { scheduledDelayMillis: store ? 50 : 1_000, maxQueueSize: 8_192, maxExportBatchSize: 512 });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    sampler: new RecordAllSampler(headSampler(settings.sampler, settings.samplerRatio)),
    spanProcessors: [new KeepProcessor(batch, keep)],
  });
  return {
    tracer: provider.getTracer('strangler-gateway'),
    store,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** The sampler `OTEL_TRACES_SAMPLER` names. */
export function headSampler(name: SamplerName, ratio: number): Sampler {
  const root = (n: string): Sampler => (n.endsWith('always_on') ? new AlwaysOnSampler() : n.endsWith('always_off') ? new AlwaysOffSampler() : new TraceIdRatioBasedSampler(ratio));
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root: root(name) }) : root(name);
}

/**
 * Keeps the head decision for what is sampled (and so what `traceparent`
 * says), but records what it refused instead of dropping it, so the tail
 * decision can still keep it.
 */
class RecordAllSampler implements Sampler {
  readonly #head: Sampler;

  constructor(head: Sampler) {
    this.#head = head;
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const result = this.#head.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    return result.decision === SamplingDecision.NOT_RECORD ? { ...result, decision: SamplingDecision.RECORD } : result;
  }

  toString(): string {
    return `RecordAll{${this.#head.toString()}}`;
  }
}
