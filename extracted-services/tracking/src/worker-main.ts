/**
 * `npm run serve -- worker`: the phase-2 worker alone, as a container runs it. Reads
 * REDIS_URL (required), DATABASE_URL, the `MAUTIC_*` settings and
 * `TRACKING_WORKER_NAME` (the consumer name; keep it across restarts so the worker takes
 * back its own unacknowledged batch). SIGTERM finishes the batch in hand, then exits 0.
 */
import pino from 'pino';
import { exitOnStopSignal, openServiceDb } from '../../service-kit/run-service.ts';
import { trackingConfigFromEnv } from './config-from-env.ts';
import { HIT_STREAM } from './queue/hit-queue.ts';
import { startHitWorker } from './queue/worker.ts';

/** Runs the worker until SIGTERM/SIGINT. */
export async function runWorker(env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.REDIS_URL) throw new Error('REDIS_URL: the worker reads the hit stream from Redis; without REDIS_URL the tracking service completes every hit itself');
  const config = trackingConfigFromEnv(env);
  const db = await openServiceDb(env);
  const log = pino({ name: 'tracking-worker' });
  const worker = await startHitWorker({
    db, config, redisUrl: env.REDIS_URL, ...(env.TRACKING_WORKER_NAME ? { consumer: env.TRACKING_WORKER_NAME } : {}),
    onError: (err, what) => log.error({ err }, what),
  });
  process.stdout.write(`worker reading ${HIT_STREAM}\n`);
  exitOnStopSignal('worker', () => worker.close().then(() => db.close()));
}
