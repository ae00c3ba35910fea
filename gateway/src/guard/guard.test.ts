import { once } from 'node:events';
import { Registry } from 'prom-client';
import { configSchema, type GuardSettings } from '../config/schema.ts';
import { createMemoryFlagStore } from '../flags/memory-store.ts';
import { flagKey, type FlagStore } from '../flags/store.ts';
import type { Decision } from '../model.ts';
import { createGuard, type Guard, type GuardEvent } from './guard.ts';
import { createMemoryLock } from './lock.ts';
import { GUARD_ACTIONS_METRIC } from './metrics.ts';
import type { FinishedRequest } from './samples.ts';

const SETTINGS: GuardSettings = configSchema.parse({ guard: { windowMs: 10_000, minSample: 10, evaluationIntervalMs: 3_600_000 } }).guard;
const ROUTE = 'tracking.pixel';
const NEW: Decision = { mode: 'canary', reason: 'bucket', primary: 'tracking', bucket: 1 };
const OUT: Decision = { mode: 'canary', reason: 'bucket-out', primary: 'legacy', bucket: 9999 };

const request = (decision: Decision, upstream: string, status: number, durationMs = 5): FinishedRequest => ({ route: ROUTE, tenant: 'default', decision, upstream, status, durationMs, outcome: 'complete' });

