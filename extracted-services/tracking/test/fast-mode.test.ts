/**
 * Fast mode (issue #12, README § Fast mode): the pixel is answered without the database
 * and the whole page view is queued; the worker records it exactly once, even when killed
 * between its commit and its acknowledgement; a database outage never fails the pixel.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { openDb } from '../../../legacy-adapter/src/db/open.ts';
import { TEST_NOW, count, rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { forEachDialect } from '../../../test-support/databases.ts';
import { describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { GIF, browser, clearTrackingContract } from '../../contract/tracking/fixtures.ts';
import { sendRaw } from '../../contract/send-raw.ts';
import { trackingConfig } from '../src/config.ts';
import { redisHitQueue } from '../src/queue/hit-queue.ts';
import type { HitQueue } from '../src/queue/hit-queue.ts';
import { startHitWorker } from '../src/queue/worker.ts';
import type { HitWorkerOptions, RunningHitWorker } from '../src/queue/worker.ts';
import { startTracking } from '../src/server.ts';
import type { RunningTracking } from '../src/server.ts';

const config = trackingConfig({ fastMode: true });
const pixel = (n: number, cookie?: string) => ({ path: `/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2F${n}`, headers: browser(cookie ? { cookie } : {}) });

describeWithRedis('tracking fast mode', () => {
  forEachDialect('fast mode', (getDb) => {
    let stream: string;
    let queue: HitQueue;
    let tracking: RunningTracking;
    let redis: Redis;
    const workers: RunningHitWorker[] = [];

    beforeEach(async () => {
      await clearTrackingContract(getDb());
      stream = `strangler:test:${randomBytes(6).toString('hex')}`;
      queue = redisHitQueue(testRedisUrl!, { stream });
      expect(await queue.ready()).toBe(true);
      tracking = await startTracking({ db: getDb(), config, queue, now: () => TEST_NOW }, { port: 0 });
      redis = new Redis(testRedisUrl!);
    });
    afterEach(async () => {
      for (const w of workers.splice(0)) await w.close();
      await tracking.close();
      await queue.close();
      await redis.del(stream, `${stream}:dead`);
      redis.disconnect();
    });

    /** Starts a worker and resolves once it has acknowledged `n` messages. */
    async function drain(n: number, extra: Partial<HitWorkerOptions> = {}): Promise<RunningHitWorker> {
      let done: () => void = () => {};
      const finished = new Promise<void>((resolve) => (done = resolve));
      const w = await startHitWorker({
        db: getDb(), config, redisUrl: testRedisUrl!, stream, deadStream: `${stream}:dead`, consumer: 'w1', batchSize: 3, blockMs: 50,
        onBatch: (stats) => void (stats.applied >= n && done()), ...extra,
      });
      workers.push(w);
      if (n > 0) await finished;
      return w;
    }

    it('answers a new browser at once with its device cookie only; the worker records the view with that device', async () => {
      const res = await sendRaw(tracking.url, pixel(1));
      expect(res.status).toBe(200);
      expect(res.body.equals(GIF)).toBe(true);
      expect(res.cookies).toEqual([expect.stringMatching(/^mautic_device_id=[0-9a-z]{23}; expires=Fri, 24-Oct-2025 10:00:00 GMT; Max-Age=31536000; path=\/; secure; samesite=none$/)]);
      expect([await count(getDb(), 'leads'), await count(getDb(), 'page_hits'), await redis.xlen(stream)]).toEqual([0, 0, 1]);
      const deviceId = /mautic_device_id=([0-9a-z]+)/.exec(res.cookies[0]!)![1]!;
      const again = await sendRaw(tracking.url, pixel(2, `mautic_device_id=${deviceId}`));
      expect(again.cookies).toEqual([]);
      await drain(2);
      expect(await rows(getDb(), 'lead_devices')).toEqual([expect.objectContaining({ tracking_id: deviceId })]);
      expect(await count(getDb(), 'leads')).toBe(1);
      expect((await rows(getDb(), 'page_hits')).map((h) => [h.url, h.tracking_id, h.lead_id !== null])).toEqual([
        ['https://shop.test/1', deviceId, true], ['https://shop.test/2', deviceId, true],
      ]);
    });

    it('answers the pixel while the database is down; the view waits in the queue', async () => {
      const broken = await openDb('sqlite::memory:');
      await broken.close();
      const down = await startTracking({ db: broken, config, queue, now: () => TEST_NOW }, { port: 0 });
      try {
        const res = await sendRaw(down.url, pixel(3));
        expect([res.status, res.body.equals(GIF)]).toEqual([200, true]);
        expect((await sendRaw(down.url, { path: '/readyz' })).status).toBe(503);
      } finally {
        await down.close();
      }
      await drain(1);
      expect((await rows(getDb(), 'page_hits')).map((h) => h.url)).toEqual(['https://shop.test/3']);
    });

    it('records each view once when the worker is killed between commit and acknowledgement', async () => {
      for (let i = 0; i < 7; i += 1) await sendRaw(tracking.url, pixel(i));
      await new Promise<void>((done) => {
        const first = startHitWorker({
          db: getDb(), config, redisUrl: testRedisUrl!, stream, consumer: 'w1', batchSize: 3, blockMs: 50,
          afterCommit: async () => {
            (await first).kill();
            done();
          },
        });
      });
      await drain(7);
      expect(await count(getDb(), 'page_hits')).toBe(7);
      expect(await count(getDb(), 'leads')).toBe(7);
      expect(await count(getDb(), 'lead_event_log')).toBe(7);
    });

    it('answers a dry run the same and queues nothing', async () => {
      const res = await sendRaw(tracking.url, { ...pixel(4), headers: { ...pixel(4).headers, 'x-strangler-mode': 'shadow' } });
      expect([res.status, res.headers['x-strangler-dry-run'], res.cookies.length]).toEqual([200, '1', 1]);
      expect(await redis.xlen(stream)).toBe(0);
    });
  }, { realMautic: true });
});
