// Bad input: every malformed request gets a clear status and code, and the gateway keeps serving.
import { once } from 'node:events';
import { openSocket, parseResponse, rawExchange, readUntilClose } from './support/raw-socket.ts';
import { startHarness, type Harness } from './support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ config: { server: { host: '127.0.0.1', headersTimeoutMs: 300, requestTimeoutMs: 600, drainTimeoutMs: 500 }, upstreams: { legacy: { headersTimeoutMs: 300 } } } });
});
afterEach(async () => {
  try {
    // After every bad input, a normal request still succeeds.
    h.legacy.behaviour = 'echo';
    const ok = await fetch(`${h.gateway.publicUrl}/still-serving`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-upstream')).toBe('legacy');
    await ok.arrayBuffer();
  } finally {
    await h.close();
  }
});

function errorCodeOf(body: string): string {
  return (JSON.parse(body) as { error: { code: string } }).error.code;
}

describe('malformed requests (answered by the clientError handler)', () => {
  it.each<[string, number, string, string]>([
    ['a garbage request line', 400, 'GW_ERR_REQUEST_BAD', 'GARBAGE\r\n\r\n'],
    ['an invalid header line', 400, 'GW_ERR_REQUEST_BAD', 'GET / HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n'],
    ['an invalid character in the target', 400, 'GW_ERR_REQUEST_BAD', 'GET /a\x7fb HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['Content-Length and Transfer-Encoding together (smuggling)', 400, 'GW_ERR_REQUEST_SMUGGLING', 'POST /form/submit HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'],
    ['two different Content-Length values', 400, 'GW_ERR_REQUEST_SMUGGLING', 'POST /form/submit HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd'],
    ['an unknown transfer coding after chunked', 400, 'GW_ERR_REQUEST_SMUGGLING', 'POST /form/submit HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n'],
    ['oversized headers', 431, 'GW_ERR_REQUEST_HEADERS_TOO_LARGE', `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`],
    ['a 100 KB request-target', 431, 'GW_ERR_REQUEST_HEADERS_TOO_LARGE', `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: a\r\n\r\n`],
  ])('%s → %d %s', async (_name, status, code, bytes) => {
    const res = await rawExchange(h.gateway.publicUrl, bytes);
    expect(res.status).toBe(status);
    expect(res.headers['x-strangler-error']).toBe(code);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(errorCodeOf(res.body)).toBe(code);
    expect(h.legacy.received).toHaveLength(0);
    expect((await h.stats()).clientErrors).toBe(1);
  });

  it('a client that stops sending its headers gets 408 after headersTimeoutMs', async () => {
    const socket = await openSocket(h.gateway.publicUrl);
    const done = readUntilClose(socket);
    socket.write('GET / HTTP/1.1\r\nHost: a\r\n');
    const res = parseResponse(await done);
    expect(res.status).toBe(408);
    expect(res.headers['x-strangler-error']).toBe('GW_ERR_REQUEST_TIMEOUT');
  });
});

describe('requests node parses but the gateway refuses', () => {
  it('no Host in HTTP/1.1 → 400 GW_ERR_REQUEST_BAD', async () => {
    const res = await rawExchange(h.gateway.publicUrl, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(400);
    expect(res.headers['x-strangler-error']).toBe('GW_ERR_REQUEST_BAD');
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'GW_ERR_REQUEST_BAD', message: 'Bad request: an HTTP/1.1 request needs a Host header (RFC 9112 §3.2)' } });
    expect(h.legacy.received).toHaveLength(0);
  });

  it('no Host in HTTP/1.0 → the default tenant', async () => {
    const res = await rawExchange(h.gateway.publicUrl, 'GET /old-client HTTP/1.0\r\n\r\n');
    expect(res.status).toBe(200);
    expect(res.headers['x-upstream']).toBe('legacy');
  });
});

