// The request's trace: the head decision before any span, and the tail keep of an unsampled
// request (docs/architecture.md §8): its spans are made at its end, with the ids its upstreams saw.
import { SpanStatusCode } from '@opentelemetry/api';
import { createTracing, type SamplerName, type Tracing } from '../observability/tracing.ts';
import type { RequestRecord } from './record.ts';
import { readRequestHeads } from './request-heads.ts';
import { RequestTrace } from './request-trace.ts';

let tracing: Tracing;
afterEach(async () => tracing.shutdown());

const open = (sampler: SamplerName, ratio = 0): Tracing => (tracing = createTracing({ serviceName: 't', sampler, samplerRatio: ratio, keepTraces: 100 }));
const heads = (traceparent?: string) => readRequestHeads(traceparent === undefined ? [] : ['traceparent', traceparent]);
const CLIENT = '4bf92f3577b34da6a3ce929d0e0e4736';

/** A finished record; `over` sets what decides the keep. */
function rec(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    requestId: 'r', method: 'GET', path: '/mtracking.gif', route: 'tracking.pixel', tenant: 'default',
    decision: { mode: 'canary', reason: 'bucket', primary: 'tracking', bucket: 3 } as RequestRecord['decision'],
    upstream: 'tracking', status: 200, durationMs: 1, outcome: 'complete', bodySkipped: false, ...over,
  };
}

async function stored(traceId: string) {
  await tracing.flush();
  return tracing.store?.get(traceId);
}

describe('RequestTrace, head sampler refuses', () => {
  it('a plain request leaves no span; its upstreams got its ids with flag 00', async () => {
    const rt = RequestTrace.start(open('always_off'), 'GET', heads(), Date.now());
    expect(rt.sampled).toBe(false);
    expect(rt.traceparent).toMatch(new RegExp(`^00-${rt.traceId}-[0-9a-f]{16}-00$`));
    rt.end(rec());
    expect(await stored(rt.traceId)).toBeUndefined();
  });

  it.each([
    ['a 5xx', { status: 502, error: 'GW_ERR_UPSTREAM_CONNECT' }],
    ['a cut response', { outcome: 'upstream-failed' as const }],
    ['a fallback', { decision: { mode: 'canary', reason: 'fallback-connect-error', primary: 'legacy' } as RequestRecord['decision'] }],
    ['a shadow mismatch', { diff: 'mismatch' as const }],
  ])('%s is kept: its server span has the ids its upstreams saw, and its start time', async (_label, over) => {
    const started = Date.now() - 50;
    const rt = RequestTrace.start(open('always_off'), 'GET', heads(), started);
    const [, traceId, spanId] = rt.traceparent.split('-');
    rt.end(rec(over));
    const spans = await stored(rt.traceId);
    expect(spans).toHaveLength(1);
    expect(spans![0]).toMatchObject({ traceId, spanId, name: 'GET tracking.pixel', kind: 'server', attributes: expect.objectContaining({ 'strangler.route': 'tracking.pixel' }) });
    expect(spans![0]!.parentSpanId).toBeUndefined();
    expect(Date.parse(spans![0]!.startedAt)).toBe(started);
  });

  it('a noted child that erred keeps the trace: both spans, the child under the server with its own noted id, times and status', async () => {
    const rt = RequestTrace.start(open('always_off'), 'POST', heads(`00-${CLIENT}-00f067aa0ba902b7-00`), Date.now());
    expect(rt.traceId).toBe(CLIENT);
    const child = rt.child({ name: 'POST tracking (shadow)', attributes: { 'strangler.mode': 'shadow' }, linkToServer: true, startTime: Date.now() - 5 });
    child.span.setAttribute('strangler.diff', 'skipped');
    child.span.setStatus({ code: SpanStatusCode.ERROR, message: 'ECONNREFUSED' });
    child.span.end();
    rt.end(rec({ method: 'POST' }));
    const spans = (await stored(CLIENT))!;
    const server = spans.find((s) => s.kind === 'server');
    const copy = spans.find((s) => s.kind === 'client');
    // The client's span is the server span's parent, as for a sampled request.
    expect(server).toMatchObject({ parentSpanId: '00f067aa0ba902b7', spanId: rt.traceparent.split('-')[2] });
    expect(copy).toMatchObject({ parentSpanId: server!.spanId, spanId: child.traceparent.split('-')[2], status: 'error', attributes: { 'strangler.mode': 'shadow', 'strangler.diff': 'skipped' } });
  });

  it('fail() keeps the trace as an error, once', async () => {
    const rt = RequestTrace.start(open('always_off'), 'GET', heads(), Date.now());
    rt.fail('GET', 'GW_ERR_INTERNAL_UNEXPECTED');
    rt.end(rec());
    expect(await stored(rt.traceId)).toEqual([expect.objectContaining({ status: 'error', name: 'GET' })]);
  });
});

describe('RequestTrace, head decision', () => {
  it('a sampled request has its server span now, and a child span is real, with its own traceparent', async () => {
    const rt = RequestTrace.start(open('always_on'), 'GET', heads(), Date.now());
    expect(rt.sampled).toBe(true);
    const child = rt.child({ name: 'GET legacy', attributes: {} });
    expect(child.traceparent).toMatch(new RegExp(`^00-${rt.traceId}-[0-9a-f]{16}-01$`));
    child.span.end();
    rt.end(rec());
    expect((await stored(rt.traceId))?.map((s) => s.name).sort()).toEqual(['GET legacy', 'GET tracking.pixel']);
  });

  it('parent-based: follows the client\'s flag, whatever the ratio', () => {
    open('parentbased_traceidratio', 0);
    expect(RequestTrace.start(tracing, 'GET', heads(`00-${CLIENT}-00f067aa0ba902b7-01`), Date.now()).sampled).toBe(true);
    open('parentbased_traceidratio', 1);
    expect(RequestTrace.start(tracing, 'GET', heads(`00-${CLIENT}-00f067aa0ba902b7-00`), Date.now()).sampled).toBe(false);
  });

  it('the ratio sampler samples about its share of root requests', () => {
    open('parentbased_traceidratio', 0.1);
    let sampled = 0;
    for (let i = 0; i < 2_000; i += 1) if (RequestTrace.start(tracing, 'GET', heads(), Date.now()).sampled) sampled += 1;
    expect(sampled).toBeGreaterThan(100);
    expect(sampled).toBeLessThan(300);
  });
});
