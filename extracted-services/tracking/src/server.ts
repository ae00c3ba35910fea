/**
 * Runs the tracking service on a port: `startTracking(deps, { port: 0 })` in tests, 8101
 * in the local stack, and `runTracking(env)` for `npm run serve -- tracking`, which
 * reads PORT, DATABASE_URL and the `MAUTIC_*` settings and drains on SIGTERM.
 */
import { createServer } from 'node:http';
import pino from 'pino';
import { PARSER_HEADER_LIMIT_BYTES } from '../../../legacy-adapter/src/codecs/request-line.ts';
import { listenWithDrain, type ListeningServer } from '../../../legacy-adapter/src/http/listen-with-drain.ts';
import { migrate } from '../../../legacy-adapter/src/db/migrate.ts';
import { openDb } from '../../../legacy-adapter/src/db/open.ts';
import { DEFAULT_DATABASE_URL } from '../../../legacy-adapter/src/db/url.ts';
import { buildApp } from './app.ts';
import type { TrackingDeps, TrackingLog } from './app.ts';
import { DEFAULT_TRACKING_PORT } from './config.ts';
import { trackingConfigFromEnv } from './config-from-env.ts';
import { redisHitQueue } from './queue/hit-queue.ts';

/** Where to listen. */
export interface ListenOptions {
  /** TCP port; 0 picks a free one. Default 8101. */
  port?: number;
  /** Interface; default 127.0.0.1. */
  host?: string;
  /** Connections still open this long after `close()` are cut. Default 10 000 ms. */
  drainTimeoutMs?: number;
}

/** A running tracking service. */
export interface RunningTracking {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  url: string;
  port: number;
  /**
   * Drains: readiness turns 503, no new connections, requests in flight finish with
   * `Connection: close`, idle connections close, what is left after `drainTimeoutMs` is
   * cut. Resolves when the server is closed; does not close `deps.db`.
   */
  close(): Promise<void>;
}

/** A pino-backed log (JSON lines on stdout). */
export function pinoTrackingLog(): TrackingLog {
  const logger = pino({ name: 'tracking' });
  return {
    notice: (message) => logger.info(message),
    error: (err, req) => logger.error({ err, method: req.method, url: req.originalUrl }, 'tracking request failed'),
    lost: (err, message) => logger.error({ err, message }, 'hit lost: phase 2 could be neither queued nor written'),
  };
}

/**
 * Starts the service.
 *
 * @example
 * const tracking = await startTracking({ db, config: trackingConfig() }, { port: 0 });
 * await fetch(`${tracking.url}/mtracking.gif`);
 * await tracking.close();
 */
export async function startTracking(deps: Omit<TrackingDeps, 'draining'>, listen: ListenOptions = {}): Promise<RunningTracking> {
  // `listening` is set before the first request can arrive: listenWithDrain resolves on 'listening'.
  const app = buildApp({ ...deps, draining: () => listening.draining() });
  // A parser limit above the request-line limit, so a long line gets Apache's 414 (app.ts), not a cut connection.
  const server = createServer({ maxHeaderSize: PARSER_HEADER_LIMIT_BYTES }, app);
  const listening: ListeningServer = await listenWithDrain(server, { port: listen.port ?? DEFAULT_TRACKING_PORT, host: listen.host ?? '127.0.0.1', drainTimeoutMs: listen.drainTimeoutMs ?? 10_000 });
  return { url: listening.url, port: listening.port, close: listening.close };
}

/** `npm run serve -- tracking`: configuration from `env`, listen, drain on SIGTERM/SIGINT. */
export async function runTracking(env: NodeJS.ProcessEnv): Promise<void> {
  const port = env.PORT === undefined || env.PORT === '' ? DEFAULT_TRACKING_PORT : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: must be a port number 0–65535, got ${JSON.stringify(env.PORT)}`);
  const config = trackingConfigFromEnv(env);
  const db = await openDb(env.DATABASE_URL || DEFAULT_DATABASE_URL, { connectionLimit: config.dbPoolSize });
  // The embedded SQLite file may be new; a MySQL database is Mautic's and is never touched.
  if (db.dialect === 'sqlite') await migrate(db);
  const queue = env.REDIS_URL ? redisHitQueue(env.REDIS_URL, { stream: config.hitStream }) : undefined;
  // Not fatal: until Redis answers, phase 2 runs inline.
  if (queue && !(await queue.ready())) process.stderr.write('tracking: REDIS_URL does not answer yet; phase 2 runs inline until it does\n');
  const tracking = await startTracking({ db, config, log: pinoTrackingLog(), queue }, { port, host: env.HOST || '0.0.0.0' });
  process.stdout.write(`tracking listening on ${tracking.url}\n`);
  const stop = (): void => {
    void tracking.close().then(() => queue?.close()).then(() => db.close()).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
