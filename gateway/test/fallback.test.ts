// Fallback rules (docs/architecture.md §4): not delivered → legacy, any method; delivered and
// failed → legacy only on replayable routes; a write never happens twice.
import { request } from 'node:http';
import { refusedUrl } from './support/controllable-upstream.ts';
import { startHarness, type Echo, type Harness } from './support/harness.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const timeouts = { upstreams: { tracking: { headersTimeoutMs: 150 }, forms: { headersTimeoutMs: 150 }, legacy: { headersTimeoutMs: 300 } } };

async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.gateway.publicUrl}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

/** POST with Transfer-Encoding: chunked (no Content-Length), written in pieces. */
function postChunked(path: string, chunks: Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${h.gateway.publicUrl}${path}`, { method: 'POST' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('not delivered → legacy, whatever the method', () => {
  it('connect error on a non-replayable POST goes to legacy with reason fallback-connect-error', async () => {
    h = await startHarness({ env: { TRACKING_URL: await refusedUrl() } });
    await h.setFlag('tracking.event', 'extracted');
    const res = await post('/mtc/event', 'page_url=https%3A%2F%2Fexample.com', { 'x-request-id': 'ce-1' });
    expect(res.status).toBe(200);
    const echo = (await res.json()) as Echo;
    expect(echo.upstream).toBe('legacy');
    expect(echo.body).toBe('page_url=https%3A%2F%2Fexample.com');
    expect(await h.requestLine('ce-1')).toMatchObject({ mode: 'extracted', reason: 'fallback-connect-error', primary: 'legacy', upstream: 'legacy', status: 200 });
    expect((await h.stats()).fallbacks).toEqual({ 'fallback-connect-error': 1 });
  });
});

describe('delivered and failed', () => {
  beforeEach(async () => {
    h = await startHarness({ config: timeouts });
  });

  it('500 on a non-replayable POST: the client gets the 500 and legacy saw nothing', async () => {
    await h.setFlag('forms.submit', 'extracted');
    h.forms.behaviour = 'fail';
    const res = await post('/form/submit', 'mauticform[email]=a@example.com', { 'x-request-id': 'nr-500' });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-upstream')).toBe('forms');
    expect(await res.text()).toBe('failed');
    expect(h.forms.received).toHaveLength(1);
    expect(h.legacy.received).toHaveLength(0);
    expect(await h.requestLine('nr-500')).toMatchObject({ mode: 'extracted', reason: 'flag', primary: 'forms', status: 500 });
  });

  it('500 on a replayable GET: legacy answers (fallback-replay)', async () => {
    await h.setFlag('tracking.pixel', 'extracted');
    h.tracking.behaviour = 'fail';
    const res = await fetch(`${h.gateway.publicUrl}/mtracking.gif?page_url=x`, { headers: { 'x-request-id': 'r-500' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).url).toBe('/mtracking.gif?page_url=x');
    expect(res.headers.get('x-upstream')).toBe('legacy');
    expect(h.tracking.received).toHaveLength(1);
    expect(await h.requestLine('r-500')).toMatchObject({ reason: 'fallback-replay', primary: 'legacy' });
  });

  it('500 on a replayable POST: legacy gets the same body again', async () => {
    await h.setFlag('tracking.hit', 'extracted');
    h.tracking.behaviour = 'fail';
    const res = await post('/video/hit', 'duration=42&guid=abc');
    expect(res.status).toBe(200);
    expect(((await res.json()) as Echo).body).toBe('duration=42&guid=abc');
    expect(h.tracking.received[0]?.body.toString()).toBe('duration=42&guid=abc');
  });

  it('no headers within headersTimeoutMs on a replayable GET: legacy answers', async () => {
    await h.setFlag('tracking.pixel', 'extracted');
    h.tracking.behaviour = 'hang';
    const started = Date.now();
    const res = await fetch(`${h.gateway.publicUrl}/mtracking.gif`, { headers: { 'x-request-id': 'r-to' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-upstream')).toBe('legacy');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await h.requestLine('r-to')).toMatchObject({ reason: 'fallback-replay' });
  });

  it('no headers within headersTimeoutMs on a non-replayable POST: 504 with a code, legacy saw nothing', async () => {
    await h.setFlag('forms.submit', 'extracted');
    h.forms.behaviour = 'hang';
    const res = await post('/form/submit', 'a=1');
    expect(res.status).toBe(504);
    expect(res.headers.get('x-strangler-error')).toBe('GW_ERR_UPSTREAM_HEADERS_TIMEOUT');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('GW_ERR_UPSTREAM_HEADERS_TIMEOUT');
    expect(h.legacy.received).toHaveLength(0);
  });

  it('a reset after delivery on a non-replayable POST: 502, legacy saw nothing', async () => {
    await h.setFlag('sending.contact', 'extracted');
    h.sending.behaviour = 'reset';
    const res = await post('/api/emails/5/contact/7/send', '{}', { 'content-type': 'application/json' });
    expect(res.status).toBe(502);
    expect(res.headers.get('x-strangler-error')).toBe('GW_ERR_UPSTREAM_RESET');
    expect(h.legacy.received).toHaveLength(0);
  });

  it('a 4xx from the new upstream is the answer, not a failure', async () => {
    await h.setFlag('tracking.pixel', 'extracted');
    h.tracking.behaviour = 'not-found';
    const res = await fetch(`${h.gateway.publicUrl}/mtracking.gif`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-upstream')).toBe('tracking');
    expect(h.legacy.received).toHaveLength(0);
  });
});

describe('bodies over the buffering limit (1 MiB) stream to the primary only, counted', () => {
  const big = Buffer.alloc(1_048_577, 'a');

  it('with Content-Length: the new upstream gets every byte and the skip counter rises', async () => {
    h = await startHarness();
    await h.setFlag('forms.submit', 'extracted');
    const res = await post('/form/submit', big, { 'x-request-id': 'big-1' });
    expect(((await res.json()) as Echo).bodyBytes).toBe(big.length);
    expect(h.forms.received[0]?.body.equals(big)).toBe(true);
    expect((await h.stats()).bodyBufferSkipped).toBe(1);
    expect(await h.requestLine('big-1')).toMatchObject({ bodySkipped: true, primary: 'forms' });
  });

  it('chunked: buffering stops at the limit and the rest streams on', async () => {
    h = await startHarness();
    await h.setFlag('forms.submit', 'extracted');
    const chunks = Array.from({ length: 20 }, (_, i) => Buffer.alloc(65_536, 97 + i));
    const res = await postChunked('/form/submit', chunks);
    expect((JSON.parse(res.body) as Echo).bodyBytes).toBe(20 * 65_536);
    expect(h.forms.received[0]?.body.equals(Buffer.concat(chunks))).toBe(true);
    expect((await h.stats()).bodyBufferSkipped).toBe(1);
  });

  it('a body at the limit is buffered, not counted', async () => {
    h = await startHarness();
    await h.setFlag('forms.submit', 'extracted');
    await (await post('/form/submit', Buffer.alloc(1_048_576, 'b'))).arrayBuffer();
    expect((await h.stats()).bodyBufferSkipped).toBe(0);
  });

  it('cannot be sent again: a connect error then answers 502 instead of replaying', async () => {
    h = await startHarness({ env: { FORMS_URL: await refusedUrl() } });
    await h.setFlag('forms.submit', 'extracted');
    const res = await post('/form/submit', big);
    expect(res.status).toBe(502);
    expect(res.headers.get('x-strangler-error')).toBe('GW_ERR_UPSTREAM_CONNECT');
    expect(h.legacy.received).toHaveLength(0);
    expect((await h.stats()).bodyBufferSkipped).toBe(1);
  });
});

describe('legacy has timeouts but no fallback', () => {
  beforeEach(async () => {
    h = await startHarness({ config: timeouts });
  });

  it('a legacy that never answers gives 504 within its headers timeout', async () => {
    h.legacy.behaviour = 'hang';
    const started = Date.now();
    const res = await fetch(`${h.gateway.publicUrl}/s/dashboard`);
    expect(res.status).toBe(504);
    expect(res.headers.get('x-strangler-error')).toBe('GW_ERR_UPSTREAM_HEADERS_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a legacy that is down gives 502 GW_ERR_UPSTREAM_CONNECT; its address goes to the log, not the client', async () => {
    await h.close();
    const legacyUrl = await refusedUrl();
    h = await startHarness({ env: { LEGACY_URL: legacyUrl } });
    const res = await fetch(`${h.gateway.publicUrl}/`);
    expect(res.status).toBe(502);
    const body = await res.text();
    expect((JSON.parse(body) as { error: { code: string } }).error).toMatchObject({ code: 'GW_ERR_UPSTREAM_CONNECT' });
    expect(body).not.toContain(new URL(legacyUrl).port);
    const line = h.logs.find((l) => l.error === 'GW_ERR_UPSTREAM_CONNECT');
    expect(String(line?.errorCause)).toMatch(/ECONNREFUSED/);
  });
});