describe('the guard', () => {
  let store: FlagStore;
  let guard: Guard;
  let registry: Registry;
  let clock: number;
  const start = (routeThresholds = {}): void => {
    guard = createGuard({ settings: SETTINGS, routeThresholds, movableRoutes: new Set([ROUTE]), store, lock: createMemoryLock(), registry, now: () => clock });
  };
  beforeEach(async () => {
    clock = 1_000_000;
    registry = new Registry();
    store = createMemoryFlagStore();
    await store.set({ routeId: ROUTE, tenant: null, mode: 'canary', percent: 50 }, { who: 'admin', why: 'ramp' });
  });
  afterEach(async () => guard.stop());

  it('steps a failing canary back to shadow for the tenant, audited with the evidence, and counts it', async () => {
    start();
    for (let i = 0; i < 10; i += 1) guard.observe(request(NEW, 'tracking', 500));
    for (let i = 0; i < 30; i += 1) guard.observe(request(OUT, 'legacy', 200));
    await guard.evaluateNow();
    expect(store.snapshot().flags.get(flagKey(ROUTE, 'default'))).toEqual({ routeId: ROUTE, tenant: 'default', mode: 'shadow', setBy: 'guard' });
    expect(store.snapshot().flags.get(flagKey(ROUTE, null))).toMatchObject({ mode: 'canary', percent: 50 });
    const [entry] = await store.audit(1);
    expect(entry).toMatchObject({
      who: 'guard', origin: 'automatic', action: 'set', routeId: ROUTE, tenant: 'default', from: null, to: { mode: 'shadow', setBy: 'guard' },
      why: 'guard: error rate 100 % (10 of 10 new-path requests in the last 10 s) is above 5 %; canary 50% → shadow',
    });
    expect((await registry.getSingleMetricAsString(GUARD_ACTIONS_METRIC))).toContain('strangler_guard_actions_total{route="tracking.pixel",tenant="default",from="canary",to="shadow",trigger="error-rate"} 1');
  });

  it('does nothing below the minimum sample', async () => {
    start();
    for (let i = 0; i < 9; i += 1) guard.observe(request(NEW, 'tracking', 500));
    await guard.evaluateNow();
    expect(store.version).toBe(1);
    expect(guard.status().watches).toMatchObject([{ routeId: ROUTE, tenant: 'default', mode: 'canary', percent: 50, state: 'below-min-sample', figures: { newRequests: 9, newErrors: 9 } }]);
  });

  it('takes a route\'s own minimum sample', async () => {
    start({ [ROUTE]: { minSample: 3 } });
    for (let i = 0; i < 3; i += 1) guard.observe(request(NEW, 'tracking', 500));
    await guard.evaluateNow();
    expect(store.version).toBe(2);
  });

  it('never watches a route turned off for it', async () => {
    start({ [ROUTE]: { enabled: false } });
    for (let i = 0; i < 20; i += 1) guard.observe(request(NEW, 'tracking', 500));
    await guard.evaluateNow();
    expect(store.version).toBe(1);
    expect(guard.status().watches).toEqual([]);
  });

  it('judges samples only once they are inside the window', async () => {
    start();
    for (let i = 0; i < 10; i += 1) guard.observe(request(NEW, 'tracking', 500));
    clock += 10_000;
    await guard.evaluateNow();
    expect(store.version).toBe(1);
  });

  it('steps a slow canary back on the latency ratio to legacy', async () => {
    start();
    for (let i = 0; i < 10; i += 1) guard.observe(request(OUT, 'legacy', 200, 20));
    for (let i = 0; i < 10; i += 1) guard.observe(request(NEW, 'tracking', 200, 100));
    const attempt = once(guard.events, 'event');
    await guard.evaluateNow();
    const [event] = (await attempt) as [GuardEvent];
    expect(event).toMatchObject({ kind: 'attempt', trigger: 'latency-ratio', result: { kind: 'acted', to: { mode: 'shadow' } } });
    expect((await store.audit(1))[0]?.why).toMatch(/^guard: latency ratio 5 \(new path 100 ms mean over 10 answers in the last 10 s, legacy 20 ms over 10 answers/);
  });

  it('starts a new window after its step back, and after an operator\'s change', async () => {
    start();
    for (let i = 0; i < 10; i += 1) guard.observe(request(NEW, 'tracking', 500));
    await guard.evaluateNow();
    expect(store.version).toBe(2);
    // Late answers of requests resolved in canary no longer count: the route is in shadow now.
    for (let i = 0; i < 10; i += 1) guard.observe(request(NEW, 'tracking', 500));
    await guard.evaluateNow();
    expect(store.version).toBe(2);
    // An operator's change: the first sample of the new stage starts its window.
    await store.set({ routeId: ROUTE, tenant: 'default', mode: 'extracted' }, { who: 'admin' });
    for (let i = 0; i < 9; i += 1) guard.observe(request({ mode: 'extracted', reason: 'tenant-override', primary: 'tracking' }, 'tracking', 500));
    await guard.evaluateNow();
    expect(store.version).toBe(3);
    expect(guard.status().watches[0]).toMatchObject({ mode: 'extracted', figures: { newRequests: 9 } });
    guard.observe(request({ mode: 'extracted', reason: 'tenant-override', primary: 'tracking' }, 'tracking', 500));
    await guard.evaluateNow();
    expect(store.snapshot().flags.get(flagKey(ROUTE, 'default'))).toMatchObject({ mode: 'canary', percent: 10 });
  });

  it('moves extracted back to canary at guard.canaryPercent', async () => {
    await store.set({ routeId: ROUTE, tenant: 'default', mode: 'extracted' }, { who: 'admin' });
    start();
    for (let i = 0; i < 10; i += 1) guard.observe(request({ mode: 'extracted', reason: 'tenant-override', primary: 'tracking' }, 'tracking', 502));
    await guard.evaluateNow();
    expect(store.snapshot().flags.get(flagKey(ROUTE, 'default'))).toMatchObject({ mode: 'canary', percent: SETTINGS.canaryPercent });
  });

  it('steps shadow back to legacy on the mismatch rate of the comparisons', async () => {
    await store.set({ routeId: ROUTE, tenant: null, mode: 'shadow' }, { who: 'admin' });
    start();
    for (let i = 0; i < 10; i += 1) guard.observeComparison({ routeId: ROUTE, tenant: 'default', matched: i % 2 === 0 });
    await guard.evaluateNow();
    expect(store.snapshot().flags.get(flagKey(ROUTE, 'default'))).toMatchObject({ mode: 'legacy' });
    expect((await store.audit(1))[0]?.why).toBe('guard: mismatch rate 50 % (5 of 10 comparisons in the last 10 s) is above 5 %; shadow → legacy');
  });

  it('leaves the step to the holder of the lock', async () => {
    const lock = createMemoryLock();
    guard = createGuard({ settings: SETTINGS, routeThresholds: {}, movableRoutes: new Set([ROUTE]), store, lock, registry, now: () => clock });
    await lock.acquire(`default/${ROUTE}`, 60_000);
    for (let i = 0; i < 10; i += 1) guard.observe(request(NEW, 'tracking', 500));
    const events: GuardEvent[] = [];
    guard.events.on('event', (e: GuardEvent) => events.push(e));
    await guard.evaluateNow();
    expect(store.version).toBe(1);
    expect(events.map((e) => (e.kind === 'attempt' ? e.result.kind : e.kind))).toEqual(['lock-busy', 'evaluated']);
  });
});
