/**
 * Fast mode (issue #12, README § Fast mode): the pixel is answered without the database
 * and the whole page view is queued; the worker records it exactly once, even when killed
 * between its commit and its acknowledgement; a database outage never fails the pixel.
 */
import { openDb } from '../../../legacy-adapter/src/db/open.ts';
import { TEST_NOW, count, rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { forEachDialect } from '../../../test-support/databases.ts';
import { describeWithRedis } from '../../../test-support/services.ts';
import { GIF, browser } from '../../contract/tracking/fixtures.ts';
import { sendRaw } from '../../contract/send-raw.ts';
import { trackingConfig } from '../src/config.ts';
import { startTracking } from '../src/server.ts';
import { useQueuedTracking } from './queue-test-kit.ts';

const config = trackingConfig({ fastMode: true });
const pixel = (n: number, cookie?: string) => ({ path: `/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2F${n}`, headers: browser(cookie ? { cookie } : {}) });

describeWithRedis('tracking fast mode', () => {
  forEachDialect('fast mode', (getDb) => {
    const kit = useQueuedTracking(getDb, config);
    const drain = async (n: number): Promise<void> => kit.handled(await kit.worker(), n);

    it('answers a new browser at once with its device cookie only; the worker records the view with that device', async () => {
      const res = await sendRaw(kit.tracking.url, pixel(1));
      expect(res.status).toBe(200);
      expect(res.body.equals(GIF)).toBe(true);
      expect(res.cookies).toEqual([expect.stringMatching(/^mautic_device_id=[0-9a-z]{23}; expires=Fri, 24-Oct-2025 10:00:00 GMT; Max-Age=31536000; path=\/; secure; samesite=none$/)]);
      expect([await count(getDb(), 'leads'), await count(getDb(), 'page_hits'), await kit.redis.xlen(kit.stream)]).toEqual([0, 0, 1]);
      const deviceId = /mautic_device_id=([0-9a-z]+)/.exec(res.cookies[0]!)![1]!;
      const again = await sendRaw(kit.tracking.url, pixel(2, `mautic_device_id=${deviceId}`));
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
      const down = await startTracking({ db: broken, config, queue: kit.queue, now: () => TEST_NOW }, { port: 0 });
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
      for (let i = 0; i < 7; i += 1) await sendRaw(kit.tracking.url, pixel(i));
      await kit.killedAfterFirstCommit();
      await drain(7);
      expect(await count(getDb(), 'page_hits')).toBe(7);
      expect(await count(getDb(), 'leads')).toBe(7);
      expect(await count(getDb(), 'lead_event_log')).toBe(7);
    });

    it('answers a dry run the same and queues nothing', async () => {
      const res = await sendRaw(kit.tracking.url, { ...pixel(4), headers: { ...pixel(4).headers, 'x-strangler-mode': 'shadow' } });
      expect([res.status, res.headers['x-strangler-dry-run'], res.cookies.length]).toEqual([200, '1', 1]);
      expect(await kit.redis.xlen(kit.stream)).toBe(0);
    });
  }, { realMautic: true });
});
