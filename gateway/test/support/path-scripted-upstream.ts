/**
 * A real HTTP server on 127.0.0.1 whose behaviour is chosen by the request path,
 * with counters (docs/style.md §6, Skipper's failing backend). Test support only:
 * nothing in the data plane imports it. The client's tests call one path per
 * behaviour; the whole-gateway tests use gateway/test/support/controllable-upstream.ts,
 * whose behaviour is a switch the test flips.
 *
 * | path                 | behaviour                                                        |
 * |----------------------|------------------------------------------------------------------|
 * | `/ok`                | 200 `ok`                                                         |
 * | `/status/<n>`        | status n, body `status <n>`                                      |
 * | `/hang-headers`      | reads the request, never answers                                 |
 * | `/hang-body`         | 200 with Content-Length 100, sends 10 bytes, then nothing        |
 * | `/close-mid`         | 200 with Content-Length 100, sends 10 bytes, closes the socket   |
 * | `/close-before`      | closes the socket without answering                              |
 * | `/reset`             | resets the socket (TCP RST) without answering                    |
 * | `/garbage`           | writes bytes that are not HTTP, then closes                      |
 * | `/cookies`           | 200 with three Set-Cookie fields                                 |
 * | `/continue`          | an unsolicited 100 Continue, then 200 `after continue`           |
 * | `/early-hints`       | 103 Early Hints, then 200 `after hints`                          |
 * | `/empty`             | 204 without a body                                               |
 * | `/headers`           | 200, JSON of the request headers it received                     |
 * | `/count`             | reads the whole request body, answers its byte count             |
 * | `/bytes/<n>`         | 200 with n bytes of `x`, streamed in 64 KiB chunks; `events` emits `response-sent` once all left |
 * | `/gated/<n>`         | like `/bytes/<n>`, but waits for `events.emit('release')` after the first 64 KiB |
 */
import { EventEmitter, once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A running path-scripted upstream. */
export interface PathScriptedUpstream {
  readonly url: string;
  readonly port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  readonly requests: SeenRequest[];
  /**
   * Emits `body-data` (bytes so far) whenever a request body chunk arrives, and
   * `response-sent` once a `/bytes` or `/gated` body has been written out.
   */
  readonly events: EventEmitter;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

function streamBytes(res: ServerResponse, total: number, events: EventEmitter, gated: boolean): void {
  res.once('finish', () => events.emit('response-sent'));
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      const chunk = CHUNK.subarray(0, Math.min(CHUNK.length, total - sent));
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
      if (gated && sent === chunk.length) return void events.once('release', pump);
    }
    res.end();
  };
  pump();
}

function countBody(req: IncomingMessage, res: ServerResponse, events: EventEmitter): void {
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    events.emit('body-data', bytes);
  });
  req.on('end', () => res.end(String(bytes)));
}

function handle(req: IncomingMessage, res: ServerResponse, events: EventEmitter): void {
  const path = req.url ?? '/';
  const status = /^\/status\/(\d{3})$/.exec(path);
  const bytes = /^\/bytes\/(\d+)$/.exec(path);
  const gated = /^\/gated\/(\d+)$/.exec(path);
  if (path === '/ok') res.end('ok');
  else if (status) res.writeHead(Number(status[1])).end(`status ${status[1]}`);
  else if (bytes) streamBytes(res, Number(bytes[1]), events, false);
  else if (gated) streamBytes(res, Number(gated[1]), events, true);
  else if (path === '/hang-headers') req.resume();
  else if (path === '/hang-body') res.writeHead(200, { 'content-length': '100' }).write('0123456789');
  else if (path === '/close-mid') {
    res.writeHead(200, { 'content-length': '100' });
    res.write('0123456789', () => req.socket.destroy());
  } else if (path === '/close-before') req.socket.destroy();
  else if (path === '/reset') req.socket.resetAndDestroy();
  else if (path === '/garbage') req.socket.end('this is not http\r\n\r\n');
  else if (path === '/cookies') {
    res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/; HttpOnly', 'mautic_device_id=abc; SameSite=None; Secure']);
    res.end('cookies');
  } else if (path === '/headers') res.setHeader('content-type', 'application/json').end(JSON.stringify(req.headers));
  else if (path === '/count') countBody(req, res, events);
  else if (path === '/continue') {
    res.writeContinue();
    res.end('after continue');
  } else if (path === '/early-hints') {
    res.writeEarlyHints({ link: '</mtc.js>; rel=preload; as=script' });
    res.end('after hints');
  } else if (path === '/empty') res.writeHead(204).end();
  else res.writeHead(404).end('no such behaviour');
}

/** Starts a path-scripted upstream on 127.0.0.1 at a free port. */
export async function startPathScriptedUpstream(): Promise<PathScriptedUpstream> {
  const events = new EventEmitter();
  const requests: SeenRequest[] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handle(req, res, events);
  });
  server.on('connection', () => { connections += 1; });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    requests,
    events,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A port on 127.0.0.1 where nothing listens (it was bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
