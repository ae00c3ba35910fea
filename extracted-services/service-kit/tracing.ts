/**
 * OpenTelemetry for the extracted services and their workers (docs/architecture.md §8):
 * automatic instrumentation of node:http, express, mysql2 and ioredis, exported
 * over OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT`, so one trace shows gateway →
 * service → MariaDB and Redis. The gateway's `traceparent` is the parent, and
 * the default sampler (`parentbased_always_on`, or `OTEL_TRACES_SAMPLER`)
 * follows its decision.
 *
 * `startServiceTracing` must run before the service's modules are loaded
 * (scripts/serve.ts calls it first): the instrumentations patch modules as
 * they load, and the ES modules need the import-in-the-middle loader hook it
 * registers. Without an endpoint it does nothing and the helpers below are
 * no-ops (the OpenTelemetry API without an SDK).
 */
import { register } from 'node:module';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/** A started tracer provider. */
export interface ServiceTracing {
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for one service process when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
 *
 * @param serviceName - `service.name` unless `OTEL_SERVICE_NAME` is set, e.g. `strangler-tracking`.
 * @example await startServiceTracing('strangler-tracking', process.env); const { runTracking } = await import('./server.ts');
 */
export async function startServiceTracing(serviceName: string, env: NodeJS.ProcessEnv): Promise<ServiceTracing | null> {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return null;
  register('import-in-the-middle/hook.mjs', import.meta.url);
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, { registerInstrumentations }, http, express, mysql2, ioredis] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'), import('@opentelemetry/sdk-trace-base'), import('@opentelemetry/exporter-trace-otlp-http'), import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation'), import('@opentelemetry/instrumentation-http'), import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-mysql2'), import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
  });
  // Global: the instrumentations use the global tracer, W3C propagator and AsyncLocalStorage context.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Probes and scrapes would be most of the spans.
      new http.HttpInstrumentation({ ignoreIncomingRequestHook: (req) => req.url === '/healthz' || req.url === '/readyz' }),
      new express.ExpressInstrumentation(), new mysql2.MySQL2Instrumentation(), new ioredis.IORedisInstrumentation(),
    ],
  });
  return { shutdown: () => provider.shutdown() };
}

/**
 * The active span's W3C `traceparent`, to carry in a queued message; undefined
 * when tracing is off or no span is active.
 */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/**
 * Runs `work` in a consumer span whose parent is the message's `traceparent`
 * (none: a new trace), so the spans `work` makes (SQL, Redis) join the trace of
 * the request that queued the message.
 *
 * @example await inMessageTrace(traceparent, 'tracking phase 2', () => completeHit(...));
 */
export function inMessageTrace<T>(traceparent: string | undefined, name: string, work: () => Promise<T>): Promise<T> {
  return inMessagesTrace([traceparent], name, work);
}

/**
 * `inMessageTrace` for a batch handled in one piece: each message's trace gets its own consumer
 * span over the whole batch (so every request that queued one sees its phase 2), and the spans
 * `work` makes (SQL, Redis) join the first message's trace.
 */
export async function inMessagesTrace<T>(traceparents: readonly (string | undefined)[], name: string, work: () => Promise<T>): Promise<T> {
  const tracer = trace.getTracer('strangler-service-kit');
  const attributes = traceparents.length > 1 ? { 'messaging.batch.message_count': traceparents.length } : {};
  const opened = (traceparents.length > 0 ? traceparents : [undefined]).map((traceparent) => {
    const parent = traceparent === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, { traceparent });
    return { parent, span: tracer.startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent) };
  });
  const first = opened[0]!;
  try {
    return await context.with(trace.setSpan(first.parent, first.span), work);
  } catch (err) {
    for (const { span } of opened) span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    for (const { span } of opened) span.end();
  }
}
