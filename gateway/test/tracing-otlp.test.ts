/**
 * One trace across processes (docs/architecture.md §8): a gateway and a tracking service run as
 * child processes (automatic instrumentation does not work under Jest's module loader), both
 * export to a real OTLP/HTTP receiver on 127.0.0.1, and a pixel served by the tracking service on
 * MariaDB gives one trace holding the gateway's server and client spans, the service's server
 * span (child of the gateway's client span: `traceparent` went upstream) and its SQL spans; the
 * tracking worker, reading the hit from Redis (a redis-server of the test's own), adds its phase 2
 * to the same trace through the `traceparent` the queued message carried.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDb, type TestDb } from '../../test-support/databases.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../test-support/otlp-receiver.ts';
import { describeWithMysql } from '../../test-support/services.ts';
import { startOwnRedis, type OwnRedis } from './support/redis-server.ts';
import { REPO_ROOT, spawnGateway, type GatewayProcess } from './support/spawn-gateway.ts';

const TOKEN = 'otlp-test-operator-token';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
/** The exporters batch for up to a second; the machine is loaded. */
const SPANS_WITHIN_MS = 20_000;

/** Runs a part as its container does (`npm run serve`, from the sources); resolves with the first match of `ready` in its stdout. */
function startPart(part: string, env: Record<string, string>, ready: RegExp): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, ['scripts/serve.ts', part], { cwd: REPO_ROOT, env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const found = ready.exec(out)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`${part} exited ${code}: ${err}`)));
  });
  return { child, url };
}

describeWithMysql('one trace: gateway → tracking service → MariaDB, over OTLP/HTTP', () => {
  let otlp: OtlpReceiver;
  let db: TestDb;
  let legacy: Server;
  let tracking: ChildProcess;
  let worker: ChildProcess;
  let redis: OwnRedis;
  let gateway: GatewayProcess;

  let traceId = '';

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    db = await createTestDb('mysql');
    legacy = createServer((_req, res) => void res.end('legacy'));
    legacy.listen(0, '127.0.0.1');
    await once(legacy, 'listening');
    redis = await startOwnRedis();
    const services = { DATABASE_URL: db.url, REDIS_URL: redis.url, OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url };
    const started = startPart('tracking', services, /tracking listening on (http:\/\/\S+)/);
    tracking = started.child;
    const reading = startPart('worker', services, /worker (reading)/);
    worker = reading.child;
    const trackingUrl = await started.url;
    await reading.url;
    gateway = spawnGateway({
      PORT: '0', ADMIN_PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: TOKEN,
      LEGACY_URL: `http://127.0.0.1:${(legacy.address() as AddressInfo).port}`, TRACKING_URL: trackingUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_TRACES_SAMPLER: 'always_on',
    }, {});
  }, 60_000);

  afterAll(async () => {
    gateway?.cleanup();
    tracking?.kill('SIGKILL');
    worker?.kill('SIGKILL');
    await redis?.dispose();
    legacy?.close();
    await otlp?.close();
    await db?.drop();
  });

  it('holds the gateway span, the service span and its SQL span', async () => {
    const listening = await gateway.line('gateway listening');
    const { publicUrl, adminUrl } = listening as { publicUrl: string; adminUrl: string };
    const set = await fetch(`${adminUrl}/admin/routes/tracking.pixel/mode`, {
      method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'extracted', reason: 'otlp test' }),
    });
    expect(set.status).toBe(200);
    const res = await fetch(`${publicUrl}/mtracking.gif?page_url=${encodeURIComponent('https://example.com/traced')}`, { headers: { 'user-agent': BROWSER } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    await res.arrayBuffer();

    // mysql2's spans carry db.* attributes (db.system.name, db.query.text in the current conventions).
    const isSql = (s: ReceivedSpan): boolean => s.service === 'strangler-tracking' && Object.keys(s.attributes).some((k) => k.startsWith('db.'));
    const server = (s: ReceivedSpan): boolean => s.service === 'strangler-gateway' && s.kind === 2 && s.attributes['strangler.route'] === 'tracking.pixel';
    await otlp.waitFor((spans) => {
      const root = spans.find(server);
      return root !== undefined && spans.some((s) => s.traceId === root.traceId && isSql(s));
    }, SPANS_WITHIN_MS);

    const root = otlp.spans.find(server) as ReceivedSpan;
    const trace = otlp.spans.filter((s) => s.traceId === root.traceId);
    expect(root.parentSpanId).toBe('');
    expect(root.attributes).toMatchObject({ 'strangler.tenant': 'default', 'strangler.mode': 'extracted', 'strangler.reason': 'flag', 'strangler.upstream': 'tracking', 'http.response.status_code': 200 });
    const client = trace.find((s) => s.service === 'strangler-gateway' && s.kind === 3);
    expect(client).toMatchObject({ parentSpanId: root.spanId, attributes: expect.objectContaining({ 'strangler.route': 'tracking.pixel', 'strangler.mode': 'extracted', 'strangler.upstream': 'tracking' }) });
    const serviceSpan = trace.find((s) => s.service === 'strangler-tracking' && s.kind === 2);
    expect(serviceSpan?.parentSpanId).toBe(client?.spanId);
    const ids = new Set(trace.map((s) => s.spanId));
    const sql = trace.filter(isSql);
    expect(sql.length).toBeGreaterThan(0);
    expect(sql.every((s) => ids.has(s.parentSpanId))).toBe(true);
    expect(sql.map((s) => String(s.attributes['db.query.text'] ?? s.attributes['db.statement'] ?? '')).join('\n')).toMatch(/page_hits/i);
    traceId = root.traceId;
  }, 60_000);

  it('the worker\'s phase 2 joins the hit\'s trace through the queued message', async () => {
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const phaseTwo = (s: ReceivedSpan): boolean => s.traceId === traceId && s.service === 'strangler-worker' && s.name === 'tracking phase 2';
    await otlp.waitFor((spans) => spans.some((s) => phaseTwo(s) && spans.some((c) => c.parentSpanId === s.spanId && Object.keys(c.attributes).some((k) => k.startsWith('db.')))), SPANS_WITHIN_MS);
    const span = otlp.spans.find(phaseTwo) as ReceivedSpan;
    expect(span.kind).toBe(5);
    // Its parent is a span of the tracking service in the same trace (the request that queued it).
    const parent = otlp.spans.find((s) => s.spanId === span.parentSpanId);
    expect(parent).toMatchObject({ traceId, service: 'strangler-tracking' });
  }, 60_000);
});
