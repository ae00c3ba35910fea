/**
 * The gateway's OpenTelemetry tracer (docs/architecture.md §8). Spans are
 * built by the pipeline through the OpenTelemetry API (no automatic node:http
 * instrumentation: bench/README.md has the figure), exported over OTLP/HTTP
 * (JSON) to `OTEL_EXPORTER_OTLP_ENDPOINT` (Jaeger v2 receives it on :4318), or
 * kept in memory (trace-store.ts) when no endpoint is set.
 *
 * Sampling: the configured head sampler (default parent-based, ratio 0.01)
 * decides which traces are sampled and what `traceparent` says to the
 * upstreams. The gateway asks it itself (`head`), before it makes any span,
 * and starts spans only for what it keeps: the provider samples every span it
 * is given. A request the head sampler refused makes its spans at the end,
 * with the ids it already showed upstream (`ids`), when it must be kept after
 * all (an error, a fallback, a diff: pipeline/request-trace.ts).
 *
 * The provider is never registered globally: each gateway in a process (tests
 * run several) has its own.
 */
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, RandomIdGenerator, TraceIdRatioBasedSampler,
  type IdGenerator, type Sampler, type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
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
  /** Starts spans that are kept: every span it starts is sampled. */
  readonly tracer: Tracer;
  /** The head sampler of `OTEL_TRACES_SAMPLER`, asked once per request before any span. */
  readonly head: Sampler;
  /** Gives the next span the tracer starts the ids a request already used. */
  readonly ids: PresetIds;
  /** The in-memory store; null when spans go to an OTLP endpoint. */
  readonly store: TraceStore | null;
  /** Exports what is buffered. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Starts the tracer.
 *
 * @example const tracing = createTracing({ serviceName: 'strangler-gateway', sampler: 'parentbased_traceidratio', samplerRatio: 0.01, keepTraces: 500 });
 */
export function createTracing(settings: TracingSettings): Tracing {
  const store = settings.endpoint === undefined ? new TraceStore(settings.keepTraces) : null;
  const exporter: SpanExporter = store ?? new OTLPTraceExporter({ url: `${settings.endpoint?.replace(/\/+$/, '')}/v1/traces` });
  // The memory store is read at once by the admin API: a short delay; OTLP batches for a second.
  const batch = new BatchSpanProcessor(exporter, { scheduledDelayMillis: store ? 50 : 1_000, maxQueueSize: 8_192, maxExportBatchSize: 512 });
  const ids = new PresetIds();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    sampler: new AlwaysOnSampler(),
    idGenerator: ids,
    spanProcessors: [batch],
  });
  return {
    tracer: provider.getTracer('strangler-gateway'),
    head: headSampler(settings.sampler, settings.samplerRatio),
    ids,
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
 * Random ids, except for the span started inside `startWith`: it takes the
 * ids given (the trace id only if it is a root span). The tracer reads its ids
 * synchronously inside `startSpan`, so nothing else can take them.
 */
export class PresetIds implements IdGenerator {
  readonly #random = new RandomIdGenerator();
  #traceId: string | undefined;
  #spanId: string | undefined;

  /**
   * Runs `start` (one `tracer.startSpan`) with these ids preset.
   *
   * @example const span = ids.startWith(traceId, spanId, () => tracer.startSpan('GET', { startTime }));
   */
  startWith<T>(traceId: string, spanId: string, start: () => T): T {
    this.#traceId = traceId;
    this.#spanId = spanId;
    try {
      return start();
    } finally {
      this.#traceId = undefined;
      this.#spanId = undefined;
    }
  }

  generateTraceId(): string {
    const id = this.#traceId;
    this.#traceId = undefined;
    return id ?? this.#random.generateTraceId();
  }

  generateSpanId(): string {
    const id = this.#spanId;
    this.#spanId = undefined;
    return id ?? this.#random.generateSpanId();
  }
}
