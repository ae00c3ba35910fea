/**
 * Child-process entry of the bare forwarder, an informational anchor: the
 * least a Node proxy of this design does per request, with none of the
 * gateway's work (no routing, flags, header rules, timeouts or log line).
 * `node:http` in; out through one undici Pool (keep-alive, pipelining 1,
 * 32 connections, like the gateway's) with a dispatch handler of undici's
 * controller interface that takes the raw header fields and writes the body
 * chunks straight to the response, as the gateway's exchange and relay do.
 * argv[2]: its port, argv[3]: the upstream's port, both on 127.0.0.1.
 */
import { createServer, type ServerResponse } from 'node:http';
import { Pool, type Dispatcher } from 'undici';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);
const port = Number(process.argv[2]);
const pool = new Pool(`http://127.0.0.1:${process.argv[3]}`, { connections: 32, pipelining: 1 });

class Forward implements Dispatcher.DispatchHandler {
  readonly #res: ServerResponse;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  /** Nothing to do at the start; its presence marks the controller interface for undici. */
  onRequestStart(): void {}

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number): void {
    const raw = (controller.rawHeaders ?? []) as Buffer[];
    const out: string[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = (raw[i] as Buffer).toString('latin1');
      if (!HOP_BY_HOP.has(name.toLowerCase())) out.push(name, (raw[i + 1] as Buffer).toString('latin1'));
    }
    this.#res.writeHead(statusCode, out);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#res.write(chunk)) return;
    controller.pause();
    this.#res.once('drain', () => controller.resume());
  }

  onResponseEnd(): void {
    this.#res.end();
  }

  onResponseError(): void {
    if (!this.#res.headersSent) this.#res.statusCode = 502;
    this.#res.end();
  }
}

const server = createServer((req, res) => {
  const headers = ['host', req.headers.host ?? '', 'x-forwarded-for', req.socket.remoteAddress ?? ''];
  pool.dispatch({ method: 'GET', path: req.url ?? '/', headers }, new Forward(res));
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => void pool.close().then(() => process.exit(0)));
});
