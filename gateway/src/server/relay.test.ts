// relayResponse through real sockets: a node:http server relays a body the test controls.
import { EventEmitter, once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { BodySink, UpstreamHeaders, UpstreamResponse } from '../upstream/types.ts';
import { UpstreamError } from '../upstream/upstream-error.ts';
import { relayResponse, type RelayOutcome } from './relay.ts';

/**
 * An upstream answer whose body the test writes: what it writes before the relay
 * claims the body waits, as in exchange.ts. Emits 'resume' and 'cancel'.
 */
class ScriptedResponse extends EventEmitter implements UpstreamResponse {
  readonly statusCode = 200;
  readonly rawHeaders = ['Content-Type', 'text/plain', 'Connection', 'keep-alive, x-hop', 'X-Hop', 'drop me', 'X-Kept', 'yes'];
  readonly headers: UpstreamHeaders = {};
  cancelled = false;
  #sink: BodySink | null = null;
  #waiting: Array<(sink: BodySink) => boolean | void> = [];

  get body(): Readable {
    throw new Error('the relay must use streamTo');
  }

  streamTo(sink: BodySink): void {
    this.#sink = sink;
    for (const step of this.#waiting) step(sink);
    this.#waiting = [];
  }

  resume(): void {
    this.emit('resume');
  }

  cancel(): void {
    this.cancelled = true;
    this.emit('cancel');
  }

  discard(): void {}

  /** Writes a chunk; false when the relay asked to pause (or has not claimed the body yet). */
  write(chunk: string | Buffer): boolean {
    const bytes = Buffer.from(chunk);
    if (this.#sink === null) {
      this.#waiting.push((sink) => sink.write(bytes));
      return false;
    }
    return this.#sink.write(bytes);
  }

  end(): void {
    if (this.#sink === null) this.#waiting.push((sink) => sink.end());
    else this.#sink.end();
  }

  fail(err: UpstreamError): void {
    if (this.#sink === null) this.#waiting.push((sink) => sink.fail(err));
    else this.#sink.fail(err);
  }
}

let server: Server;
let url: string;
let body: ScriptedResponse;
let outcome: Promise<RelayOutcome>;

/** The next request relays `body` (status 200, a hop-by-hop header to drop). */
function relayNext(): void {
  body = new ScriptedResponse();
  outcome = new Promise((resolve) => {
    server.once('request', (_req: IncomingMessage, res: ServerResponse) => {
      void relayResponse(res, body, 'rid-1').then(resolve);
    });
  });
}

beforeEach(async () => {
  server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  relayNext();
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Sends a GET; resolves with the response once its headers are in (node sends them with the first body bytes). */
function get(): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/x`, resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readAll(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return text;
}

const upstreamError = (side: 'reset' | 'client-aborted'): UpstreamError => new UpstreamError({ upstream: 'legacy', side, delivered: true });

describe('relayResponse', () => {
  it('relays status, filtered headers with the request id, and every byte; outcome complete', async () => {
    const pending = get();
    body.write('hello ');
    body.write('world');
    body.end();
    const res = await pending;
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': 'text/plain', 'x-kept': 'yes', 'x-request-id': 'rid-1' });
    expect(res.headers['x-hop']).toBeUndefined();
    expect(await readAll(res)).toBe('hello world');
    expect(await outcome).toEqual({ kind: 'complete' });
  });

  it('relays an empty body', async () => {
    const pending = get();
    body.end();
    const res = await pending;
    expect(await readAll(res)).toBe('');
    expect(await outcome).toEqual({ kind: 'complete' });
  });

  it('cuts the client connection when the upstream fails mid-body; outcome upstream-failed', async () => {
    const pending = get();
    body.write('half');
    const res = await pending;
    const first = await once(res, 'data');
    expect(String(first[0])).toBe('half');
    const error = upstreamError('reset');
    body.fail(error);
    await expect(readAll(res)).rejects.toThrow(/aborted/);
    expect(await outcome).toEqual({ kind: 'upstream-failed', error });
  });

  it('cancels the exchange when the client leaves mid-body; outcome client-aborted', async () => {
    const pending = get();
    body.write('part');
    const res = await pending;
    await once(res, 'data');
    const cancelled = once(body, 'cancel');
    res.destroy();
    await cancelled;
    expect(body.cancelled).toBe(true);
    expect(await outcome).toEqual({ kind: 'client-aborted' });
  });

  it('an exchange cancelled for the client (client-aborted error) is client-aborted, not a cut', async () => {
    const pending = get();
    body.write('part');
    const res = await pending;
    await once(res, 'data');
    body.fail(upstreamError('client-aborted'));
    expect(await outcome).toEqual({ kind: 'client-aborted' });
    res.destroy();
  });

  it('a body that failed before the relay started cuts the connection at once', async () => {
    const error = upstreamError('reset');
    body.fail(error);
    const res = get();
    await expect(res.then(readAll)).rejects.toThrow();
    expect(await outcome).toEqual({ kind: 'upstream-failed', error });
  });

  it('keeps back-pressure: a client that does not read pauses the upstream until it reads again', async () => {
    const pending = get();
    body.write('start');
    const res = await pending;
    res.pause();
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let chunks = 0;
    let stalled = false;
    // Write until the relay asks for a pause and does not resume: the client reads nothing.
    while (chunks < 1024 && !stalled) {
      chunks += 1;
      if (body.write(chunk)) continue;
      stalled = !(await Promise.race([once(body, 'resume').then(() => true), delay(300).then(() => false)]));
    }
    expect(stalled).toBe(true);
    // Socket buffers took some; 64 MiB would mean nothing held the body back.
    expect(chunks).toBeLessThan(1024);
    const resumed = once(body, 'resume');
    const received = (async () => {
      let bytes = 0;
      for await (const part of res) bytes += (part as Buffer).length;
      return bytes;
    })();
    // Reading drains the response, and the relay resumes the upstream.
    await resumed;
    body.end();
    expect(await received).toBe('start'.length + chunks * chunk.length);
    expect(await outcome).toEqual({ kind: 'complete' });
  });
});
