/**
 * What automatic instrumentation of node:http would cost the gateway, for the
 * observability-cost measure: loaded with `--import` before the gateway (whose
 * own spans are off, OTEL_SDK_DISABLED=true), it registers the OpenTelemetry
 * HTTP instrumentation with the gateway's default head sampler (parent-based,
 * ratio 0.01) and an exporter that drops what it is given, so the figure is
 * the instrumentation's own cost.
 */
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const dropAll: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: () => Promise.resolve() };
const provider = new NodeTracerProvider({ sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.01) }), spanProcessors: [new BatchSpanProcessor(dropAll)] });
provider.register();
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
