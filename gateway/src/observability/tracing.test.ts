// The sampling: the head decision, the tail keep of errors, fallbacks and diffs, and the
// in-memory store's bound.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { createTracing, type Tracing } from './tracing.ts';

const keepFlagged = (span: { readonly attributes: Record<string, unknown>; readonly status: { readonly code: number } }): boolean =>
  span.status.code === SpanStatusCode.ERROR || span.attributes.keep === true;

let tracing: Tracing;
afterEach(async () => tracing.shutdown());

/** A server span with one client child; the child or the root may be flagged. */
function request(flag: 'none' | 'child-error' | 'root-keep'): string {
  const root = tracing.tracer.startSpan('GET route', { kind: SpanKind.SERVER });
  const child: Span = tracing.tracer.startSpan('GET legacy', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, root));
  if (flag === 'child-error') child.setStatus({ code: SpanStatusCode.ERROR });
  child.end();
  if (flag === 'root-keep') root.setAttribute('keep', true);
  root.end();
  return root.spanContext().traceId;
}

describe('createTracing without an endpoint', () => {
  it('with a sampler that keeps nothing, keeps whole traces that erred or are flagged, and nothing else', async () => {
    tracing = createTracing({ serviceName: 't', sampler: 'always_off', samplerRatio: 0, keepTraces: 10 }, keepFlagged);
    const plain = request('none');
    const erred = request('child-error');
    const flagged = request('root-keep');
    await tracing.flush();
    expect(tracing.store?.get(plain)).toBeUndefined();
    expect(tracing.store?.get(erred)?.map((s) => s.name).sort()).toEqual(['GET legacy', 'GET route']);
    expect(tracing.store?.get(flagged)).toHaveLength(2);
    expect(tracing.store?.list(10).map((t) => t.traceId)).toEqual([flagged, erred]);
    expect(tracing.store?.list(10)[1]).toMatchObject({ name: 'GET route', spans: 2, error: true });
  });

  it('keeps every sampled trace, the last keepTraces of them', async () => {
    tracing = createTracing({ serviceName: 't', sampler: 'always_on', samplerRatio: 1, keepTraces: 3 }, () => false);
    const ids = Array.from({ length: 5 }, () => request('none'));
    await tracing.flush();
    expect(tracing.store?.list(10).map((t) => t.traceId)).toEqual(ids.slice(2).reverse());
    expect(tracing.store?.get(ids[0] as string)).toBeUndefined();
  });

  it('the ratio sampler samples about its share of root traces', () => {
    tracing = createTracing({ serviceName: 't', sampler: 'parentbased_traceidratio', samplerRatio: 0.1, keepTraces: 10 }, () => false);
    let sampled = 0;
    for (let i = 0; i < 2_000; i += 1) {
      const span = tracing.tracer.startSpan('x');
      if ((span.spanContext().traceFlags & 1) === 1) sampled += 1;
      span.end();
    }
    expect(sampled).toBeGreaterThan(100);
    expect(sampled).toBeLessThan(300);
  });
});
