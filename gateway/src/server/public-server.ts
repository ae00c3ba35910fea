/**
 * The public port: a plain node:http server (no framework on the hot path)
 * with the limits of `server.*`, bad requests answered with a code, and a
 * drain that lets in-flight requests finish.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { GatewayConfig } from '../config/schema.ts';
import type { Logger } from '../observability/logger.ts';
import { LOG_LINES } from '../observability/log-lines.ts';
import type { Stats } from '../observability/stats.ts';
import { answerClientError, type ClientErrorLike } from './client-error.ts';
import { createInFlight } from './in-flight.ts';

/** The public server and its drain. */
export interface PublicServer {
  readonly server: Server;
  /** Requests being served right now. */
  inFlight(): number;
  /**
   * Stops accepting connections, closes idle ones, answers the rest with
   * `Connection: close`, and resolves when every in-flight request is done or
   * `timeoutMs` passed (then the remaining connections are cut).
   *
   * @returns true when every request finished in time.
   */
  drain(timeoutMs: number): Promise<boolean>;
}

/** What the server needs. */
export interface PublicServerOptions {
  readonly limits: GatewayConfig['server'];
  /** The request pipeline; must never throw. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  readonly stats: Stats;
  readonly logger: Logger;
}

/**
 * Creates (does not listen) the public server.
 *
 * @example
 * const pub = createPublicServer({ limits: config.server, handle, stats, logger });
 * pub.server.listen(config.server.port, config.server.host);
 */
export function createPublicServer(opts: PublicServerOptions): PublicServer {
  const { limits } = opts;
  let draining = false;
  const active = createInFlight<ServerResponse>();
  const idleWaiters = new Set<() => void>();
  const server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    // The pipeline gives a body requestTimeoutMs from its headers and answers 408 with its log
    // line (pipeline/request-body.ts); node's own whole-request limit stays behind it as a backstop.
    requestTimeout: limits.headersTimeoutMs + limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node would answer a missing Host with a bare 400 of its own; classify answers it with a code.
    requireHostHeader: false,
    // How often node checks the two timeouts above; its 30 s default would make a 1 s limit fire late.
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 4))),
  });
  // More fields than this is a 431 (node:http refuses them, it does not drop them).
  server.maxHeadersCount = limits.maxHeaderFields;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const slot = active.add(res);
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      active.remove(slot);
      if (active.size === 0) for (const wake of idleWaiters) wake();
    });
    opts.handle(req, res);
  });
  server.on('clientError', (err: ClientErrorLike, socket) => {
    const code = answerClientError(err, socket);
    if (code === null) return;
    opts.stats.increment('clientErrors');
    opts.stats.incrementLabel('errors', code);
    opts.logger.debug({ code, cause: err.code, reason: err.reason }, LOG_LINES.clientError);
  });

  async function drain(timeoutMs: number): Promise<boolean> {
    draining = true;
    // Keep-alive would hold connections open past the drain; tell each client the connection ends.
    for (const res of active.items()) if (!res.headersSent) res.setHeader('connection', 'close');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const finished = active.size === 0 || (await waitIdle(timeoutMs));
    server.closeAllConnections();
    await closed;
    return finished;
  }

  function waitIdle(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        idleWaiters.delete(wake);
        resolve(ok);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      idleWaiters.add(wake);
    });
  }

  return { server, inFlight: () => active.size, drain };
}
