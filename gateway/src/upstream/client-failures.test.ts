import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { Cancel } from './cancel.ts';
import { createUpstream } from './client.ts';
import { closedPort, startPathScriptedUpstream } from '../../test/support/path-scripted-upstream.ts';
import type { PathScriptedUpstream } from '../../test/support/path-scripted-upstream.ts';
import { UpstreamError, isUpstreamFault } from './upstream-error.ts';
import type { Upstream, UpstreamOptions } from './types.ts';

/** Runs fn and returns what it rejected with, and how long it took in ms. */
async function failure(fn: () => Promise<unknown>): Promise<{ err: UpstreamError; ms: number }> {
  const started = performance.now();
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof UpstreamError)) throw err;
    return { err, ms: performance.now() - started };
  }
  throw new Error('expected a rejection');
}

describe('upstream client: failures by side', () => {
  let server: PathScriptedUpstream;
  const clients: Upstream[] = [];
  const upstream = (opts: Partial<UpstreamOptions> = {}): Upstream => {
    const client = createUpstream({ name: 'tracking', url: server.url, ...opts });
    clients.push(client);
    return client;
  };
  const get = (client: Upstream, path: string, cancel?: Cancel) =>
    client.request({ method: 'GET', path, headers: {}, body: null, ...(cancel ? { cancel } : {}) });

  beforeEach(async () => {
    server = await startPathScriptedUpstream();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await server.close();
  });

  it('connection refused: connect, not delivered, 502', async () => {
    const port = await closedPort();
    const client = createUpstream({ name: 'tracking', url: `http://127.0.0.1:${port}` });
    clients.push(client);
    const { err } = await failure(() => get(client, '/ok'));
    expect(err).toMatchObject({ side: 'connect', delivered: false, code: 'GW_ERR_UPSTREAM_CONNECT', status: 502, upstream: 'tracking' });
    expect(err.details).toMatchObject({ causeCode: 'ECONNREFUSED' });
    expect(isUpstreamFault(err)).toBe(true);
  });

  it('no response headers in time: headers-timeout, delivered, within bounds', async () => {
    const { err, ms } = await failure(() => get(upstream({ headersTimeoutMs: 100 }), '/hang-headers'));
    expect(err).toMatchObject({ side: 'headers-timeout', delivered: true, code: 'GW_ERR_UPSTREAM_HEADERS_TIMEOUT', status: 504 });
    expect(err.message).toContain('100 ms');
    expect(ms).toBeGreaterThanOrEqual(95);
    expect(ms).toBeLessThan(600);
  });

  it('exchange too long before headers: total-timeout, delivered', async () => {
    const { err, ms } = await failure(() => get(upstream({ totalTimeoutMs: 150 }), '/hang-headers'));
    expect(err).toMatchObject({ side: 'total-timeout', delivered: true, code: 'GW_ERR_UPSTREAM_TOTAL_TIMEOUT', status: 504 });
    expect(ms).toBeGreaterThanOrEqual(145);
    expect(ms).toBeLessThan(600);
  });

  it('body stalls: the total timeout destroys the body stream', async () => {
    const started = performance.now();
    const res = await get(upstream({ totalTimeoutMs: 150 }), '/hang-body');
    expect(res.statusCode).toBe(200);
    const [err] = (await once(res.body.resume(), 'error')) as [UpstreamError];
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ side: 'total-timeout', delivered: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(performance.now() - started).toBeLessThan(600);
  });

  it('a body nobody reads or listens to is destroyed by the total timeout without crashing', async () => {
    const res = await get(upstream({ totalTimeoutMs: 100 }), '/hang-body');
    await new Promise((resolve) => res.body.once('close', resolve));
    expect(res.body.destroyed).toBe(true);
    expect(res.body.errored).toMatchObject({ side: 'total-timeout' });
  });

  it.each([
    ['/reset', 'TCP reset before any answer'],
    ['/close-before', 'close before any answer'],
  ])('%s (%s): reset, delivered, 502', async (path) => {
    const { err } = await failure(() => get(upstream(), path));
    expect(err).toMatchObject({ side: 'reset', delivered: true, code: 'GW_ERR_UPSTREAM_RESET', status: 502 });
  });

  it('garbage instead of HTTP: invalid-response, delivered, 502', async () => {
    const { err } = await failure(() => get(upstream(), '/garbage'));
    expect(err).toMatchObject({ side: 'invalid-response', delivered: true, code: 'GW_ERR_UPSTREAM_INVALID_RESPONSE', status: 502 });
    expect((err.cause as Error).name).toBe('HTTPParserError');
  });

  it('an unsolicited 100 Continue: invalid-response (undici refuses it; the gateway never sends Expect)', async () => {
    const { err } = await failure(() => get(upstream(), '/continue'));
    expect(err).toMatchObject({ side: 'invalid-response', delivered: true });
  });

  it('close in the middle of the body: the body errors with reset', async () => {
    const res = await get(upstream(), '/close-mid');
    expect(res.statusCode).toBe(200);
    await expect(text(res.body)).rejects.toMatchObject({ side: 'reset', delivered: true });
  });

  it('client aborts while waiting for headers: client-aborted, delivered, not an upstream fault', async () => {
    const cancel = new Cancel();
    const pending = get(upstream(), '/hang-headers', cancel);
    await waitFor(() => server.requests.length === 1);
    cancel.cancel(new Error('client closed the connection'));
    const { err } = await failure(() => pending);
    expect(err).toMatchObject({ side: 'client-aborted', delivered: true, code: 'GW_ERR_CLIENT_ABORTED', status: 499 });
    expect(isUpstreamFault(err)).toBe(false);
  });

  it('client already gone: nothing is sent', async () => {
    const gone = new Cancel();
    gone.cancel(new Error('client closed the connection'));
    const { err } = await failure(() => get(upstream(), '/ok', gone));
    expect(err).toMatchObject({ side: 'client-aborted', delivered: false });
    expect(server.connections()).toBe(0);
  });

  it('client aborts mid-body: the body errors with client-aborted', async () => {
    const cancel = new Cancel();
    const res = await get(upstream(), '/hang-body', cancel);
    const errored = once(res.body.resume(), 'error');
    cancel.cancel(new Error('client closed the connection'));
    const [err] = (await errored) as [UpstreamError];
    expect(err).toMatchObject({ side: 'client-aborted', delivered: true });
  });

  it('the client upload breaks: client-aborted, not an upstream fault', async () => {
    const body = new PassThrough();
    const pending = upstream().request({ method: 'POST', path: '/count', headers: {}, body });
    body.write('first part');
    await once(server.events, 'body-data');
    body.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    const { err } = await failure(() => pending);
    expect(err).toMatchObject({ side: 'client-aborted', delivered: true });
  });

  it('total timeout while queued for a connection: not delivered', async () => {
    // Both deadlines start together; 1 s, not less, so that a loaded machine still delivers the first within its own.
    const client = upstream({ connections: 1, totalTimeoutMs: 1_000 });
    const first = failure(() => get(client, '/hang-headers'));
    const second = failure(() => get(client, '/ok'));
    const [a, b] = await Promise.all([first, second]);
    expect(a.err).toMatchObject({ side: 'total-timeout', delivered: true });
    expect(b.err).toMatchObject({ side: 'total-timeout', delivered: false });
    expect(server.requests.map((r) => r.url)).toEqual(['/hang-headers']);
  });

  it('every connection busy and the queue full: queue-full, not delivered, 503, at once; a place frees when an exchange ends', async () => {
    const client = upstream({ connections: 1, queueLimit: 1 });
    const cancel = new Cancel();
    const first = failure(() => get(client, '/hang-headers', cancel));
    const second = get(client, '/ok');
    const { err } = await failure(() => get(client, '/ok'));
    expect(err).toMatchObject({ side: 'queue-full', delivered: false, code: 'GW_ERR_UPSTREAM_QUEUE_FULL', status: 503, upstream: 'tracking' });
    expect(isUpstreamFault(err)).toBe(false);
    // the refused one was never sent: only the hanging one is on the connection
    await waitFor(() => server.requests.length === 1);
    expect(server.requests.map((r) => r.url)).toEqual(['/hang-headers']);
    // the hanging exchange ends: the queued one runs, and a new one has a place again
    cancel.cancel(new Error('client closed the connection'));
    expect((await first).err).toMatchObject({ side: 'client-aborted' });
    expect(await text((await second).body)).toBe('ok');
    expect(await text((await get(client, '/ok')).body)).toBe('ok');
  });

  it("a streamed body its client stops sending: the total timeout is the client's (client-timeout, 408), no upstream fault", async () => {
    const body = new PassThrough();
    const pending = upstream({ totalTimeoutMs: 150 }).request({ method: 'POST', path: '/count', headers: {}, body });
    body.write('first part');
    await once(server.events, 'body-data');
    const { err } = await failure(() => pending);
    expect(err).toMatchObject({ side: 'client-timeout', delivered: true, code: 'GW_ERR_REQUEST_TIMEOUT', status: 408 });
    expect(isUpstreamFault(err)).toBe(false);
  });

  it('a streamed body that takes most of the total timeout to arrive: the upstream still gets the whole timeout after its last byte', async () => {
    const body = new PassThrough();
    const started = performance.now();
    const pending = failure(() => upstream({ totalTimeoutMs: 300, headersTimeoutMs: 10_000 }).request({ method: 'POST', path: '/hang-headers', headers: {}, body }));
    body.write('first part');
    // The client's upload is the time under test here, so it is a timer, not an event.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const bodyIn = performance.now();
    body.end('last part');
    const { err } = await pending;
    expect(err).toMatchObject({ side: 'total-timeout', delivered: true, code: 'GW_ERR_UPSTREAM_TOTAL_TIMEOUT' });
    expect(performance.now() - bodyIn).toBeGreaterThanOrEqual(290);
    expect(bodyIn - started).toBeGreaterThanOrEqual(190);
  });

  it.each([
    [{ path: 'no-slash' }],
    [{ headers: { 'x-bad': 'a\r\nb' } }],
    [{ method: 'BAD METHOD' }],
  ])('a request that cannot be sent (%j): invalid-request, not delivered', async (override) => {
    const { err } = await failure(() => upstream().request({ method: 'GET', path: '/ok', headers: {}, body: null, ...override }));
    expect(err).toMatchObject({ side: 'invalid-request', delivered: false, code: 'GW_ERR_REQUEST_BAD', status: 400 });
    expect(server.requests).toHaveLength(0);
  });

  it('recovers after a failure: the next request gets a fresh connection', async () => {
    const client = upstream({ connections: 1, headersTimeoutMs: 100 });
    await failure(() => get(client, '/hang-headers'));
    const res = await get(client, '/ok');
    expect(await text(res.body)).toBe('ok');
  });
});

