// A slow monolith and slow clients (issue #10 §2, §3), as scenario steps against a real legacy
// process: one slow path must not starve the other legacy routes, a slow uploader is the
// client's 408 and never holds an upstream connection, and a full queue fails fast with its code.
import type { Socket } from 'node:net';
import { openSocket, parseResponse, readUntilClose } from './support/raw-socket.ts';
import { startHarness, type Harness, type HarnessOptions } from './support/harness.ts';
import { startUpstreamProcess, type UpstreamProcess } from './support/upstream-process.ts';

let h: Harness | null = null;
let legacy: UpstreamProcess;
const sockets: Socket[] = [];

async function start(config: HarnessOptions['config'] = {}): Promise<Harness> {
  legacy = await startUpstreamProcess('legacy');
  h = await startHarness({ env: { LEGACY_URL: legacy.url }, config });
  return h;
}
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.destroy());
  await h?.close();
  h = null;
  await legacy.kill();
});

/** Sends a request's head (and `body`) on its own connection and leaves it open. */
async function holdOpen(gw: Harness, head: string, body = ''): Promise<Socket> {
  const socket = await openSocket(gw.gateway.publicUrl);
  socket.on('error', () => undefined);
  sockets.push(socket);
  socket.write(`${head}\r\n${body}`);
  return socket;
}

/** Resolves once the legacy process has seen `count` requests. */
async function legacySaw(count: number): Promise<void> {
  while ((await legacy.seen()).requests < count) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** GET through the gateway; `{ status, ms }`, or status 0 when no answer came within `withinMs`. */
async function timedGet(gw: Harness, path: string, withinMs: number): Promise<{ status: number; code: string | null; ms: number }> {
  const started = performance.now();
  try {
    const res = await fetch(`${gw.gateway.publicUrl}${path}`, { signal: AbortSignal.timeout(withinMs) });
    await res.arrayBuffer();
    return { status: res.status, code: res.headers.get('x-strangler-error'), ms: performance.now() - started };
  } catch {
    return { status: 0, code: null, ms: performance.now() - started };
  }
}

describe('one slow legacy path', () => {
  it('40 requests hanging on one legacy path: a request to another legacy path is answered at once', async () => {
    // Given 40 requests hang on /hang (the legacy process reads them and never answers)
    const gw = await start();
    for (let i = 0; i < 40; i++) await holdOpen(gw, `GET /hang/${i} HTTP/1.1\r\nHost: a\r\n`);
    await legacySaw(40);
    // When another legacy path is asked for, Then legacy answers it (with a pool of 32 it would queue behind them for 30 s)
    const other = await timedGet(gw, '/other-page', 5_000);
    expect(other).toMatchObject({ status: 200, code: null });
    expect((await legacy.seen()).connections).toBeGreaterThanOrEqual(41);
  });

  it('40 clients uploading at a trickle: nothing reaches legacy, other requests are answered at once, each uploader gets 408', async () => {
    const gw = await start({ server: { requestTimeoutMs: 1_500 } });
    // Given 40 clients that send a form post's head and 5 of its 100 bytes
    const uploads = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      holdOpen(gw, `POST /form/submit HTTP/1.1\r\nHost: a\r\nX-Request-Id: slow-${i}\r\nContent-Length: 100\r\n`, 'mauti')));
    const answers = uploads.map((socket) => readUntilClose(socket));
    // When another request comes meanwhile, Then it is answered at once, and legacy never heard of the uploads
    expect(await timedGet(gw, '/other-page', 5_000)).toMatchObject({ status: 200 });
    expect(await legacy.seen()).toMatchObject({ requests: 1 });
    // And each uploader gets 408 once requestTimeoutMs has passed, on a closed connection
    for (const raw of await Promise.all(answers)) {
      const res = parseResponse(raw);
      expect(res.status).toBe(408);
      expect(res.headers['x-strangler-error']).toBe('GW_ERR_REQUEST_TIMEOUT');
      expect(res.headers.connection).toBe('close');
    }
    expect(await gw.requestLine('slow-7')).toMatchObject({ status: 408, error: 'GW_ERR_REQUEST_TIMEOUT', upstream: null, primary: 'legacy' });
    expect(await legacy.seen()).toMatchObject({ requests: 1 });
    expect((await gw.stats()).errors).toEqual({ GW_ERR_REQUEST_TIMEOUT: 40 });
  });

  it('a slow uploader on a migrated route gets 408: no upstream connection, no breaker count', async () => {
    const gw = await start({ server: { requestTimeoutMs: 300 }, breaker: { consecutiveFailures: 1 } });
    await gw.setFlag('tracking.hit', 'extracted');
    const socket = await holdOpen(gw, 'POST /video/hit HTTP/1.1\r\nHost: a\r\nX-Request-Id: trickle\r\nContent-Length: 10\r\n', 'ab');
    const res = parseResponse(await readUntilClose(socket));
    expect(res.status).toBe(408);
    expect(await gw.requestLine('trickle')).toMatchObject({ status: 408, error: 'GW_ERR_REQUEST_TIMEOUT', upstream: null });
    expect(gw.tracking.received).toHaveLength(0);
    expect(gw.gateway.breakers.state('tracking', 'default')).toBe('closed');
  });
});

