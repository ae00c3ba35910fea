// Header rules through the real gateway (docs/architecture.md §5; forward-headers.ts has the unit tests).
import { request } from 'node:http';
import { startHarness, type Echo, type Harness } from './support/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** A request with full control of the headers (fetch forbids Host and Connection). */
function rawGet(url: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('headers through the gateway', () => {
  it('keeps Host for legacy, sets X-Forwarded-For/Proto/Host, strips X-Strangler-* and client-chosen IP fields', async () => {
    const res = await rawGet(h.gateway.publicUrl, '/landing-page?x=1', {
      host: 'Mautic.Example.com:8443', 'x-forwarded-for': '203.0.113.9', 'x-strangler-mode': 'shadow', 'X-Strangler-Dry-Run': '1', 'x-keep': 'yes',
      'client-ip': '6.6.6.6', forwarded: 'for=6.6.6.6', 'x-cluster-client-ip': '6.6.6.6',
    });
    expect(res.status).toBe(200);
    const echo = JSON.parse(res.body) as Echo;
    expect(echo.upstream).toBe('legacy');
    expect(echo.url).toBe('/landing-page?x=1');
    expect(echo.headers.host).toBe('Mautic.Example.com:8443');
    // The peer is not a trusted proxy, so its X-Forwarded-For is not believed (docs/mautic/public-http.md §2.4).
    expect(echo.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect([echo.headers['client-ip'], echo.headers.forwarded, echo.headers['x-cluster-client-ip']]).toEqual([undefined, undefined, undefined]);
    expect(echo.headers['x-forwarded-proto']).toBe('http');
    expect(echo.headers['x-forwarded-host']).toBe('Mautic.Example.com:8443');
    expect(echo.headers['x-keep']).toBe('yes');
    expect(Object.keys(echo.headers).filter((k) => k.startsWith('x-strangler-'))).toEqual([]);
  });

  it('believes X-Forwarded-For from a trusted proxy and appends the peer', async () => {
    await h.close();
    h = await startHarness({ config: { server: { host: '127.0.0.1', drainTimeoutMs: 1000, trustedProxies: ['127.0.0.0/8'] } } });
    const res = await rawGet(h.gateway.publicUrl, '/landing-page', { host: 'mautic.example.com', 'x-forwarded-for': '6.6.6.6, 203.0.113.9' });
    const echo = JSON.parse(res.body) as Echo;
    expect(echo.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
  });

  it('gives a new upstream its own Host and the public one in X-Forwarded-Host', async () => {
    await h.setFlag('tracking.pixel', 'extracted');
    const res = await rawGet(h.gateway.publicUrl, '/mtracking.gif', { host: 'mautic.example.com' });
    const echo = JSON.parse(res.body) as Echo;
    expect(echo.upstream).toBe('tracking');
    expect(echo.headers.host).toBe(new URL(h.tracking.url).host);
    expect(echo.headers['x-forwarded-host']).toBe('mautic.example.com');
  });

  it('accepts a well-formed X-Request-Id, passes it upstream and returns it', async () => {
    const res = await fetch(`${h.gateway.publicUrl}/mtracking.gif`, { headers: { 'x-request-id': 'abc.DEF:123-_' } });
    expect(res.headers.get('x-request-id')).toBe('abc.DEF:123-_');
    expect(((await res.json()) as Echo).headers['x-request-id']).toBe('abc.DEF:123-_');
    expect((await h.requestLine('abc.DEF:123-_')).route).toBe('tracking.pixel');
  });

  it.each([['x'.repeat(129)], ['has space'], ['<script>'], ['']])('replaces a malformed X-Request-Id %p with a generated one', async (bad) => {
    const res = await fetch(`${h.gateway.publicUrl}/mtracking.gif`, { headers: { 'x-request-id': bad } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as Echo).headers['x-request-id']).toBe(id);
  });

  it('returns a request id on error responses too', async () => {
    h.legacy.behaviour = 'reset';
    const res = await fetch(`${h.gateway.publicUrl}/anything`, { headers: { 'x-request-id': 'err-1' } });
    expect(res.status).toBe(502);
    expect(res.headers.get('x-request-id')).toBe('err-1');
    expect(res.headers.get('x-strangler-error')).toBe('GW_ERR_UPSTREAM_RESET');
  });

  it('streams request and response bodies byte for byte', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const res = await fetch(`${h.gateway.publicUrl}/form/submit`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    const echo = (await res.json()) as Echo;
    expect(echo.upstream).toBe('legacy');
    expect(echo.bodyBytes).toBe(bytes.length);
    expect(h.legacy.received.at(-1)?.body.equals(bytes)).toBe(true);
    h.legacy.behaviour = 'payload';
    h.legacy.payload = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
    const back = await fetch(`${h.gateway.publicUrl}/asset/file.bin`);
    expect(back.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await back.arrayBuffer()).equals(h.legacy.payload)).toBe(true);
  });
});
