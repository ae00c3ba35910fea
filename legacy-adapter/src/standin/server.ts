/**
 * Runs the stand-in monolith on a port: `startStandin(deps, { port: 0 })` in
 * tests, port 8090 in the local stack (docs/architecture.md §9).
 */
import { createServer } from 'node:http';
import pino from 'pino';
import { PARSER_HEADER_LIMIT_BYTES } from '../codecs/request-line.ts';
import { listenWithDrain } from '../http/listen-with-drain.ts';
import { buildStandinApp } from './app.ts';
import type { StandinAppOptions, StandinLog } from './app.ts';
import type { StandinDeps } from './deps.ts';

/** Port of the stand-in in the local stack. */
export const DEFAULT_STANDIN_PORT = 8090;

/** Where to listen. */
export interface ListenOptions {
  /** TCP port; 0 picks a free one. Default 8090. */
  port?: number;
  /** Interface; default 127.0.0.1. */
  host?: string;
  /** Connections still open this long after `close()` are cut. Default 10 000 ms, within a pod's grace period (k8s/parts/legacy-standin). */
  drainTimeoutMs?: number;
}

/** Default of `ListenOptions.drainTimeoutMs`. */
export const DEFAULT_STANDIN_DRAIN_TIMEOUT_MS = 10_000;

/** A running stand-in. */
export interface RunningStandin {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  port: number;
  /**
   * Drains: stops accepting, closes idle connections, lets requests in flight finish (their
   * answers say `Connection: close`), cuts what is left after `drainTimeoutMs`, and resolves
   * when the server is closed. Does not close `deps.db`.
   */
  close(): Promise<void>;
}

/** A pino-backed log for the stand-in (JSON lines on stdout). */
export function pinoStandinLog(): StandinLog {
  const logger = pino({ name: 'legacy-standin' });
  return {
    notice: (message) => logger.info(message),
    error: (err, req) => logger.error({ err, method: req.method, url: req.originalUrl }, 'stand-in request failed'),
  };
}

/**
 * Starts the stand-in.
 *
 * @example
 * const standin = await startStandin(deps, { port: 0 });
 * await fetch(`${standin.url}/mtracking.gif`);
 * await standin.close();
 */
export async function startStandin(deps: StandinDeps, listen: ListenOptions = {}, options: StandinAppOptions = {}): Promise<RunningStandin> {
  const app = buildStandinApp(deps, { log: options.log ?? pinoStandinLog() });
  // A parser limit above the request-line limit, so a long line gets Apache's 414, not a cut connection.
  const server = createServer({ maxHeaderSize: PARSER_HEADER_LIMIT_BYTES }, app);
  const listening = await listenWithDrain(server, {
    port: listen.port ?? DEFAULT_STANDIN_PORT, host: listen.host ?? '127.0.0.1', drainTimeoutMs: listen.drainTimeoutMs ?? DEFAULT_STANDIN_DRAIN_TIMEOUT_MS,
  });
  return { url: listening.url, port: listening.port, close: listening.close };
}
