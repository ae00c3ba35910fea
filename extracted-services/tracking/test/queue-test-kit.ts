/**
 * Test kit of the queued modes (worker.test.ts, fast-mode.test.ts): before each test a
 * fresh Redis stream, a queue on it and a tracking service using it; after each test every
 * worker closed and the streams deleted. Workers are started with small batches and waited
 * for through their `onBatch` events.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { TEST_NOW } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { testRedisUrl } from '../../../test-support/services.ts';
import { clearTrackingContract } from '../../contract/tracking/fixtures.ts';
import type { TrackingConfig } from '../src/config.ts';
import { redisHitQueue } from '../src/queue/hit-queue.ts';
import type { HitQueue } from '../src/queue/hit-queue.ts';
import { startHitWorker } from '../src/queue/worker.ts';
import type { HitWorkerOptions, RunningHitWorker } from '../src/queue/worker.ts';
import { startTracking } from '../src/server.ts';
import type { RunningTracking } from '../src/server.ts';

/** What a test of the queued modes works with (valid inside a test). */
export interface QueuedTracking {
  stream: string;
  queue: HitQueue;
  tracking: RunningTracking;
  redis: Redis;
  /** Starts a worker on the test's stream (consumer `w1`, batches of 3), closed after the test. */
  worker(extra?: Partial<HitWorkerOptions>): Promise<RunningHitWorker>;
  /** Resolves once `w` has acknowledged or dead-lettered `n` messages. */
  handled(w: RunningHitWorker, n: number): Promise<void>;
  /** Starts a worker that is killed right after its first commit, before acknowledging; resolves then. */
  killedAfterFirstCommit(): Promise<void>;
}

/** Registers the hooks; call inside a describe block. */
export function useQueuedTracking(getDb: () => Db, config: TrackingConfig): QueuedTracking {
  const workers: RunningHitWorker[] = [];
  const listeners = new Map<RunningHitWorker, () => void>();
  const kit = {} as QueuedTracking;
  kit.worker = async (extra = {}) => {
    const w: RunningHitWorker = await startHitWorker({
      db: getDb(), config, redisUrl: testRedisUrl!, stream: kit.stream, deadStream: `${kit.stream}:dead`, consumer: 'w1', batchSize: 3, blockMs: 50,
      onBatch: () => listeners.get(w)?.(), ...extra,
    });
    workers.push(w);
    return w;
  };
  kit.handled = (w, n) => new Promise((done) => {
    const check = (): void => {
      if (w.stats.applied + w.stats.dead >= n) done();
    };
    listeners.set(w, check);
    check();
  });
  kit.killedAfterFirstCommit = () => new Promise((done) => {
    const w = kit.worker({
      afterCommit: async () => {
        (await w).kill();
        done();
      },
    });
  });
  beforeEach(async () => {
    await clearTrackingContract(getDb());
    kit.stream = `strangler:test:${randomBytes(6).toString('hex')}`;
    kit.queue = redisHitQueue(testRedisUrl!, { stream: kit.stream });
    expect(await kit.queue.ready()).toBe(true);
    kit.tracking = await startTracking({ db: getDb(), config, queue: kit.queue, now: () => TEST_NOW }, { port: 0 });
    kit.redis = new Redis(testRedisUrl!);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
    await kit.tracking.close();
    await kit.queue.close();
    await kit.redis.del(kit.stream, `${kit.stream}:dead`);
    kit.redis.disconnect();
  });
  return kit;
}
