/**
 * Shadow mode through a real gateway (docs/architecture.md §3, §5, §6): legacy answers, a copy
 * goes to the new service as a dry run, the two answers are compared after the client has its
 * own. Legacy and the new service are scripted servers on 127.0.0.1, so each test chooses both
 * answers byte for byte.
 */
import type { ComparisonEvent } from '../src/compare/comparison-recorder.ts';
import type { ComparisonRules } from '../src/model.ts';
import { describeWithRedis, testRedisUrl } from '../../test-support/services.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { deletePrefix, uniquePrefix } from './support/redis-server.ts';
import { startScriptedUpstream, type ScriptedAnswer, type ScriptedUpstream } from './support/scripted-answer-upstream.ts';
import { createTestCatalogue, TEST_ROUTES } from './support/test-catalogue.ts';

/** The noise rules of a tracking event answer (routes/comparison-rules.ts has the real ones). */
const RULES: ComparisonRules = {
  headers: ['content-type', 'cache-control'],
  cookies: { ignoreValueOf: ['mautic_device_id'], expiresToleranceSeconds: 5 },
  location: { ignoreParams: [] },
  json: { ignore: ['id', 'device_id'], numbers: [], times: [] },
  html: { ignore: [] },
};

const pixel = TEST_ROUTES.find((r) => r.id === 'tracking.pixel')!;
const event = TEST_ROUTES.find((r) => r.id === 'tracking.event')!;
const hit = TEST_ROUTES.find((r) => r.id === 'tracking.hit')!;
/** Pixel and event declare the dry run; `/video/hit` does not. */
const CATALOGUE = createTestCatalogue([
  { ...pixel, dryRun: true, comparison: RULES },
  { ...event, dryRun: true, comparison: RULES },
  { ...hit, comparison: RULES },
  ...TEST_ROUTES.filter((r) => r !== pixel && r !== event && r !== hit),
]);

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function eventAnswer(body: Record<string, unknown>, deviceId: string, extra: string[] = []): ScriptedAnswer {
  return {
    status: 200,
    headers: ['Content-Type', 'application/json', 'Cache-Control', 'no-store', 'Set-Cookie', `mautic_device_id=${deviceId}; path=/; samesite=lax`, ...extra],
    body: JSON.stringify(body),
  };
}
const DRY = ['X-Strangler-Dry-Run', '1'];

