/**
 * Tracking's phase-2 worker, as `npm run serve -- worker` starts it (scripts/workers.ts runs it
 * alone or beside the mail worker, with one probe port and one SIGTERM). Reads REDIS_URL
 * (required), DATABASE_URL, the `MAUTIC_*` settings, `TRACKING_HIT_STREAM`,
 * `TRACKING_WORKER_BATCH_SIZE` and `TRACKING_WORKER_NAME` (the consumer name; keep it across
 * restarts so the worker takes back its own unacknowledged batch). Closing finishes the batch
 * in hand (committed and acknowledged); a batch cut short by the grace period's SIGKILL is not
 * acknowledged, and the next worker takes it back (README § Phase 2 and the worker).
 */
import pino from 'pino';
import { openServiceDb } from '../../service-kit/run-service.ts';
import type { RunningWorker } from '../../service-kit/running-worker.ts';
import { databaseReadiness, redisReadiness } from '../../service-kit/worker-readiness.ts';
import { trackingConfigFromEnv } from './config-from-env.ts';
import { startHitWorker } from './queue/worker.ts';

/** Starts the worker on the hit stream. */
export async function startTrackingWorker(env: NodeJS.ProcessEnv): Promise<RunningWorker> {
  if (!env.REDIS_URL) throw new Error('REDIS_URL: the worker reads the hit stream from Redis; without REDIS_URL the tracking service completes every hit itself');
  const config = trackingConfigFromEnv(env);
  const db = await openServiceDb(env, { connectionLimit: config.dbPoolSize });
  const log = pino({ name: 'tracking-worker' });
  const worker = await startHitWorker({
    db, config, redisUrl: env.REDIS_URL, stream: config.hitStream, deadStream: `${config.hitStream}:dead`, batchSize: config.workerBatchSize,
    ...(env.TRACKING_WORKER_NAME ? { consumer: env.TRACKING_WORKER_NAME } : {}),
    onError: (err, what) => log.error({ err }, what),
    onOrphan: (id, message) => log.warn({ id, message }, 'phase-2 message dropped as an orphan: its hit was never committed (its request got no 200)'),
  });
  const redis = redisReadiness(env.REDIS_URL);
  return {
    reading: `worker reading ${config.hitStream}`,
    draining: 'worker draining: finishing the batch in hand',
    notFoundCode: 'TRK_ERR_NOT_FOUND',
    // Side by side: each waits at most a second, and the probe's own timeout is 2 s (k8s/parts/worker).
    check: async () => {
      const [database, queue] = await Promise.all([databaseReadiness(db), redis.check()]);
      return database ?? queue;
    },
    async close() {
      await worker.close();
      await Promise.all([db.close(), redis.close()]);
    },
  };
}
