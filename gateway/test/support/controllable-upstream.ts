/**
 * A real upstream on 127.0.0.1 (port 0) whose behaviour is a switch the test
 * flips (docs/style.md §6, Skipper's failing backend), and which records what it
 * received. Every response carries `x-upstream: <name>` so a test can tell who
 * answered. By default it echoes the request as JSON.
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedPort } from './path-scripted-upstream.ts';

/** What the upstream does with the next requests. */
export type Behaviour =
  /** 200, JSON `{ upstream, method, url, headers, bodyBytes, body }` (body as UTF-8 when ≤ 64 KiB). */
  | 'echo'
  /** 500 `failed`. */
  | 'fail'
  /** 404 `not found`. */
  | 'not-found'
  /** Reads the request, never answers. */
  | 'hang'
  /** Destroys the socket once the headers are in (the request was delivered). */
  | 'reset'
  /** Writes bytes that are not HTTP, then closes. */
  | 'garbage'
  /** 200 with Content-Length 100, sends 10 bytes, then closes. */
  | 'cut-mid-body'
  /** Echoes after `delayMs`. */
  | 'slow'
  /** 200 `application/octet-stream` with the bytes in `payload`, chunked. */
  | 'payload';

/** One request as the upstream saw it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Whole body; empty until `complete`. */
  body: Buffer;
  /** True once the whole body arrived. */
  complete: boolean;
  /** True when the request was aborted before its body was complete. */
  aborted: boolean;
}

/** A running controllable upstream. */
export interface ControllableUpstream {
  readonly name: string;
  readonly url: string;
  behaviour: Behaviour;
  /** Delay of `slow`, in ms. Default 300. */
  delayMs: number;
  /** Body of `payload`. */
  payload: Buffer;
  readonly received: ReceivedRequest[];
  /** Emits `request` (ReceivedRequest, headers in), `body` (complete) and `aborted`. */
  readonly events: EventEmitter;
  /** Resolves with the next request whose headers arrive. */
  nextRequest(): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/** Largest body echoed back as text; larger ones report only their size. */
const ECHO_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Starts a controllable upstream.
 *
 * @example
 * const tracking = await startControllableUpstream('tracking');
 * tracking.behaviour = 'fail';
 */
export async function startControllableUpstream(name: string, behaviour: Behaviour = 'echo'): Promise<ControllableUpstream> {
  const events = new EventEmitter();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer({ keepAliveTimeout: 1000 }, (req, res) => handle(req, res));
  const upstream: ControllableUpstream = {
    name,
    url: '',
    behaviour,
    delayMs: 300,
    payload: Buffer.alloc(0),
    received: [],
    events,
    nextRequest: async () => (await once(events, 'request'))[0] as ReceivedRequest,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const seen: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.alloc(0), complete: false, aborted: false };
    upstream.received.push(seen);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.body = Buffer.concat(chunks);
      seen.complete = true;
      events.emit('body', seen);
    });
    req.on('close', () => {
      if (!seen.complete) {
        seen.aborted = true;
        events.emit('aborted', seen);
      }
    });
    events.emit('request', seen);
    act(upstream.behaviour, req, res, seen);
  }

  function act(b: Behaviour, req: IncomingMessage, res: ServerResponse, seen: ReceivedRequest): void {
    res.setHeader('x-upstream', name);
    if (b === 'echo') req.on('end', () => echo(res, seen));
    else if (b === 'fail') req.on('end', () => res.writeHead(500, { 'content-type': 'text/plain' }).end('failed'));
    else if (b === 'not-found') req.on('end', () => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'));
    else if (b === 'reset') req.socket.destroy();
    else if (b === 'garbage') req.socket.end('SURELY NOT HTTP\r\n\r\n');
    else if (b === 'cut-mid-body') {
      res.writeHead(200, { 'content-length': '100' });
      res.write('0123456789', () => req.socket.destroy());
    } else if (b === 'payload') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (let i = 0; i < upstream.payload.length; i += 16_384) res.write(upstream.payload.subarray(i, i + 16_384));
      res.end();
    } else if (b === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        echo(res, seen);
      }, upstream.delayMs);
      timers.add(timer);
    }
    // 'hang': nothing.
  }

  function echo(res: ServerResponse, seen: ReceivedRequest): void {
    const body = seen.body.length <= ECHO_BODY_LIMIT_BYTES ? seen.body.toString('utf8') : null;
    const json = JSON.stringify({ upstream: name, method: seen.method, url: seen.url, headers: seen.headers, bodyBytes: seen.body.length, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end(json);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (upstream as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return upstream;
}

/** A URL on 127.0.0.1 where nothing listens (connect is refused). */
export async function refusedUrl(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}`;
}
