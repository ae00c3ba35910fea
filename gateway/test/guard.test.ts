// The guard through real sockets (docs/architecture.md §4, gateway/README.md § The guard): a canary
// whose new upstream answers 500 and a new path slower than legacy are moved one stage back within
// the window, audited with the evidence; below the minimum sample nothing moves; two gateways on one
// Redis flag store: exactly one acts and both follow.
import { once } from 'node:events';
import { register } from 'prom-client';
import { describeWithRedis, testRedisUrl } from '../../test-support/services.ts';
import type { Guard, GuardEvent } from '../src/guard/guard.ts';
import { GUARD_ACTIONS_METRIC } from '../src/guard/metrics.ts';
import type { StepBackResult } from '../src/guard/step-back.ts';
import { startHarness, type Harness, type LogLine } from './support/harness.ts';
import { deletePrefix, uniquePrefix } from './support/redis-server.ts';

const WINDOW_MS = 5_000;
const GUARD = { windowMs: WINDOW_MS, evaluationIntervalMs: 100, minSample: 10 };

interface AuditEntry { who: string; origin: string; action: string; routeId: string; tenant: string | null; from: unknown; to: unknown; why: string }

/** Resolves with the result of the guard's next attempt to step a route back. */
async function nextAttempt(guard: Guard): Promise<StepBackResult> {
  for (;;) {
    const [e] = (await once(guard.events, 'event')) as [GuardEvent];
    if (e.kind === 'attempt') return e.result;
  }
}

/** Resolves after `n` more evaluations. */
async function evaluations(guard: Guard, n: number): Promise<void> {
  for (let seen = 0; seen < n; ) {
    const [e] = (await once(guard.events, 'event')) as [GuardEvent];
    if (e.kind === 'evaluated') seen += 1;
  }
}

/** Sends `n` pixel requests at once and waits until the gateway recorded all of them. */
async function pixels(h: Harness, n: number): Promise<number[]> {
  const before = h.logs.filter((l) => l.msg === 'request').length;
  const statuses = await Promise.all(Array.from({ length: n }, () => fetch(`${h.gateway.publicUrl}/mtracking.gif`).then(async (r) => (await r.arrayBuffer(), r.status))));
  await h.nthLine((l: LogLine) => l.msg === 'request', before + n);
  return statuses;
}

async function guardAudit(h: Harness): Promise<AuditEntry[]> {
  const page = (await (await h.admin('GET', '/admin/audit?route=tracking.pixel')).json()) as { entries: AuditEntry[] };
  return page.entries.filter((e) => e.who === 'guard');
}

