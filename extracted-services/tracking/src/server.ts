/**
 * Runs the tracking service on a port: `startTracking(deps, { port: 0 })` in tests, 8101
 * in the local stack, and `runTracking(env)` for `npm run serve -- tracking`, which
 * reads PORT, DATABASE_URL and the `MAUTIC_*` settings and drains on SIGTERM.
 */
import { createServer } from 'node:http';
import pino from 'pino';
import { PARSER_HEADER_LIMIT_BYTES } from '../../../legacy-adapter/src/codecs/request-line.ts';
import { exitOnStopSignal, listenService, openServiceDb, portFromEnv, type ListenOptions, type RunningService } from '../../service-kit/run-service.ts';
import { buildApp } from './app.ts';
import type { TrackingDeps, TrackingLog } from './app.ts';
import { DEFAULT_TRACKING_PORT } from './config.ts';
import { trackingConfigFromEnv } from './config-from-env.ts';
import { redisHitQueue } from './queue/hit-queue.ts';
import { holdBeforeCommitFromEnv } from './test-hold.ts';

/** A running tracking service; `close()` does not close `deps.db`. */
export type RunningTracking = RunningService;

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
  // A parser limit above the request-line limit, so a long line gets Apache's 414 (app.ts), not a cut connection.
  return listenService((draining) => createServer({ maxHeaderSize: PARSER_HEADER_LIMIT_BYTES }, buildApp({ ...deps, draining })), listen, DEFAULT_TRACKING_PORT);
}

/** `npm run serve -- tracking`: configuration from `env`, listen, drain on SIGTERM/SIGINT. */
export async function runTracking(env: NodeJS.ProcessEnv): Promise<void> {
  const port = portFromEnv(env, DEFAULT_TRACKING_PORT);
  const config = trackingConfigFromEnv(env);
  const db = await openServiceDb(env, { connectionLimit: config.dbPoolSize });
  const queue = env.REDIS_URL ? redisHitQueue(env.REDIS_URL, { stream: config.hitStream }) : undefined;
  // Not fatal: until Redis answers, phase 2 runs inline.
  if (queue && !(await queue.ready())) process.stderr.write('tracking: REDIS_URL does not answer yet; phase 2 runs inline until it does\n');
  const beforeCommit = holdBeforeCommitFromEnv(env);
  const tracking = await startTracking({ db, config, log: pinoTrackingLog(), queue, ...(beforeCommit ? { beforeCommit } : {}) }, { port, host: env.HOST || '0.0.0.0' });
  process.stdout.write(`tracking listening on ${tracking.url}\n`);
  exitOnStopSignal('tracking', () => tracking.close().then(() => queue?.close()).then(() => db.close()));
}
