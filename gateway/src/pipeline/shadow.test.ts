// startShadow's skips at once: no copy, no capture of legacy's answer needed, nothing sent.
import { createTestCatalogue } from '../../test/support/test-catalogue.ts';
import { createTracing } from '../observability/tracing.ts';
import { readRequestHeads } from './request-heads.ts';
import { RequestTrace } from './request-trace.ts';
import { PendingShadows, startShadow, type ShadowContext, type ShadowRequestInput } from './shadow.ts';
import type { ShadowCopy, ShadowSender } from './shadow-sender.ts';

const pixel = createTestCatalogue().byId('tracking.pixel')!;
const route = { ...pixel, dryRun: true, comparison: { headers: [], cookies: { ignoreValueOf: [], expiresToleranceSeconds: 0 }, location: { ignoreParams: [] }, json: { ignore: [], numbers: [], times: [] }, html: { ignore: [] } } };

function context(room: boolean): { ctx: ShadowContext; sent: ShadowCopy[] } {
  const sent: ShadowCopy[] = [];
  const sender: ShadowSender = {
    send: (copy) => (sent.push(copy), Promise.resolve({ kind: 'skipped', reason: 'shadow-failed' })),
    inFlight: () => (room ? 0 : 64), targets: () => [], hasRoom: () => room, close: async () => undefined,
  };
  return { ctx: { sender, recorder: undefined as never, captureBodyBytes: 1024, maxDifferences: 10, pending: new PendingShadows() }, sent };
}

const input = (over: Partial<ShadowRequestInput> = {}): ShadowRequestInput => ({
  route, upstream: 'tracking', url: 'http://127.0.0.1:1', method: 'GET', path: '/mtracking.gif', headers: ['host', 'x'], traceparent: undefined,
  body: { kind: 'none' } as ShadowRequestInput['body'], ...over,
});

describe('startShadow', () => {
  it('with the cap full: cap-full at once, nothing sent, and the request trace\'s id', async () => {
    const tracing = createTracing({ serviceName: 't', sampler: 'always_off', samplerRatio: 0, keepTraces: 1 });
    const rt = RequestTrace.start(tracing, 'GET', readRequestHeads([]), Date.now());
    const { ctx, sent } = context(false);
    const started = startShadow(input({ tracing: { trace: rt, tenant: 'default' } }), ctx);
    expect(started.sent).toBe(false);
    expect(started.traceId).toBe(rt.traceId);
    expect(await started.result).toEqual({ kind: 'skipped', reason: 'cap-full' });
    expect(sent).toEqual([]);
    await tracing.shutdown();
  });

  it('a route without the dry run is skipped before the cap is looked at; with room, the copy goes out marked as shadow', async () => {
    const { ctx, sent } = context(true);
    expect(await startShadow(input({ route: { ...route, dryRun: false } }), ctx).result).toEqual({ kind: 'skipped', reason: 'dry-run-unsupported' });
    const started = startShadow(input({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }), ctx);
    expect([started.sent, started.traceId]).toEqual([true, '4bf92f3577b34da6a3ce929d0e0e4736']);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.request.headers).toEqual(['host', 'x', 'x-strangler-mode', 'shadow', 'traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']);
  });
});

describe('PendingShadows', () => {
  it('settled() waits for every settling tracked, a rejected one too', async () => {
    const pending = new PendingShadows();
    let finished = false;
    pending.track(new Promise<void>((resolve) => setTimeout(() => ((finished = true), resolve()), 20)));
    pending.track(Promise.reject(new Error('a bug'))).catch(() => undefined);
    await pending.settled();
    expect(finished).toBe(true);
    await expect(pending.settled()).resolves.toBeUndefined();
  });
});