describe('the guard on one gateway', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('moves a canary whose new upstream answers 500 back to shadow within its window, with the evidence in the audit', async () => {
    h = await startHarness({ config: { guard: GUARD } });
    await h.setFlag('tracking.pixel', 'canary', { percent: 100, why: 'ramp' });
    h.tracking.behaviour = 'fail';
    const attempt = nextAttempt(h.gateway.guard);
    const started = Date.now();
    // The pixel is replayable: the client gets legacy's answer, the new path's failure is counted.
    expect(await pixels(h, 10)).toEqual(Array(10).fill(200));
    expect(await attempt).toMatchObject({ kind: 'acted', from: { mode: 'canary', percent: 100 }, to: { mode: 'shadow' } });
    expect(Date.now() - started).toBeLessThan(WINDOW_MS);

    expect(await guardAudit(h)).toEqual([expect.objectContaining({
      origin: 'automatic', action: 'set', tenant: 'default', from: null, to: { mode: 'shadow' },
      why: 'guard: error rate 100 % (10 of 10 new-path requests in the last 5 s) is above 5 %; canary 100% → shadow',
    })]);
    const routes = (await (await h.admin('GET', '/admin/routes/tracking.pixel')).json()) as { route: { tenants: { tenant: string; mode: string; source: string }[] } };
    expect(routes.route.tenants).toEqual([expect.objectContaining({ tenant: 'default', mode: 'shadow', source: 'tenant-override' })]);
    const after = await fetch(`${h.gateway.publicUrl}/mtracking.gif`);
    expect(after.headers.get('x-upstream')).toBe('legacy');
    expect(await register.getSingleMetricAsString(GUARD_ACTIONS_METRIC)).toContain('{route="tracking.pixel",tenant="default",from="canary",to="shadow",trigger="error-rate"} 1');
    expect(h.logs.find((l) => l.msg === 'guard moved a route one stage back')).toMatchObject({ level: 40, route: 'tracking.pixel', tenant: 'default', trigger: 'error-rate' });
  });

  it('moves a new path three times slower than legacy from extracted back to canary at guard.canaryPercent', async () => {
    h = await startHarness({ config: { guard: { ...GUARD, canaryPercent: 5 } } });
    // Legacy's answers on the route are the baseline.
    await pixels(h, 10);
    await h.setFlag('tracking.pixel', 'extracted', { why: 'go' });
    h.tracking.behaviour = 'slow';
    h.tracking.delayMs = 150;
    const attempt = nextAttempt(h.gateway.guard);
    expect(await pixels(h, 10)).toEqual(Array(10).fill(200));
    expect(await attempt).toMatchObject({ kind: 'acted', from: { mode: 'extracted' }, to: { mode: 'canary', percent: 5 } });
    const [entry] = await guardAudit(h);
    expect(entry?.why).toMatch(/^guard: latency ratio \d+(\.\d+)? \(new path 1\d\d(\.\d+)? ms mean over 10 answers in the last 5 s, legacy \d+(\.\d+)? ms over 10 answers at \S+; means below 10 ms count as 10\) is above 2; extracted → canary 5%$/);
  });

  it('moves nothing below the minimum sample', async () => {
    h = await startHarness({ config: { guard: GUARD } });
    await h.setFlag('tracking.pixel', 'canary', { percent: 100 });
    h.tracking.behaviour = 'fail';
    await pixels(h, 9);
    await evaluations(h.gateway.guard, 3);
    expect(await guardAudit(h)).toEqual([]);
    const status = (await (await h.admin('GET', '/admin/guard')).json()) as { watches: unknown[]; actions: unknown[] };
    expect(status.watches).toEqual([expect.objectContaining({ routeId: 'tracking.pixel', mode: 'canary', state: 'below-min-sample', figures: expect.objectContaining({ newRequests: 9, newErrors: 9 }) })]);
    expect(status.actions).toEqual([]);
  });
});

describeWithRedis('the guard on two gateways sharing a Redis flag store', () => {
  const url = testRedisUrl as string;
  const prefix = uniquePrefix('guard');
  const gateways: Harness[] = [];
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await deletePrefix(url, prefix);
  });

  it('lets exactly one act; both apply the step back', async () => {
    // The timer never fires in this test: both evaluate at once, when the test says.
    const config = { guard: { ...GUARD, evaluationIntervalMs: 3_600_000 } };
    for (const id of ['gw-a', 'gw-b']) gateways.push(await startHarness({ config, env: { REDIS_URL: url, STRANGLER_REDIS_PREFIX: prefix, STRANGLER_REPLICA_ID: id } }));
    const [a, b] = gateways as [Harness, Harness];
    await Promise.all([a.gateway.flagStore.ready(), b.gateway.flagStore.ready()]);
    const applied = (g: Harness, version: number) => new Promise<void>((resolve) => {
      if (g.gateway.flagStore.version >= version) return resolve();
      const stop = g.gateway.flagStore.subscribe((s) => s.version >= version && (stop(), resolve()));
    });
    await a.setFlag('tracking.pixel', 'canary', { percent: 100 });
    await applied(b, 1);
    a.tracking.behaviour = 'fail';
    b.tracking.behaviour = 'fail';
    await Promise.all([pixels(a, 10), pixels(b, 10)]);

    const results = Promise.all([nextAttempt(a.gateway.guard), nextAttempt(b.gateway.guard)]);
    await Promise.all([a.gateway.guard.evaluateNow(), b.gateway.guard.evaluateNow()]);
    const kinds = (await results).map((r) => r.kind);
    expect(kinds.filter((k) => k === 'acted')).toHaveLength(1);
    expect(kinds.filter((k) => k !== 'acted')).toEqual([expect.stringMatching(/^(lock-busy|refused|stale)$/)]);

    await Promise.all([applied(a, 2), applied(b, 2)]);
    expect(await guardAudit(a)).toHaveLength(1);
    for (const g of gateways) {
      const res = await fetch(`${g.gateway.publicUrl}/mtracking.gif`);
      expect(res.headers.get('x-upstream')).toBe('legacy');
      const line = await g.requestLine(res.headers.get('x-request-id') as string);
      expect(line).toMatchObject({ mode: 'shadow', reason: 'tenant-override' });
    }
  });
});
