/**
 * How every service and worker process starts and stops: the port from `PORT`, the database
 * from `DATABASE_URL` (an embedded SQLite file gets Mautic's tables; a MySQL database is
 * Mautic's and is never touched), listening with a drain, and SIGTERM/SIGINT ending in a
 * drained exit 0.
 */
import type { Server } from 'node:http';
import { migrate } from '../../legacy-adapter/src/db/migrate.ts';
import { openDb, type OpenDbOptions } from '../../legacy-adapter/src/db/open.ts';
import type { Db } from '../../legacy-adapter/src/db/types.ts';
import { DEFAULT_DATABASE_URL } from '../../legacy-adapter/src/db/url.ts';
import { listenWithDrain, type ListeningServer } from '../../legacy-adapter/src/http/listen-with-drain.ts';

/** Where a service listens. */
export interface ListenOptions {
  /** TCP port; 0 picks a free one. Default: the service's own. */
  port?: number;
  /** Interface; default 127.0.0.1. */
  host?: string;
  /** Connections still open this long after `close()` are cut. Default 10 000 ms. */
  drainTimeoutMs?: number;
}

/** A listening service. */
export interface RunningService {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  port: number;
  /**
   * Drains: readiness turns 503, no new connections, requests in flight finish with
   * `Connection: close`, idle connections close, what is left after `drainTimeoutMs` is
   * cut. Resolves when the server is closed; closes none of the service's dependencies.
   */
  close(): Promise<void>;
}

/**
 * Listens with `server(draining)`, where `draining()` turns true once `close()` began.
 *
 * @example
 * const running = await listenService((draining) => createServer(buildApp({ ...deps, draining })), listen, 8102);
 */
export async function listenService(server: (draining: () => boolean) => Server, listen: ListenOptions, defaultPort: number): Promise<RunningService> {
  // `listening` is set before the first request can arrive: listenWithDrain resolves on 'listening'.
  const listening: ListeningServer = await listenWithDrain(server(() => listening.draining()), {
    port: listen.port ?? defaultPort, host: listen.host ?? '127.0.0.1', drainTimeoutMs: listen.drainTimeoutMs ?? 10_000,
  });
  return { url: listening.url, port: listening.port, close: listening.close };
}

/** `PORT`, or `defaultPort` when unset; anything but a port number 0–65535 throws, naming the variable. */
export function portFromEnv(env: NodeJS.ProcessEnv, defaultPort: number): number {
  const port = env.PORT === undefined || env.PORT === '' ? defaultPort : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: must be a port number 0–65535, got ${JSON.stringify(env.PORT)}`);
  return port;
}

/** The database of `DATABASE_URL` (default: the embedded SQLite file), with Mautic's tables when it is SQLite. */
export async function openServiceDb(env: NodeJS.ProcessEnv, options: OpenDbOptions = {}): Promise<Db> {
  const db = await openDb(env.DATABASE_URL || DEFAULT_DATABASE_URL, options);
  if (db.dialect === 'sqlite') await migrate(db);
  return db;
}

/**
 * On the first SIGTERM or SIGINT: runs `stop` (drain, then close what the process opened), then
 * exits 0; 1, with the reason on stderr, when stopping failed.
 */
export function exitOnStopSignal(name: string, stop: () => Promise<unknown>): void {
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    stop().then(() => process.exit(0), (err: unknown) => {
      process.stderr.write(`${name}: stopping failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
