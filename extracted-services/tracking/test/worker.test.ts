/**
 * Phase 2 through the queue (docs/mautic/public-http.md §2.8, issue #12): the service
 * writes phase 1 and queues the rest; the worker completes hits in batches. A worker
 * killed after committing a batch but before acknowledging it is restarted: no hit is
 * missing, none duplicated, the counters exact. Redis down: phase 2 runs inline. A
 * message that is not a hit goes to the dead-letter stream with its error. (SQLite and
 * MariaDB; the rows on the real Mautic schema are the contract suite's, and fast-mode.test.ts
 * runs the worker there.)
 */
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { TEST_NOW, count, rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { forEachDialect } from '../../../test-support/databases.ts';
import { describeWithRedis } from '../../../test-support/services.ts';
import { REDIRECT_ID, browser, givenSentEmail } from '../../contract/tracking/fixtures.ts';
import { sendRaw } from '../../contract/send-raw.ts';
import { trackingConfig } from '../src/config.ts';
import { redisHitQueue } from '../src/queue/hit-queue.ts';
import { startTracking } from '../src/server.ts';
import { useQueuedTracking } from './queue-test-kit.ts';

const config = trackingConfig();
const PAGES = 12;
const CLICKS = 5;

describeWithRedis('tracking phase 2 through the queue', () => {
  forEachDialect('worker', (getDb) => {
    const kit = useQueuedTracking(getDb, config);

    /** PAGES pixel hits of new visitors and CLICKS clicks of one device. */
    async function traffic(db: Db): Promise<void> {
      const fx = await givenSentEmail(db, 'https://shop.test/');
      for (let i = 0; i < PAGES; i += 1) await sendRaw(kit.tracking.url, { path: `/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2F${i}`, headers: browser() });
      let cookie = '';
      for (let i = 0; i < CLICKS; i += 1) {
        const res = await sendRaw(kit.tracking.url, { path: `/r/${REDIRECT_ID}?ct=${fx.ct}`, headers: browser(cookie ? { cookie } : {}) });
        expect(res.status).toBe(302);
        cookie = res.cookies.map((c) => c.split(';')[0]).join('; ');
      }
    }

    async function expectExactRows(db: Db): Promise<void> {
      const hits = await rows(db, 'page_hits');
      expect(hits).toHaveLength(PAGES + CLICKS);
      expect(hits.filter((h) => h.lead_id === null)).toEqual([]);
      expect((await rows(db, 'page_redirects'))[0]).toMatchObject({ hits: CLICKS, unique_hits: 1 });
      expect((await rows(db, 'channel_url_trackables', 'redirect_id'))[0]).toMatchObject({ hits: CLICKS, unique_hits: 1 });
      expect((await rows(db, 'emails'))[0]).toMatchObject({ read_count: 1 });
      expect(await count(db, 'lead_event_log')).toBe(PAGES);
    }

    it('writes phase 1 in the request and leaves the rest to the worker', async () => {
      await traffic(getDb());
      expect((await rows(getDb(), 'page_hits')).map((h) => h.lead_id)).toEqual(new Array(PAGES + CLICKS).fill(null));
      expect(await kit.redis.xlen(kit.stream)).toBe(PAGES + CLICKS);
      const w = await kit.worker();
      await kit.handled(w, PAGES + CLICKS);
      await expectExactRows(getDb());
      expect(w.stats.batches).toBeGreaterThan(1);
    });

    it('loses and duplicates nothing when the worker is killed after a commit and restarted', async () => {
      await traffic(getDb());
      await kit.killedAfterFirstCommit();
      const pending = (await kit.redis.xpending(kit.stream, 'tracking-workers')) as [number, ...unknown[]];
      expect(pending[0]).toBeGreaterThan(0);
      const restarted = await kit.worker();
      await kit.handled(restarted, PAGES + CLICKS);
      await expectExactRows(getDb());
      expect((await kit.redis.xpending(kit.stream, 'tracking-workers'))[0]).toBe(0);
    });

    it('dead-letters a message that is not a hit, with its error, and goes on', async () => {
      await kit.redis.xadd(kit.stream, '*', 'hit', '{"hitId":"x"}');
      const w = await kit.worker();
      await kit.handled(w, 1);
      const dead = (await kit.redis.xrange(`${kit.stream}:dead`, '-', '+')) as [string, string[]][];
      expect(dead).toHaveLength(1);
      expect(dead[0]![1]).toEqual(['id', expect.any(String), 'hit', '{"hitId":"x"}', 'error', 'HIT_MESSAGE_INVALID: Not a hit message: hitId is not an integer']);
    });

    it('runs phase 2 inline when Redis does not answer', async () => {
      const down = redisHitQueue('redis://127.0.0.1:1', { stream: kit.stream });
      const alone = await startTracking({ db: getDb(), config, queue: down, now: () => TEST_NOW }, { port: 0 });
      try {
        const res = await sendRaw(alone.url, { path: '/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2Fdown', headers: browser() });
        expect(res.status).toBe(200);
        expect((await rows(getDb(), 'page_hits'))[0]).toMatchObject({ url: 'https://shop.test/down', lead_id: expect.any(Number) });
        const metrics = await (await fetch(`${alone.url}/metrics`)).text();
        expect(metrics).toContain('tracking_hit_phase2_total{outcome="inline"} 1');
      } finally {
        await alone.close();
        await down.close();
      }
    });
  });
});