describe('targets', () => {
  it('a target over maxTargetBytes (8 KiB) → 414', async () => {
    const res = await fetch(`${h.gateway.publicUrl}/${'a'.repeat(10_000)}`);
    expect(res.status).toBe(414);
    expect(res.headers.get('x-strangler-error')).toBe('GW_ERR_REQUEST_URI_TOO_LONG');
    expect(h.legacy.received).toHaveLength(0);
  });

  it('a target in authority form → 400', async () => {
    const res = await rawExchange(h.gateway.publicUrl, 'GET example.com:443 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(400);
  });

  it.each(['/r/%zz', '/email/%2e%2e%2f.gif', '/mtracking.gif/../../etc/passwd', '//double//slashes'])('a path the matcher does not take (%s) goes to legacy', async (path) => {
    const res = await rawExchange(h.gateway.publicUrl, `GET ${path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(200);
    expect(res.headers['x-upstream']).toBe('legacy');
    expect(h.legacy.received[0]?.url).toBe(path);
  });
});

describe('clients that go away', () => {
  it('aborting mid-body aborts the upstream request and is counted', async () => {
    const socket = await openSocket(h.gateway.publicUrl);
    socket.write('POST /form/submit HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n');
    socket.write(Buffer.alloc(1000, 'x'));
    const seen = await h.legacy.nextRequest();
    const aborted = once(h.legacy.events, 'aborted');
    socket.destroy();
    await aborted;
    expect(seen.aborted).toBe(true);
    expect(seen.complete).toBe(false);
    await h.requestLine(seen.headers['x-request-id'] as string);
    expect((await h.stats()).clientAborted).toBe(1);
  });

  it('aborting while a body is being buffered for the new path is counted, and nothing is sent', async () => {
    await h.setFlag('forms.submit', 'extracted');
    const socket = await openSocket(h.gateway.publicUrl);
    socket.write('POST /form/submit HTTP/1.1\r\nHost: a\r\nX-Request-Id: gone-1\r\nContent-Length: 5000\r\n\r\n');
    socket.write(Buffer.alloc(100, 'x'));
    const line = h.requestLine('gone-1');
    setImmediate(() => socket.destroy());
    expect(await line).toMatchObject({ status: 499, outcome: 'client-aborted', error: 'GW_ERR_CLIENT_ABORTED' });
    expect(h.forms.received).toHaveLength(0);
    expect(h.legacy.received).toHaveLength(0);
  });

  it('half-closing after sending the request gets no answer, as with nginx, and is logged as 499', async () => {
    h.legacy.behaviour = 'hang';
    const socket = await openSocket(h.gateway.publicUrl);
    const received = readUntilClose(socket);
    socket.write('GET /half-closed HTTP/1.1\r\nHost: a\r\nX-Request-Id: half-1\r\n\r\n');
    await h.legacy.nextRequest();
    socket.end();
    expect(await received).toBe('');
    expect(await h.requestLine('half-1')).toMatchObject({ status: 499, outcome: 'client-aborted', error: 'GW_ERR_CLIENT_ABORTED' });
  });
});

describe('upstreams that misbehave', () => {
  it('closes mid-response: the client connection is cut (no wrong answer), counted', async () => {
    h.legacy.behaviour = 'cut-mid-body';
    const res = await fetch(`${h.gateway.publicUrl}/page`, { headers: { 'x-request-id': 'cut-1' } });
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toThrow();
    expect(await h.requestLine('cut-1')).toMatchObject({ outcome: 'upstream-failed', error: 'GW_ERR_UPSTREAM_RESET' });
    expect((await h.stats()).responseCut).toBe(1);
  });

  it('sends an invalid response → 502 GW_ERR_UPSTREAM_INVALID_RESPONSE', async () => {
    h.legacy.behaviour = 'garbage';
    const res = await fetch(`${h.gateway.publicUrl}/page`);
    expect(res.status).toBe(502);
    expect(res.headers.get('x-strangler-error')).toBe('GW_ERR_UPSTREAM_INVALID_RESPONSE');
  });

  it('never answers → 504 within the configured timeout', async () => {
    h.legacy.behaviour = 'hang';
    const started = Date.now();
    const res = await fetch(`${h.gateway.publicUrl}/page`);
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('resets the connection → 502 GW_ERR_UPSTREAM_RESET', async () => {
    h.legacy.behaviour = 'reset';
    const res = await fetch(`${h.gateway.publicUrl}/page`);
    expect(res.status).toBe(502);
    expect(res.headers.get('x-strangler-error')).toBe('GW_ERR_UPSTREAM_RESET');
  });
});