describe('shadow mode', () => {
  let h: Harness;
  let legacy: ScriptedUpstream;
  let tracking: ScriptedUpstream;
  let events: ComparisonEvent[];

  async function start(config: Record<string, unknown> = {}): Promise<void> {
    [legacy, tracking] = await Promise.all([startScriptedUpstream(), startScriptedUpstream()]);
    h = await startHarness({ catalogue: CATALOGUE, env: { LEGACY_URL: legacy.url, TRACKING_URL: tracking.url }, config });
    events = [];
    h.gateway.comparisons.onComparison((e) => events.push(e));
  }

  afterEach(async () => {
    await h?.close();
    await Promise.all([legacy?.close(), tracking?.close()]);
  });

  async function send(path: string, init: RequestInit = {}): Promise<{ res: Response; body: string; ms: number; line: Record<string, unknown> }> {
    const t0 = performance.now();
    const res = await fetch(`${h.gateway.publicUrl}${path}`, init);
    const body = await res.text();
    const ms = performance.now() - t0;
    return { res, body, ms, line: await h.requestLine(res.headers.get('x-request-id')!) };
  }

  it('sends the copy with the buffered body, the shadow mark and the client\'s traceparent; a matching pair is a match', async () => {
    await start();
    await h.setFlag('tracking.event', 'shadow');
    legacy.answer = () => eventAnswer({ id: 11, device_id: 'abc', success: 1 }, 'dev-legacy');
    tracking.answer = () => eventAnswer({ id: 12, device_id: 'xyz', success: 1 }, 'dev-new', DRY);
    const copy = tracking.nextRequest();
    const { res, body, line } = await send('/mtc/event', { method: 'POST', headers: { traceparent: TRACEPARENT, 'content-type': 'application/x-www-form-urlencoded' }, body: 'page_url=https%3A%2F%2Fexample.com%2F' });
    const seen = await copy;
    expect([res.status, JSON.parse(body)]).toEqual([200, { id: 11, device_id: 'abc', success: 1 }]);
    expect(seen.headers['x-strangler-mode']).toBe('shadow');
    // The client's trace, with the copy's own span as its parent (the gateway traces by default).
    expect(seen.headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$/);
    expect(seen.body.toString()).toBe('page_url=https%3A%2F%2Fexample.com%2F');
    expect(legacy.received[0]!.headers['x-strangler-mode']).toBeUndefined();
    expect([line.mode, line.upstream, line.diff, line.diffSkipReason]).toEqual(['shadow', 'legacy', 'match', undefined]);
    expect(events.map((e) => [e.routeId, e.comparison.outcome, e.traceId, e.legacy?.status, e.new?.status])).toEqual([['tracking.event', 'match', '4bf92f3577b34da6a3ce929d0e0e4736', 200, 200]]);
    const stats = h.gateway.comparisons.stats.snapshot()['tracking.event']!;
    expect([stats.compared, stats.matched, stats.mismatched, stats.latencyMs.legacy.count, stats.latencyMs.new.count]).toEqual([1, 1, 0, 1, 1]);
  });

  it('makes a traceparent when the client sent none, and uses its trace id in the diff', async () => {
    await start();
    await h.setFlag('tracking.pixel', 'shadow');
    legacy.answer = () => ({ status: 200, headers: ['Content-Type', 'image/gif'], body: 'GIF89a-legacy' });
    tracking.answer = () => ({ status: 200, headers: ['Content-Type', 'image/gif', ...DRY], body: 'GIF89a-new!!!' });
    const copy = tracking.nextRequest();
    await send('/mtracking.gif');
    const traceparent = String((await copy).headers.traceparent);
    // A new trace; sampled or not as the head sampler (ratio 0.1 by default) decided.
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    const [record] = await h.gateway.comparisons.store.list({ limit: 10 });
    expect(record!.traceId).toBe(traceparent.split('-')[1]);
    expect(record!.differences).toEqual([{ path: 'body.bytes[7]', legacy: '6c6567616379', new: '6e6577212121' }]);
  });

  it('a divergent candidate gives exactly the expected diff: noise rules hide the volatile fields, not the real difference', async () => {
    await start();
    await h.setFlag('tracking.event', 'shadow');
    legacy.answer = () => eventAnswer({ id: 11, device_id: 'abc', success: 1, email: 'nia@example.com' }, 'dev-legacy');
    // Volatile: id, device_id, the device cookie's value. Real: success, and the cookie's samesite.
    tracking.answer = () => ({
      ...eventAnswer({ id: 12, device_id: 'xyz', success: 0, email: 'nia@example.com' }, 'dev-new', DRY),
      headers: ['Content-Type', 'application/json', 'Cache-Control', 'no-store', 'Set-Cookie', 'mautic_device_id=dev-new; path=/; samesite=none', ...DRY],
    });
    const { line } = await send('/mtc/event', { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(line.diff).toBe('mismatch');
    const [record] = await h.gateway.comparisons.store.list({ routeId: 'tracking.event', limit: 10 });
    expect(record!.differences).toEqual([
      { path: 'cookies.mautic_device_id.samesite', legacy: 'lax', new: 'none' },
      { path: 'body.success', legacy: '1', new: '0' },
    ]);
    expect([record!.routeId, record!.tenant, record!.legacy.status, record!.new.status, record!.omitted]).toEqual(['tracking.event', 'default', 200, 200, 0]);
    // Both answers are kept, redacted: no email, no cookie value.
    const stored = JSON.stringify(record!.responses);
    expect(stored).not.toContain('nia@example.com');
    expect(stored).not.toContain('dev-legacy');
    expect(record!.responses!.legacy.body).toBe('{"id":11,"device_id":"abc","success":1,"email":"[redacted]"}');
    expect(record!.responses!.new.headers).toContainEqual(['set-cookie', 'mautic_device_id=[redacted]; path=/; samesite=none']);
    const stats = h.gateway.comparisons.stats.snapshot()['tracking.event']!;
    expect([stats.compared, stats.matched, stats.mismatched]).toEqual([1, 0, 1]);
  });

  it('a shadow target that hangs 2 s leaves the primary latency as in legacy mode, and is counted as deadline-passed', async () => {
    await start({ shadow: { deadlineMs: 300 } });
    legacy.answer = () => eventAnswer({ id: 1, success: 1 }, 'd');
    tracking.answer = () => ({ ...eventAnswer({ id: 1, success: 1 }, 'd', DRY), delayMs: 2_000 });
    const legacyMode: number[] = [];
    for (let i = 0; i < 5; i += 1) legacyMode.push((await send('/mtracking.gif')).ms);
    await h.setFlag('tracking.pixel', 'shadow');
    const shadowMode: number[] = [];
    let line: Record<string, unknown> = {};
    for (let i = 0; i < 5; i += 1) {
      const t0 = performance.now();
      const res = await fetch(`${h.gateway.publicUrl}/mtracking.gif`);
      await res.text();
      shadowMode.push(performance.now() - t0);
      line = await h.requestLine(res.headers.get('x-request-id')!);
    }
    // The client's answer never waits for the copy: far below the 2 s target and the 300 ms deadline.
    expect(Math.max(...shadowMode)).toBeLessThan(Math.max(250, 3 * Math.max(...legacyMode)));
    expect(Number(line.durationMs)).toBeLessThan(250);
    expect([line.diff, line.diffSkipReason]).toEqual(['skipped', 'deadline-passed']);
    expect(h.gateway.comparisons.stats.snapshot()['tracking.pixel']!.skipped['deadline-passed']).toBe(5);
    // Each copy past its deadline halved the target's share of the cap (64 → 2), and the admin API shows it.
    const answer = (await (await h.admin('GET', '/admin/comparisons')).json()) as { shadowTargets: unknown[] };
    expect(answer.shadowTargets).toEqual([{ upstream: 'tracking', url: tracking.url, inFlight: 0, share: 2 }]);
  });

  it('a shadow that keeps differing is stepped back to legacy by the guard, with the mismatch rate in the audit', async () => {
    await start({ guard: { windowMs: 5_000, evaluationIntervalMs: 100, minSample: 5 } });
    await h.setFlag('tracking.event', 'shadow', { why: 'compare' });
    legacy.answer = () => eventAnswer({ id: 1, device_id: 'a', success: 1 }, 'dev-legacy');
    tracking.answer = () => eventAnswer({ id: 2, device_id: 'b', success: 0 }, 'dev-new', DRY);
    for (let i = 0; i < 6; i += 1) await send('/mtc/event', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
    expect(events.map((e) => e.comparison.outcome)).toEqual(Array(6).fill('mismatch'));
    const stepped = await h.nthLine((l) => l.msg === 'flag snapshot applied' && Number(l.version) >= 2);
    expect(stepped).toBeDefined();
    const audit = (await (await h.admin('GET', '/admin/audit?route=tracking.event')).json()) as { entries: { who: string; origin: string; to: { mode: string } | null; why: string }[] };
    const [entry] = audit.entries.filter((e) => e.who === 'guard');
    expect(entry).toMatchObject({ origin: 'automatic', to: expect.objectContaining({ mode: 'legacy' }) });
    expect(entry!.why).toContain('mismatch rate 100 %');
  });

  it('traces the copy as a client span of the request\'s trace, linked to its server span, and counts the mismatch in /metrics', async () => {
    [legacy, tracking] = await Promise.all([startScriptedUpstream(), startScriptedUpstream()]);
    h = await startHarness({ catalogue: CATALOGUE, env: { LEGACY_URL: legacy.url, TRACKING_URL: tracking.url, OTEL_TRACES_SAMPLER: 'always_on' } });
    await h.setFlag('tracking.event', 'shadow');
    legacy.answer = () => eventAnswer({ id: 1, device_id: 'a', success: 1 }, 'dev-legacy');
    tracking.answer = () => eventAnswer({ id: 2, device_id: 'b', success: 0 }, 'dev-new', DRY);
    const copy = tracking.nextRequest();
    const { line } = await send('/mtc/event', { method: 'POST', headers: { traceparent: TRACEPARENT, 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
    const sent = String((await copy).headers.traceparent).split('-');
    await h.gateway.tracing.flush();
    const trace = (await (await h.admin('GET', `/admin/traces/${String(line.traceId)}`)).json()) as { spans: { spanId: string; parentSpanId?: string; name: string; kind: string; attributes: Record<string, unknown> }[] };
    const server = trace.spans.find((sp) => sp.parentSpanId === '00f067aa0ba902b7');
    const shadowSpan = trace.spans.find((sp) => sp.name === 'POST tracking (shadow)');
    expect(line.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(shadowSpan).toMatchObject({ parentSpanId: server?.spanId, attributes: expect.objectContaining({ 'strangler.mode': 'shadow', 'strangler.diff': 'mismatch', 'http.response.status_code': 200 }) });
    // The service's spans join the request's trace under the copy's span.
    expect([sent[1], sent[2]]).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', shadowSpan?.spanId]);
    const metrics = await (await fetch(`${h.gateway.adminUrl}/metrics`)).text();
    expect(metrics).toContain('strangler_shadow_comparisons_total{route="tracking.event",result="mismatch"} 1');
  });

  it('drops a copy when the cap is full and counts it', async () => {
    await start({ shadow: { maxInFlight: 1, deadlineMs: 5_000 } });
    await h.setFlag('tracking.pixel', 'shadow');
    legacy.answer = () => ({ status: 200, headers: ['Content-Type', 'image/gif'], body: 'GIF' });
    let first = true;
    tracking.answer = () => ({ status: 200, headers: ['Content-Type', 'image/gif', ...DRY], body: 'GIF', delayMs: first ? ((first = false), 60_000) : 0 });
    const copy = tracking.nextRequest();
    const slow = fetch(`${h.gateway.publicUrl}/mtracking.gif`).then((r) => r.text());
    await copy; // the first copy holds the only place
    const { line } = await send('/mtracking.gif');
    expect([line.diff, line.diffSkipReason]).toEqual(['skipped', 'cap-full']);
    expect(tracking.received).toHaveLength(1);
    expect(h.gateway.comparisons.stats.snapshot()['tracking.pixel']!.skipped['cap-full']).toBe(1);
    await slow;
    await tracking.close(); // ends the held copy now rather than at the gateway's pool-close timeout
  });

  it('a shutdown while a copy is held still compares and records its request before the last log lines', async () => {
    await start({ shadow: { deadlineMs: 30_000 } });
    await h.setFlag('tracking.pixel', 'shadow');
    legacy.answer = () => ({ status: 200, headers: ['Content-Type', 'image/gif'], body: 'GIF' });
    tracking.answer = () => ({ status: 200, headers: ['Content-Type', 'image/gif', ...DRY], body: 'GIF', delayMs: 60_000 });
    const copy = tracking.nextRequest();
    const res = await fetch(`${h.gateway.publicUrl}/mtracking.gif`);
    expect(await res.text()).toBe('GIF');
    await copy;
    const requestId = res.headers.get('x-request-id');
    // The client has its answer; the record waits for the copy, which waits 60 s.
    expect(h.logs.filter((l) => l.msg === 'request' && l.requestId === requestId)).toEqual([]);
    await h.gateway.close();
    const stopped = h.logs.findIndex((l) => l.msg === 'gateway stopped');
    const line = h.logs.findIndex((l) => l.msg === 'request' && l.requestId === requestId);
    expect(line).toBeGreaterThanOrEqual(0);
    expect(line).toBeLessThan(stopped);
    expect(h.logs[line]).toMatchObject({ diff: 'skipped', diffSkipReason: 'shadow-failed' });
    expect(events.map((e) => [e.routeId, e.comparison.outcome])).toEqual([['tracking.pixel', 'skipped']]);
  });

  it('counts an answer without X-Strangler-Dry-Run: 1 as dry-run-unconfirmed, a given-up dry run as dry-run-gave-up', async () => {
    await start();
    await h.setFlag('tracking.pixel', 'shadow');
    legacy.answer = () => ({ status: 200, headers: ['Content-Type', 'image/gif'], body: 'GIF' });
    tracking.answer = () => ({ status: 200, headers: ['Content-Type', 'image/gif'], body: 'GIF' });
    expect((await send('/mtracking.gif')).line.diffSkipReason).toBe('dry-run-unconfirmed');
    tracking.answer = () => ({ status: 503, headers: ['Content-Type', 'text/html', ...DRY, 'X-Strangler-Dry-Run-Gave-Up', 'lock-timeout'], body: 'gave up' });
    expect((await send('/mtracking.gif')).line.diffSkipReason).toBe('dry-run-gave-up');
    const skipped = h.gateway.comparisons.stats.snapshot()['tracking.pixel']!.skipped;
    expect([skipped['dry-run-unconfirmed'], skipped['dry-run-gave-up']]).toEqual([1, 1]);
    expect(await h.gateway.comparisons.store.list({ limit: 10 })).toEqual([]);
  });

  it('sends no copy for a route whose service does not declare the dry run, nor for a body over the buffering limit', async () => {
    await start({ server: { host: '127.0.0.1', drainTimeoutMs: 1000, maxBufferedBodyBytes: 16 } });
    await h.setFlag('tracking.hit', 'shadow');
    await h.setFlag('tracking.event', 'shadow');
    legacy.answer = () => eventAnswer({ ok: 1 }, 'd');
    expect((await send('/video/hit', { method: 'POST', body: 'a=1' })).line.diffSkipReason).toBe('dry-run-unsupported');
    expect((await send('/mtc/event', { method: 'POST', body: 'a-body-longer-than-sixteen-bytes' })).line.diffSkipReason).toBe('body-too-large');
    expect(tracking.received).toHaveLength(0);
    const snapshot = h.gateway.comparisons.stats.snapshot();
    expect([snapshot['tracking.hit']!.skipped['dry-run-unsupported'], snapshot['tracking.event']!.skipped['body-too-large']]).toEqual([1, 1]);
  });

  it('counts a copy that gets no answer as shadow-failed, and leaves the client\'s answer alone', async () => {
    await start();
    await h.setFlag('tracking.pixel', 'shadow');
    legacy.answer = () => ({ status: 200, headers: ['Content-Type', 'image/gif'], body: 'GIF' });
    await tracking.close();
    const { res, body, line } = await send('/mtracking.gif');
    expect([res.status, body, line.diffSkipReason]).toEqual([200, 'GIF', 'shadow-failed']);
  });
});

describeWithRedis('shadow mode with REDIS_URL: the diffs go to the capped Redis store', () => {
  const prefix = uniquePrefix('shadow');
  let h: Harness | undefined;
  let legacy: ScriptedUpstream | undefined;
  let tracking: ScriptedUpstream | undefined;
  afterAll(async () => {
    await h?.close();
    await Promise.all([legacy?.close(), tracking?.close()]);
    await deletePrefix(testRedisUrl as string, prefix);
  });

  it('stores a mismatch in Redis, readable through the admin API', async () => {
    [legacy, tracking] = await Promise.all([startScriptedUpstream(), startScriptedUpstream()]);
    h = await startHarness({
      catalogue: CATALOGUE,
      env: { LEGACY_URL: legacy.url, TRACKING_URL: tracking.url, REDIS_URL: testRedisUrl as string, STRANGLER_REDIS_PREFIX: prefix },
      config: { comparison: { store: { redisKeyPrefix: `${prefix}diffs:`, maxRecordsPerRoute: 2 } } },
    });
    await h.nthLine((l) => l.msg === 'flag snapshot applied');
    await h.setFlag('tracking.pixel', 'shadow');
    legacy.answer = () => ({ status: 200, headers: ['Content-Type', 'image/gif'], body: 'GIF-a' });
    tracking.answer = () => ({ status: 200, headers: ['Content-Type', 'image/gif', ...DRY], body: 'GIF-b' });
    for (let i = 0; i < 3; i += 1) {
      const res = await fetch(`${h.gateway.publicUrl}/mtracking.gif`);
      await res.text();
      expect((await h.requestLine(res.headers.get('x-request-id')!)).diff).toBe('mismatch');
    }
    const page = (await (await h.admin('GET', '/admin/diffs?route=tracking.pixel')).json()) as { diffs: { id: string; differences: unknown[] }[] };
    // Capped at maxRecordsPerRoute; Redis stream ids.
    expect(page.diffs.map((d) => [/^\d+-\d+$/.test(d.id), d.differences])).toEqual([
      [true, [{ path: 'body.bytes[4]', legacy: '61', new: '62' }]],
      [true, [{ path: 'body.bytes[4]', legacy: '61', new: '62' }]],
    ]);
    const counters = (await (await h.admin('GET', '/admin/comparisons')).json()) as { store: { kind: string; dropped: number } };
    expect(counters.store).toEqual({ kind: 'redis', dropped: 0 });
  });
});
