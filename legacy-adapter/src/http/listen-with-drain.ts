/**
 * Listening and draining for the HTTP servers of the stand-in and the extracted
 * services: one place for what a pod's SIGTERM needs (k8s/parts/*), so each
 * part drains the same way.
 *
 * A drain stops accepting, closes idle keep-alive connections, lets the
 * requests in flight finish, and tells their clients the connection ends
 * (`Connection: close`): a keep-alive client would otherwise send its next
 * request on a connection about to be cut. What is still open after the
 * drain timeout is cut.
 */
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A server that listens, and how to drain it. */
export interface ListeningServer {
  /** Base URL, e.g. `http://127.0.0.1:43121` (IPv6 addresses in brackets). */
  readonly url: string;
  readonly port: number;
  /** True once `close()` was called. */
  draining(): boolean;
  /** Drains as the file header says; resolves when the server is closed. */
  close(): Promise<void>;
}

/**
 * Listens on `port` and `host` and returns once listening.
 *
 * @param drainTimeoutMs - connections still open this long after `close()` are cut.
 * @example
 * const listening = await listenWithDrain(createServer(app), { port: 0, host: '127.0.0.1', drainTimeoutMs: 10_000 });
 * process.once('SIGTERM', () => void listening.close());
 */
export async function listenWithDrain(server: Server, options: { port: number; host: string; drainTimeoutMs: number }): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    draining: () => draining,
    close: () =>
      new Promise<void>((resolve, reject) => {
        draining = true;
        for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
        const cut = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, options.drainTimeoutMs);
        server.close((err) => {
          clearTimeout(cut);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
