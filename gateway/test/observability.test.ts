/**
 * The request record seen three ways (docs/architecture.md §8): `/metrics` parses as
 * Prometheus text and its counters match the requests sent and their log lines; every upstream
 * gets a `traceparent` of the request's trace; with a head sampler that keeps nothing, the
 * in-memory store still holds the trace of a fallback (tail decision) and not the others; the
 * migration's progress per tenant and route is in `GET /admin/progress` and `strangler progress`.
 */
import { execFile } from 'node:child_process';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startHarness, TEST_TOKEN, type Harness, type LogLine } from './support/harness.ts';
import { REPO_ROOT } from './support/spawn-gateway.ts';

interface Family { name: string; type: string; metrics: { labels?: Record<string, string>; value?: string; count?: string; buckets?: Record<string, string> }[] }

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;
const CLIENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { OTEL_TRACES_SAMPLER: 'always_off' } });
});
afterAll(async () => h?.close());

async function send(headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${h.gateway.publicUrl}/mtracking.gif?page_url=x`, { headers });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  return res.headers.get('x-request-id') as string;
}

async function metrics(): Promise<{ families: Family[]; text: string }> {
  const res = await fetch(`${h.gateway.adminUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return { families: parsePrometheusTextFormat(text) as Family[], text };
}

function strangler(args: string[]): Promise<{ code: number; stdout: string }> {
  const env = { PATH: process.env.PATH ?? '', STRANGLER_ADMIN_URL: h.gateway.adminUrl, STRANGLER_TOKEN: TEST_TOKEN };
  return new Promise((resolve) => {
    execFile(process.execPath, ['gateway/src/cli/strangler.ts', ...args], { cwd: REPO_ROOT, env }, (err, stdout) => resolve({ code: err ? Number(err.code) : 0, stdout }));
  });
}

describe('metrics, traces and progress from one request record', () => {
  const lines: LogLine[] = [];

  it('sends traceparent of the request trace to every upstream, continuing the client\'s trace', async () => {
    const legacyId = await send({ traceparent: `00-${CLIENT_TRACE}-00f067aa0ba902b7-00` });
    const seen = h.legacy.received.at(-1);
    const [, traceId, spanId] = TRACEPARENT.exec(String(seen?.headers.traceparent)) ?? [];
    expect(traceId).toBe(CLIENT_TRACE);
    expect(spanId).not.toBe('00f067aa0ba902b7');
    lines.push(await h.requestLine(legacyId));
    expect(lines[0]?.traceId).toBe(CLIENT_TRACE);

    await h.setFlag('tracking.pixel', 'extracted');
    const newId = await send();
    const line = await h.requestLine(newId);
    lines.push(line);
    expect(line).toMatchObject({ upstream: 'tracking', mode: 'extracted' });
    expect(TRACEPARENT.exec(String(h.tracking.received.at(-1)?.headers.traceparent))?.[1]).toBe(line.traceId);
  });

  it('keeps the trace of a fallback in memory, though the head sampler keeps nothing', async () => {
    h.tracking.behaviour = 'fail';
    const fellBack = await h.requestLine(await send());
    h.tracking.behaviour = 'echo';
    lines.push(fellBack, await h.requestLine(await send()));
    expect(fellBack).toMatchObject({ reason: 'fallback-replay', upstream: 'legacy' });
    const trace = await waitForTrace(String(fellBack.traceId));
    expect(trace.spans.map((s) => `${s.kind} ${s.name}`).sort()).toEqual(['client GET legacy', 'client GET tracking', 'server GET tracking.pixel']);
    const server = trace.spans.find((s) => s.kind === 'server');
    expect(server?.attributes).toMatchObject({ 'strangler.route': 'tracking.pixel', 'strangler.tenant': 'default', 'strangler.mode': 'extracted', 'strangler.reason': 'fallback-replay', 'strangler.upstream': 'legacy' });
    expect(trace.spans.find((s) => s.name === 'GET tracking')).toMatchObject({ status: 'error', parentSpanId: server?.spanId, attributes: expect.objectContaining({ 'strangler.reason': 'flag' }) });
    // The plain requests were not sampled and not kept.
    const listed = (await (await h.admin('GET', '/admin/traces?limit=100')).json()) as { traces: { traceId: string }[] };
    expect(listed.traces.map((t) => t.traceId)).toEqual([fellBack.traceId]);
    const gone = await h.admin('GET', `/admin/traces/${String(lines[1]?.traceId)}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('GW_ERR_ADMIN_TRACE_NOT_FOUND');
  });

  it('/metrics counts exactly the requests of the log lines, per route × upstream × mode', async () => {
    const { families, text } = await metrics();
    const family = (name: string): Family => families.find((f) => f.name === name) as Family;
    const expected = new Map<string, number>();
    for (const l of lines) expected.set(`${String(l.route)} ${String(l.upstream)} ${String(l.mode)}`, (expected.get(`${String(l.route)} ${String(l.upstream)} ${String(l.mode)}`) ?? 0) + 1);
    const counted = new Map(family('strangler_requests_total').metrics.map((m) => [`${m.labels?.route} ${m.labels?.upstream} ${m.labels?.mode}`, Number(m.value)]));
    expect(counted).toEqual(expected);
    expect(counted.get('tracking.pixel tracking extracted')).toBe(2);
    const histogram = family('strangler_request_duration_seconds');
    expect(histogram.type).toBe('HISTOGRAM');
    // The parser keeps no labels or counts of histogram series: the _count lines are read from the text.
    const counts = [...text.matchAll(/^strangler_request_duration_seconds_count\{[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(lines.length);
    expect(family('strangler_fallbacks_total').metrics).toEqual([{ labels: { route: 'tracking.pixel', reason: 'fallback-replay' }, value: '1' }]);
    expect(Number(family('strangler_flag_version_applied').metrics[0]?.value)).toBe(1);
    const progress = family('strangler_progress_requests_total').metrics.map((m) => [m.labels?.answered_by, m.value]).sort();
    expect(progress).toEqual([['legacy', '2'], ['new', '2']]);
    // The process's own figures: its memory and the event loop's delay.
    expect(Number(family('process_resident_memory_bytes').metrics[0]?.value)).toBeGreaterThan(10 * 1024 * 1024);
    expect(Number(family('nodejs_eventloop_lag_p99_seconds').metrics[0]?.value)).toBeGreaterThanOrEqual(0);
  });

  it('GET /admin/progress and strangler progress: today, per tenant and route', async () => {
    const res = await h.admin('GET', '/admin/progress?days=3&route=tracking.pixel');
    expect(res.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(await res.json()).toEqual({ source: 'memory', days: [{ day: today, tenant: 'default', route: 'tracking.pixel', total: 4, answeredByNew: 2, fellBack: 1, newShare: 0.5 }] });
    const bad = await h.admin('GET', '/admin/progress?days=0');
    expect(bad.status).toBe(400);

    const json = await strangler(['--json', 'progress', '--route', 'tracking.pixel']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { days: unknown[] }).days).toHaveLength(1);
    const people = await strangler(['progress']);
    expect(people.code).toBe(0);
    expect(people.stdout).toMatch(new RegExp(`^${today}\\s+default\\s+tracking\\.pixel\\s+4\\s+2\\s+50\\.0%\\s+1$`, 'm'));
  }, 30_000);
});

interface TraceAnswer { spans: { name: string; kind: string; spanId: string; parentSpanId?: string; status: string; attributes: Record<string, unknown> }[] }

/** The store is fed by a batch processor: flush it, then read the trace. */
async function waitForTrace(traceId: string): Promise<TraceAnswer> {
  await h.gateway.tracing.flush();
  const res = await h.admin('GET', `/admin/traces/${traceId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as TraceAnswer;
}

describe('with tracing and metrics off (OTEL_SDK_DISABLED, STRANGLER_METRICS_DISABLED)', () => {
  let g: Harness;
  beforeAll(async () => {
    g = await startHarness({ env: { OTEL_SDK_DISABLED: 'true', STRANGLER_METRICS_DISABLED: 'true' } });
  });
  afterAll(async () => g?.close());

  it('passes the client\'s traceparent unchanged, makes no span and counts no request', async () => {
    const client = `00-${CLIENT_TRACE}-00f067aa0ba902b7-01`;
    const res = await fetch(`${g.gateway.publicUrl}/mtracking.gif?page_url=x`, { headers: { traceparent: client } });
    await res.arrayBuffer();
    expect(g.legacy.received.at(-1)?.headers.traceparent).toBe(client);
    expect((await g.requestLine(res.headers.get('x-request-id') as string)).traceId).toBeUndefined();
    const text = await (await fetch(`${g.gateway.adminUrl}/metrics`)).text();
    expect(text).not.toMatch(/^strangler_requests_total\{/m);
    expect(text).toMatch(/^strangler_flag_version_applied 0$/m);
  });
});

// The export itself is tested with the gateway as a child process (tracing-otlp.test.ts): the
// OTLP exporter loads its transport with a dynamic import, which Jest's module loader refuses.
describe('with an OTLP endpoint', () => {
  let g: Harness;
  beforeAll(async () => {
    g = await startHarness({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' } });
  });
  afterAll(async () => g?.close());

  it('keeps no trace in memory: /admin/traces says where they go', async () => {
    const traces = await g.admin('GET', '/admin/traces');
    expect(traces.status).toBe(409);
    expect(await traces.json()).toEqual({ error: { code: 'GW_ERR_ADMIN_TRACES_EXPORTED', message: 'Traces are exported to http://127.0.0.1:9, not kept in memory: read them in Jaeger' } });
  });
});
