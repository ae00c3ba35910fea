import { text } from 'node:stream/consumers';
import { createUpstream } from './client.ts';
import { startPathScriptedUpstream } from '../../test/support/path-scripted-upstream.ts';
import type { PathScriptedUpstream } from '../../test/support/path-scripted-upstream.ts';
import type { BodySink, Upstream } from './types.ts';
import type { UpstreamError } from './upstream-error.ts';
import { GatewayError } from '../errors.ts';
import { buildForwardHeaders } from './forward-headers.ts';

describe('upstream client: successful exchanges', () => {
  let server: PathScriptedUpstream;
  let upstream: Upstream;

  beforeEach(async () => {
    server = await startPathScriptedUpstream();
    upstream = createUpstream({ name: 'legacy', url: server.url, connections: 4 });
  });

  afterEach(async () => {
    await upstream.close();
    await server.close();
  });

  it('returns status, headers and the streamed body', async () => {
    const res = await upstream.request({ method: 'GET', path: '/ok', headers: { host: 'mautic.example' }, body: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-length']).toBe('2');
    expect(await text(res.body)).toBe('ok');
    expect(server.requests[0]?.headers.host).toBe('mautic.example');
  });

  it('passes a 5xx through as a response, not an error', async () => {
    const res = await upstream.request({ method: 'GET', path: '/status/503', headers: {}, body: null });
    expect(res.statusCode).toBe(503);
    expect(await text(res.body)).toBe('status 503');
  });

  it.each([
    ['HEAD', '/ok', 200, ''],
    ['GET', '/empty', 204, ''],
    ['GET', '/early-hints', 200, 'after hints'],
  ])('%s %s: status %d with body %j (no body, or after an interim 103)', async (method, path, status, body) => {
    const res = await upstream.request({ method, path, headers: {}, body: null });
    expect(res.statusCode).toBe(status);
    expect(await text(res.body)).toBe(body);
  });

  it('keeps every Set-Cookie field apart', async () => {
    const res = await upstream.request({ method: 'GET', path: '/cookies', headers: {}, body: null });
    await text(res.body);
    expect(res.headers['set-cookie']).toEqual([
      'a=1; Path=/', 'b=2; Path=/; HttpOnly', 'mautic_device_id=abc; SameSite=None; Secure',
    ]);
  });

  it('sends repeated request headers as separate fields and a Buffer body with its length', async () => {
    const res = await upstream.request({
      method: 'POST', path: '/headers', headers: { 'x-multi': ['one', 'two'], 'content-type': 'text/plain' }, body: Buffer.from('hello'),
    });
    const seen = JSON.parse(await text(res.body)) as Record<string, string>;
    expect(seen['x-multi']).toBe('one, two');
    expect(seen['content-length']).toBe('5');
  });

  it('sends what buildForwardHeaders built, hop-by-hop fields gone (undici refuses them)', async () => {
    const headers = buildForwardHeaders(
      ['Host', 'mautic.example', 'Connection', 'keep-alive, x-gone', 'X-Gone', '1', 'Transfer-Encoding', 'chunked',
        'Expect', '100-continue', 'X-Strangler-Mode', 'shadow', 'Cookie', 'mtc_id=5'],
      { forwardedFor: ['127.0.0.1'], proto: 'https', requestId: 'r-1', upstream: 'legacy', host: 'mautic.example' },
    );
    const res = await upstream.request({ method: 'GET', path: '/headers', headers, body: null });
    const seen = JSON.parse(await text(res.body)) as Record<string, string>;
    expect(seen).toMatchObject({
      host: 'mautic.example', cookie: 'mtc_id=5', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'https',
      'x-forwarded-host': 'mautic.example', 'x-request-id': 'r-1',
    });
    expect(seen).not.toHaveProperty('x-gone');
    expect(seen).not.toHaveProperty('x-strangler-mode');
    expect(seen).not.toHaveProperty('expect');
    expect(seen['transfer-encoding']).toBeUndefined();
  });

  it('reuses keep-alive connections across sequential requests', async () => {
    for (let i = 0; i < 20; i += 1) {
      const res = await upstream.request({ method: 'GET', path: '/ok', headers: {}, body: null });
      await text(res.body);
    }
    expect(server.requests).toHaveLength(20);
    // undici waits one event-loop turn before reusing a socket (pipelining 1), so a
    // request sent the instant the previous body ended may take a second connection.
    expect(server.connections()).toBeLessThanOrEqual(2);
    expect(upstream.stats()).toMatchObject({ connected: server.connections(), running: 0, pending: 0 });
  });

  it('opens at most `connections` connections under concurrency', async () => {
    const all = Array.from({ length: 40 }, () => upstream.request({ method: 'GET', path: '/ok', headers: {}, body: null })
      .then((res) => text(res.body)));
    expect(await Promise.all(all)).toEqual(Array(40).fill('ok'));
    expect(server.connections()).toBeLessThanOrEqual(4);
  });

  it('prefixes the base path of the upstream URL', async () => {
    const prefixed = createUpstream({ name: 'legacy', url: `${server.url}/status/` });
    try {
      const res = await prefixed.request({ method: 'GET', path: '/418', headers: {}, body: null });
      await text(res.body);
      expect(res.statusCode).toBe(418);
      expect(server.requests[0]?.url).toBe('/status/418');
    } finally {
      await prefixed.close();
    }
  });

  it('refuses requests after close with a connect error that was not delivered', async () => {
    await upstream.close();
    await expect(upstream.request({ method: 'GET', path: '/ok', headers: {}, body: null }))
      .rejects.toMatchObject({ side: 'connect', delivered: false, code: 'GW_ERR_UPSTREAM_CONNECT' });
  });
});

describe('upstream client: the body handed to a sink (the relay path)', () => {
  let server: PathScriptedUpstream;
  let upstream: Upstream;

  beforeEach(async () => {
    server = await startPathScriptedUpstream();
    upstream = createUpstream({ name: 'legacy', url: server.url, connections: 1 });
  });

  afterEach(async () => {
    await upstream.close();
    await server.close();
  });

  /** A sink that records what it gets; `full` makes `write` ask for a pause. */
  function recordingSink(full = () => false) {
    const got = { chunks: [] as Buffer[], ended: false, ends: 0, failed: null as UpstreamError | null };
    let onEnd = (): void => undefined;
    const ended = new Promise<void>((resolve) => (onEnd = resolve));
    const sink: BodySink = {
      write: (chunk) => {
        got.chunks.push(chunk);
        return !full();
      },
      end: () => {
        got.ended = true;
        got.ends += 1;
        onEnd();
      },
      fail: (err) => void (got.failed = err),
    };
    return { got, sink, ended };
  }

  it('gives raw header fields in the upstream\'s case, the lazily built object, and the body already received', async () => {
    const res = await upstream.request({ method: 'GET', path: '/cookies', headers: {}, body: null });
    const names = res.rawHeaders.filter((_, i) => i % 2 === 0);
    expect(names.filter((name) => name === 'set-cookie')).toHaveLength(3);
    expect(res.headers['set-cookie']).toHaveLength(3);
    // The 7-byte body arrived with the headers: it waits for the sink, then ends it.
    await new Promise((resolve) => setImmediate(resolve));
    const { got, sink } = recordingSink();
    res.streamTo(sink);
    expect(Buffer.concat(got.chunks).toString()).toBe('cookies');
    expect(got.ended).toBe(true);
  });

  it('pauses the upstream while the sink is full and continues on resume', async () => {
    // Larger than loopback's socket buffers: only a paused parser keeps the upstream from finishing.
    const size = 32 * 1024 * 1024;
    let full = true;
    let sent = false;
    server.events.once('response-sent', () => void (sent = true));
    const { got, sink, ended } = recordingSink(() => full);
    const res = await upstream.request({ method: 'GET', path: `/bytes/${size}`, headers: {}, body: null });
    res.streamTo(sink);
    // What had arrived was handed over at once; paused, nothing more may come (an absence, so a bounded wait).
    const handedOver = got.chunks.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(got.chunks).toHaveLength(handedOver);
    expect(got.ended).toBe(false);
    expect(sent).toBe(false);
    full = false;
    res.resume();
    await ended;
    expect(Buffer.concat(got.chunks).length).toBe(size);
    expect(sent).toBe(true);
  });

  it('ends the sink once, also when the last chunk filled it and it resumes after the end', async () => {
    const { got, sink, ended } = recordingSink(() => true);
    const res = await upstream.request({ method: 'GET', path: '/ok', headers: {}, body: null });
    // The whole body is in before the sink is attached; its one chunk fills the sink.
    await new Promise((resolve) => setImmediate(resolve));
    res.streamTo(sink);
    res.resume();
    res.resume();
    await ended;
    expect(Buffer.concat(got.chunks).toString()).toBe('ok');
    expect(got.ends).toBe(1);
  });

  it('cancel fails the sink with client-aborted; a later resume does nothing', async () => {
    const { got, sink } = recordingSink();
    const res = await upstream.request({ method: 'GET', path: '/hang-body', headers: {}, body: null });
    res.streamTo(sink);
    res.cancel(new Error('client left'));
    expect(got.failed).toMatchObject({ side: 'client-aborted', delivered: true });
    res.resume();
    expect(got.ended).toBe(false);
  });

  it('discard reads a body nobody wants to its end, so the one connection serves the next request', async () => {
    const first = await upstream.request({ method: 'GET', path: `/bytes/${256 * 1024}`, headers: {}, body: null });
    first.discard();
    const second = await upstream.request({ method: 'GET', path: '/ok', headers: {}, body: null });
    expect(await text(second.body)).toBe('ok');
    expect(server.connections()).toBe(1);
  });

  it('refuses a second claim on the same body', async () => {
    const res = await upstream.request({ method: 'GET', path: '/ok', headers: {}, body: null });
    res.streamTo(recordingSink().sink);
    expect(() => res.discard()).toThrow(/already been claimed/);
  });
});

describe('upstream client: options', () => {
  it.each([
    [{ name: '', url: 'http://127.0.0.1:1' }, /name must be a non-empty string/],
    [{ name: 'x', url: 'not a url' }, /is not a valid URL/],
    [{ name: 'x', url: 'ftp://127.0.0.1' }, /must be http: or https:/],
    [{ name: 'x', url: 'http://u:p@127.0.0.1' }, /credentials/],
    [{ name: 'x', url: 'http://127.0.0.1/?a=1' }, /query or fragment/],
    [{ name: 'x', url: 'http://127.0.0.1', connectTimeoutMs: 0 }, /connectTimeoutMs must be a positive integer/],
    [{ name: 'x', url: 'http://127.0.0.1', totalTimeoutMs: 1.5 }, /totalTimeoutMs must be a positive integer/],
    [{ name: 'x', url: 'http://127.0.0.1', connections: -1 }, /connections must be a positive integer/],
  ])('rejects %j', (opts, message) => {
    let caught: unknown;
    try {
      createUpstream(opts);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).code).toBe('GW_ERR_CONFIG_INVALID');
    expect((caught as GatewayError).message).toMatch(message);
  });
});
