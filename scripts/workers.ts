/**
 * `npm run serve -- worker`: the queue workers of the extracted services in one process, as a
 * container runs them. `WORKER_QUEUES` chooses which: `tracking` (phase 2 of the tracking hits,
 * extracted-services/tracking/README.md) and `mail` (the sending service's mail queue,
 * extracted-services/sending/README.md); both by default. `sending-worker` is `worker` with
 * `mail` only. Each reads its own settings (see its worker-main.ts). `PORT` set: one probe port
 * answers `/healthz` and `/readyz` for the process (service-kit/probe-port.ts). SIGTERM drains
 * every worker (each finishes what it has in hand), then exits 0.
 */
import { probePortFromEnv, startProbePort } from '../extracted-services/service-kit/probe-port.ts';
import { exitOnStopSignal } from '../extracted-services/service-kit/run-service.ts';
import type { RunningWorker } from '../extracted-services/service-kit/running-worker.ts';

/** The queues a worker process can take. */
export const WORKER_QUEUES = ['tracking', 'mail'] as const;

/** One of them. */
export type WorkerQueue = (typeof WORKER_QUEUES)[number];

/**
 * The queues `WORKER_QUEUES` names (comma-separated; unset or empty: all of them).
 *
 * @example workerQueuesFromEnv({ WORKER_QUEUES: 'mail' }) // ['mail']
 */
export function workerQueuesFromEnv(env: NodeJS.ProcessEnv): readonly WorkerQueue[] {
  const raw = env.WORKER_QUEUES?.trim();
  if (raw === undefined || raw === '') return WORKER_QUEUES;
  const names = raw.split(',').map((n) => n.trim());
  const unknown = names.filter((n) => !(WORKER_QUEUES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`WORKER_QUEUES: ${unknown.map((n) => JSON.stringify(n)).join(', ')} is not a queue; use a comma-separated list of ${WORKER_QUEUES.join(', ')}`);
  return WORKER_QUEUES.filter((q) => names.includes(q));
}

async function start(queue: WorkerQueue, env: NodeJS.ProcessEnv): Promise<RunningWorker> {
  if (queue === 'tracking') return (await import('../extracted-services/tracking/src/worker-main.ts')).startTrackingWorker(env);
  return (await import('../extracted-services/sending/src/worker-main.ts')).startMailQueueWorker(env);
}

/** Runs the chosen workers until SIGTERM/SIGINT. */
export async function runWorkers(env: NodeJS.ProcessEnv): Promise<void> {
  const queues = workerQueuesFromEnv(env);
  const probePort = probePortFromEnv(env);
  const workers: RunningWorker[] = [];
  try {
    for (const queue of queues) workers.push(await start(queue, env));
  } catch (err) {
    await Promise.allSettled(workers.map((w) => w.close()));
    throw err;
  }
  // Ready while every worker's components answer; the first that does not is the 503's reason.
  const check = async () => {
    for (const w of workers) {
      const notReady = await w.check();
      if (notReady !== null) return notReady;
    }
    return null;
  };
  const probes = probePort === undefined ? undefined : await startProbePort({ port: probePort, host: env.HOST || '0.0.0.0', notFoundCode: workers[0]!.notFoundCode, check });
  const lines = workers.map((w) => w.reading);
  if (probes) lines[lines.length - 1] += `, probes listening on ${probes.url}`;
  process.stdout.write(`${lines.join('\n')}\n`);
  exitOnStopSignal('worker', async () => {
    probes?.drain();
    for (const w of workers) process.stdout.write(`${w.draining}\n`);
    await Promise.all(workers.map((w) => w.close()));
    await probes?.close();
  });
}
