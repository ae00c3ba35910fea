// Response bodies through the gateway's sink path (upstream/exchange.ts → server/relay.ts):
// every byte in order whatever the client's pace, and a client that leaves cancels the exchange.
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { startHarness, type Harness } from './support/harness.ts';

const PAYLOAD = Buffer.alloc(8 * 1024 * 1024);
for (let i = 0; i < PAYLOAD.length; i += 1) PAYLOAD[i] = (i * 31 + (i >> 16)) % 256;

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.legacy.behaviour = 'payload';
  // 8 MiB, far more than the socket buffers and the 64 KiB held before the relay claims the body.
  h.legacy.payload = PAYLOAD;
});
afterEach(async () => {
  await h.close();
});

function get(path: string, requestId: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(`${h.gateway.publicUrl}${path}`, { headers: { 'x-request-id': requestId } }, resolve);
    req.on('error', reject);
    req.end();
  });
}

describe('response bodies through the gateway', () => {
  it('a client that stops reading for a while still gets every byte, in order; the line says complete', async () => {
    const res = await get('/asset/big.bin', 'slow-1');
    expect(res.statusCode).toBe(200);
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.pause();
    // While nothing is read, the response cannot finish: the body waits, held back, not dropped.
    const line = h.requestLine('slow-1');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.logs.some((l) => l.requestId === 'slow-1')).toBe(false);
    res.resume();
    await once(res, 'end');
    expect(Buffer.concat(chunks).equals(h.legacy.payload)).toBe(true);
    expect(await line).toMatchObject({ status: 200, outcome: 'complete', upstream: 'legacy' });
  });

  it('a client that leaves mid-body: the exchange is cancelled, the line says client-aborted, counted', async () => {
    const res = await get('/asset/big.bin', 'gone-2');
    await once(res, 'data');
    const line = h.requestLine('gone-2');
    res.destroy();
    expect(await line).toMatchObject({ status: 499, outcome: 'client-aborted', error: 'GW_ERR_CLIENT_ABORTED' });
    expect((await h.stats()).clientAborted).toBe(1);
    // The pool is not left with a half-read response: the next request is served.
    h.legacy.behaviour = 'echo';
    const next = await fetch(`${h.gateway.publicUrl}/page`);
    expect(next.status).toBe(200);
    await next.arrayBuffer();
  });
});
