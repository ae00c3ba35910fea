// The guard through real sockets (docs/architecture.md §4, gateway/README.md § The guard): a canary
// whose new upstream answers 500 and a new path slower than legacy are moved one stage back within
// the window, audited with the evidence; below the minimum sample nothing moves; two gateways on one
// Redis flag store: exactly one acts and both follow.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { describeWithRedis, testRedisUrl } from '../../test-support/services.ts';
import type { Guard, GuardEvent } from '../src/guard/guard.ts';
import { GUARD_ACTIONS_METRIC } from '../src/guard/metrics.ts';
import type { StepBackResult } from '../src/guard/step-back.ts';
import { startHarness, type Harness, type LogLine } from './support/harness.ts';
import { deletePrefix, uniquePrefix } from './support/redis-server.ts';
import { REPO_ROOT } from './support/spawn-gateway.ts';

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
      origin: 'automatic', action: 'set', tenant: 'default', from: null, to: { mode: 'shadow', setBy: 'guard' },
      why: 'guard: error rate 100 % (10 of 10 new-path requests in the last 5 s) is above 5 %; canary 100% → shadow',
    })]);
    const routes = (await (await h.admin('GET', '/admin/routes/tracking.pixel')).json()) as { route: { tenants: { tenant: string; mode: string; source: string }[] } };
    expect(routes.route.tenants).toEqual([expect.objectContaining({ tenant: 'default', mode: 'shadow', source: 'tenant-override' })]);
    const after = await fetch(`${h.gateway.publicUrl}/mtracking.gif`);
    expect(after.headers.get('x-upstream')).toBe('legacy');
    const metrics = await (await fetch(`${h.gateway.adminUrl}/metrics`)).text();
    expect(metrics).toContain(`${GUARD_ACTIONS_METRIC}{route="tracking.pixel",tenant="default",from="canary",to="shadow",trigger="error-rate"} 1`);
    expect(h.logs.find((l) => l.msg === 'guard moved a route one stage back')).toMatchObject({ level: 40, route: 'tracking.pixel', tenant: 'default', trigger: 'error-rate' });
  });

  it('moves a new path much slower than legacy from extracted back to canary at guard.canaryPercent', async () => {
    h = await startHarness({ config: { guard: { ...GUARD, canaryPercent: 5 } } });
    // Legacy's answers on the route are the baseline.
    await pixels(h, 10);
    await h.setFlag('tracking.pixel', 'extracted', { why: 'go' });
    h.tracking.behaviour = 'slow';
    h.tracking.delayMs = 500;
    const attempt = nextAttempt(h.gateway.guard);
    expect(await pixels(h, 10)).toEqual(Array(10).fill(200));
    expect(await attempt).toMatchObject({ kind: 'acted', from: { mode: 'extracted' }, to: { mode: 'canary', percent: 5 } });
    const [entry] = await guardAudit(h);
    const why = /^guard: latency ratio ([\d.]+) \(new path ([\d.]+) ms mean over 10 answers in the last 5 s, legacy ([\d.]+) ms over 10 answers at \S+; means below 10 ms count as 10\) is above 2; extracted → canary 5%$/.exec(entry?.why ?? '');
    expect(why).not.toBeNull();
    const [ratio, newMs, legacyMs] = (why as RegExpExecArray).slice(1).map(Number) as [number, number, number];
    expect(newMs).toBeGreaterThanOrEqual(500);
    expect(ratio).toBeCloseTo(newMs / Math.max(legacyMs, 10), 1);
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

describe('GET /admin/guard and strangler guard', () => {
  const VIEWER = 'viewer-token-0123456789';
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_VIEWER_TOKEN: VIEWER }, config: { guard: GUARD, routes: { 'tracking.pixel': { guard: { maxLatencyRatio: 3 } } } } });
    await h.setFlag('tracking.pixel', 'canary', { percent: 100 });
    h.tracking.behaviour = 'fail';
    const attempt = nextAttempt(h.gateway.guard);
    await pixels(h, 10);
    await attempt;
  });
  afterAll(async () => h?.close());

  function strangler(args: string[], token: string | null = VIEWER): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', STRANGLER_ADMIN_URL: h.gateway.adminUrl };
    if (token !== null) env.STRANGLER_TOKEN = token;
    return new Promise((resolve) => {
      execFile(process.execPath, ['gateway/src/cli/strangler.ts', ...args], { cwd: REPO_ROOT, env }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      });
    });
  }

  it('shows a viewer the windows with their thresholds and the guard\'s actions', async () => {
    const res = await h.admin('GET', '/admin/guard?route=tracking.pixel&tenant=default', undefined, VIEWER);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      enabled: true, windowMs: WINDOW_MS, evaluationIntervalMs: 100, canaryPercent: 10,
      thresholds: { enabled: true, maxErrorRatePercent: 5, maxLatencyRatio: 2, maxMismatchRatePercent: 5, minSample: 10, latencyFloorMs: 10 },
      watches: [{
        routeId: 'tracking.pixel', tenant: 'default', mode: 'shadow', state: 'below-min-sample', trigger: null,
        thresholds: { maxLatencyRatio: 3, minSample: 10 }, figures: { newRequests: 0, comparisons: 0, legacyTimed: 0 },
      }],
      actions: [{ who: 'guard', origin: 'automatic', routeId: 'tracking.pixel', tenant: 'default', to: { mode: 'shadow' } }],
    });
    expect(typeof body.replica).toBe('string');
  });

  it.each([
    ['/admin/guard?route=tracking.nope', 404, 'GW_ERR_ADMIN_UNKNOWN_ROUTE'],
    ['/admin/guard?tenant=nobody', 404, 'GW_ERR_ADMIN_UNKNOWN_TENANT'],
    ['/admin/guard?limit=0', 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['/admin/guard?limit=101', 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
    ['/admin/guard?since=1h', 400, 'GW_ERR_ADMIN_BAD_REQUEST'],
  ])('refuses %s with %i %s', async (path, status, code) => {
    const res = await h.admin('GET', path);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('prints the windows and the actions as tables, and as JSON', async () => {
    const table = await strangler(['guard']);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^guard on on replica \S+: window 5 s, judged every 0\.1 s \(last \S+\); extracted steps back to canary 10%$/);
    expect(lines[1]).toMatch(/^ROUTE\s+TENANT\s+MODE\s+ERRORS\s+LATENCY RATIO\s+MISMATCHES\s+MIN SAMPLE\s+STATE$/);
    expect(lines[2]).toMatch(/^tracking\.pixel\s+default\s+shadow\s+-\s+-\s+-\s+10\s+below-min-sample$/);
    expect(lines[3]).toBe('recent actions:');
    expect(lines[4]).toMatch(/^AT\s+ROUTE\s+TENANT\s+VERSION\s+WHY$/);
    expect(lines[5]).toMatch(/^\S+Z\s+tracking\.pixel\s+default\s+2\s+guard: error rate 100 % \(10 of 10 new-path requests in the last 5 s\) is above 5 %; canary 100% → shadow$/);
    const json = await strangler(['--json', 'guard', '--limit', '1']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ watches: [{ routeId: 'tracking.pixel' }], actions: [{ who: 'guard', version: 2 }] });
  });

  it('exits like the other commands: 4 for an unknown route, 3 without a token', async () => {
    const unknown = await strangler(['guard', '--route', 'tracking.nope']);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('GW_ERR_ADMIN_UNKNOWN_ROUTE');
    const noToken = await strangler(['guard'], null);
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toContain('STRANGLER_TOKEN is not set');
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
    expect(await guardAudit(a)).toEqual([expect.objectContaining({ origin: 'automatic', action: 'set', tenant: 'default', to: { mode: 'shadow', setBy: 'guard' }, why: expect.stringMatching(/^guard: error rate 100 % \(10 of 10 new-path requests/) })]);
    for (const g of gateways) {
      const res = await fetch(`${g.gateway.publicUrl}/mtracking.gif`);
      expect(res.headers.get('x-upstream')).toBe('legacy');
      const line = await g.requestLine(res.headers.get('x-request-id') as string);
      // Every replica's requests say why the route is where it is.
      expect(line).toMatchObject({ mode: 'shadow', reason: 'guard-rollback' });
    }
  });
});
