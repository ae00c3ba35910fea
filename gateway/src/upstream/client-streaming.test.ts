import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { createUpstream } from './client.ts';
import { startPathScriptedUpstream } from '../../test/support/path-scripted-upstream.ts';
import type { PathScriptedUpstream } from '../../test/support/path-scripted-upstream.ts';
import type { Upstream } from './types.ts';

const TWENTY_MIB = 20 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024, 'y');

describe('upstream client: bodies stream', () => {
  let server: PathScriptedUpstream;
  let upstream: Upstream;

  beforeEach(async () => {
    server = await startPathScriptedUpstream();
    upstream = createUpstream({ name: 'forms', url: server.url });
  });

  afterEach(async () => {
    await upstream.close();
    await server.close();
  });

  it('a 20 MiB request body reaches the upstream while the client is still sending', async () => {
    const body = new PassThrough();
    const pending = upstream.request({
      method: 'POST', path: '/count', headers: { 'content-length': String(TWENTY_MIB) }, body,
    });
    body.write(CHUNK);
    const [firstBytes] = (await once(server.events, 'body-data')) as [number];
    // The upstream has bytes although 19 MiB are not even written yet.
    expect(firstBytes).toBeGreaterThan(0);
    expect(firstBytes).toBeLessThanOrEqual(CHUNK.length);
    for (let sent = CHUNK.length; sent < TWENTY_MIB; sent += CHUNK.length) {
      if (!body.write(CHUNK)) await once(body, 'drain');
    }
    body.end();
    const res = await pending;
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe(String(TWENTY_MIB));
  });

  it('a chunked request body of unknown length passes', async () => {
    const body = new PassThrough();
    const pending = upstream.request({ method: 'POST', path: '/count', headers: {}, body });
    body.write(Buffer.alloc(1000, 'z'));
    await once(server.events, 'body-data');
    body.end(Buffer.alloc(2000, 'z'));
    const res = await pending;
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('3000');
    expect(server.requests[0]?.headers['transfer-encoding']).toBe('chunked');
  });

  it('a 20 MiB response body reaches the caller before the upstream has sent it all', async () => {
    const res = await upstream.request({ method: 'GET', path: `/gated/${TWENTY_MIB}`, headers: {}, body: null });
    expect(res.statusCode).toBe(200);
    let received = 0;
    for await (const chunk of res.body) {
      // The upstream holds the rest back until the first bytes arrived here.
      if (received === 0) server.events.emit('release');
      received += (chunk as Buffer).length;
    }
    expect(received).toBe(TWENTY_MIB);
  });
});
