// The tracer: what the in-memory store keeps, and the preset ids a kept request's spans take.
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { createTracing, type Tracing } from './tracing.ts';

let tracing: Tracing;
afterEach(async () => tracing.shutdown());

describe('createTracing without an endpoint', () => {
  it('exports every span it is given, and the store keeps the last keepTraces traces', async () => {
    tracing = createTracing({ serviceName: 't', sampler: 'always_off', samplerRatio: 0, keepTraces: 3 });
    const ids = Array.from({ length: 5 }, () => {
      const span = tracing.tracer.startSpan('GET route', { kind: SpanKind.SERVER });
      span.end();
      return span.spanContext().traceId;
    });
    await tracing.flush();
    // The head sampler (always_off here) is the pipeline's to ask: the tracer samples what it starts.
    expect(tracing.store?.list(10).map((t) => t.traceId)).toEqual(ids.slice(2).reverse());
    expect(tracing.store?.get(ids[0] as string)).toBeUndefined();
  });

  it('a span started inside startWith takes the preset ids; the next one is random again', async () => {
    tracing = createTracing({ serviceName: 't', sampler: 'always_on', samplerRatio: 1, keepTraces: 10 });
    const root = tracing.ids.startWith('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', () => tracing.tracer.startSpan('root'));
    const child = tracing.ids.startWith('11111111111111111111111111111111', 'a1a1a1a1a1a1a1a1', () => tracing.tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root)));
    const next = tracing.tracer.startSpan('next');
    expect(root.spanContext()).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 });
    // A child keeps its parent's trace id; the preset trace id is not left for the next root span.
    expect(child.spanContext()).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: 'a1a1a1a1a1a1a1a1' });
    expect(next.spanContext().traceId).not.toMatch(/^(4bf92f|111111)/);
    expect(next.spanContext().spanId).toMatch(/^[0-9a-f]{16}$/);
    for (const s of [child, root, next]) s.end();
  });
});
