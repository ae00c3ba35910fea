/**
 * `npm run serve -- worker`: the phase-2 worker alone, as a container runs it. Reads
 * REDIS_URL (required), DATABASE_URL, the `MAUTIC_*` settings, `TRACKING_HIT_STREAM`,
 * `TRACKING_WORKER_BATCH_SIZE`, `TRACKING_WORKER_NAME` (the consumer name; keep it across
 * restarts so the worker takes back its own unacknowledged batch), and `PORT`: set, the worker
 * answers its probes there (`/healthz`, `/readyz`; service-kit/probe-port.ts). SIGTERM finishes
 * the batch in hand (committed and acknowledged), then exits 0; a batch cut short by the grace
 * period's SIGKILL is not acknowledged, and the next worker takes it back (README § Phase 2 and
 * the worker).
 */
import pino from 'pino';
import { probePortFromEnv, startProbePort } from '../../service-kit/probe-port.ts';
import { exitOnStopSignal, openServiceDb } from '../../service-kit/run-service.ts';
import { trackingConfigFromEnv } from './config-from-env.ts';
import { startHitWorker } from './queue/worker.ts';

/** Runs the worker until SIGTERM/SIGINT. */
export async function runWorker(env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.REDIS_URL) throw new Error('REDIS_URL: the worker reads the hit stream from Redis; without REDIS_URL the tracking service completes every hit itself');
  const config = trackingConfigFromEnv(env);
  const probePort = probePortFromEnv(env);
  const db = await openServiceDb(env, { connectionLimit: config.dbPoolSize });
  const log = pino({ name: 'tracking-worker' });
  const worker = await startHitWorker({
    db, config, redisUrl: env.REDIS_URL, stream: config.hitStream, deadStream: `${config.hitStream}:dead`, batchSize: config.workerBatchSize,
    ...(env.TRACKING_WORKER_NAME ? { consumer: env.TRACKING_WORKER_NAME } : {}),
    onError: (err, what) => log.error({ err }, what),
    onOrphan: (id, message) => log.warn({ id, message }, 'phase-2 message dropped as an orphan: its hit was never committed (its request got no 200)'),
  });
  const probes = probePort === undefined ? undefined : await startProbePort({ port: probePort, host: env.HOST || '0.0.0.0', notFoundCode: 'TRK_ERR_NOT_FOUND' });
  process.stdout.write(`worker reading ${config.hitStream}${probes ? `, probes listening on ${probes.url}` : ''}\n`);
  exitOnStopSignal('worker', async () => {
    probes?.drain();
    process.stdout.write('worker draining: finishing the batch in hand\n');
    await worker.close();
    await Promise.all([db.close(), probes?.close()]);
  });
}
