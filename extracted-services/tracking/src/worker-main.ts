/**
 * `npm run serve -- worker`: the phase-2 worker alone, as a container runs it. Reads
 * REDIS_URL (required), DATABASE_URL, the `MAUTIC_*` settings, `TRACKING_HIT_STREAM`,
 * `TRACKING_WORKER_BATCH_SIZE` and `TRACKING_WORKER_NAME` (the consumer name; keep it
 * across restarts so the worker takes back its own unacknowledged batch). SIGTERM finishes the batch in hand, then exits 0.
 */
import pino from 'pino';
import { exitOnStopSignal, openServiceDb } from '../../service-kit/run-service.ts';
import { trackingConfigFromEnv } from './config-from-env.ts';
import { startHitWorker } from './queue/worker.ts';

/** Runs the worker until SIGTERM/SIGINT. */
export async function runWorker(env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.REDIS_URL) throw new Error('REDIS_URL: the worker reads the hit stream from Redis; without REDIS_URL the tracking service completes every hit itself');
  const config = trackingConfigFromEnv(env);
  const db = await openServiceDb(env, { connectionLimit: config.dbPoolSize });
  const log = pino({ name: 'tracking-worker' });
  const worker = await startHitWorker({
    db, config, redisUrl: env.REDIS_URL, stream: config.hitStream, deadStream: `${config.hitStream}:dead`, batchSize: config.workerBatchSize,
    ...(env.TRACKING_WORKER_NAME ? { consumer: env.TRACKING_WORKER_NAME } : {}),
    onError: (err, what) => log.error({ err }, what),
  });
  process.stdout.write(`worker reading ${config.hitStream}\n`);
  exitOnStopSignal('worker', () => worker.close().then(() => db.close()));
}