describe('bounded queue', () => {
  it('when every connection is busy and the queue is full, the next request gets 503 GW_ERR_UPSTREAM_QUEUE_FULL at once, counted', async () => {
    // Given a legacy pool of 2 connections and 1 place in its queue, all taken by hanging requests
    const gw = await start({ upstreams: { legacy: { connections: 2, queueLimit: 1 } } });
    for (let i = 0; i < 3; i++) await holdOpen(gw, `GET /hang/${i} HTTP/1.1\r\nHost: a\r\n`);
    await legacySaw(2);
    while (((await gw.stats()).inFlight ?? 0) < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    // When one more comes, Then it is refused at once with its code, and nothing is sent
    const refused = await timedGet(gw, '/other-page', 5_000);
    expect(refused).toMatchObject({ status: 503, code: 'GW_ERR_UPSTREAM_QUEUE_FULL' });
    expect(await legacy.seen()).toMatchObject({ requests: 2 });
    const stats = await gw.stats();
    expect(stats.errors).toEqual({ GW_ERR_UPSTREAM_QUEUE_FULL: 1 });
    expect((stats as unknown as { upstreams: Record<string, unknown> }).upstreams.legacy).toMatchObject({ refused: 1, running: 2 });
    // And once the hanging requests' clients leave, legacy serves again
    sockets.splice(0).forEach((s) => s.destroy());
    await expect(until(async () => (await timedGet(gw, '/after', 5_000)).status === 200)).resolves.toBe(true);
  });

  it('a route at its maxConcurrent gets 503 GW_ERR_ROUTE_CONCURRENCY_LIMIT; the other routes are served', async () => {
    const gw = await start({ routes: { 'legacy.admin': { maxConcurrent: 2 } } });
    for (let i = 0; i < 2; i++) await holdOpen(gw, `GET /s/hang/${i} HTTP/1.1\r\nHost: a\r\n`);
    await legacySaw(2);
    expect(await timedGet(gw, '/s/dashboard', 5_000)).toMatchObject({ status: 503, code: 'GW_ERR_ROUTE_CONCURRENCY_LIMIT' });
    expect(await timedGet(gw, '/other-page', 5_000)).toMatchObject({ status: 200 });
    expect(await legacy.seen()).toMatchObject({ requests: 3 });
    // once the hanging requests' clients leave, their places free up
    sockets.splice(0).forEach((s) => s.destroy());
    await expect(until(async () => (await timedGet(gw, '/s/dashboard', 5_000)).status === 200)).resolves.toBe(true);
  });
});

/** Retries `check` until it is true (bounded by the test timeout). */
async function until(check: () => Promise<boolean>): Promise<boolean> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
  return true;
}