describe('upstream client: connect timeout', () => {
  let child: ChildProcess | undefined;
  const fillers: Socket[] = [];

  afterEach(() => {
    fillers.splice(0).forEach((socket) => socket.destroy());
    child?.kill('SIGKILL');
  });

  it('a listener that never accepts: connect, not delivered, within bounds', async () => {
    // A stopped process with a full accept queue: the kernel drops further SYNs, so connect hangs.
    child = spawn(process.execPath, ['-e',
      "require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () { console.log(this.address().port) })"],
    { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    const port = Number(line.toString().trim());
    child.kill('SIGSTOP');
    for (let i = 0; i < 4; i += 1) fillers.push(connect(port, '127.0.0.1').on('error', () => undefined));
    const client = createUpstream({ name: 'forms', url: `http://127.0.0.1:${port}`, connectTimeoutMs: 100 });
    try {
      const { err, ms } = await failure(() => client.request({ method: 'GET', path: '/', headers: {}, body: null }));
      expect(err).toMatchObject({ side: 'connect', delivered: false, code: 'GW_ERR_UPSTREAM_CONNECT' });
      expect(err.details).toMatchObject({ causeCode: 'UND_ERR_CONNECT_TIMEOUT' });
      expect(ms).toBeGreaterThanOrEqual(95);
      expect(ms).toBeLessThan(1500);
    } finally {
      await client.close();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in 2 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
