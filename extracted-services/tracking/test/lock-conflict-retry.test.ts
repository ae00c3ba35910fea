/**
 * Deadlocks (README § Lock conflicts; bench/README.md, tracking-restart): MariaDB undoes one
 * transaction of a lock cycle, and the tracking service runs it again instead of answering
 * 500. Each test forces one deadlock on MariaDB with a second connection (the "locker") that
 * takes its locks in the opposite order and has written more (ballast rows), so InnoDB
 * chooses the tracking side as the victim:
 * - a request's phase 1: the pixel still gets 200, with exactly one complete row and one contact;
 * - the worker's batch: every hit completed once, nothing dead-lettered;
 * - a dry run (`X-Strangler-Mode: shadow`) does not retry: it gives up at once, 503 with
 *   `X-Strangler-Dry-Run-Gave-Up: deadlock`, and writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { Redis } from 'ioredis';
import { TEST_NOW, count, rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { createTestDb } from '../../../test-support/databases.ts';
import type { TestDb } from '../../../test-support/databases.ts';
import { lockWaitsOn } from '../../../test-support/lock-waits.ts';
import { describeWithMysql, describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { browser } from '../../contract/tracking/fixtures.ts';
import { sendRaw } from '../../contract/send-raw.ts';
import { trackingConfig } from '../src/config.ts';
import type { TrackingConfig } from '../src/config.ts';
import { redisHitQueue } from '../src/queue/hit-queue.ts';
import type { HitQueue } from '../src/queue/hit-queue.ts';
import { startHitWorker } from '../src/queue/worker.ts';
import type { RunningHitWorker } from '../src/queue/worker.ts';
import { startTracking } from '../src/server.ts';
import type { RunningTracking } from '../src/server.ts';

const pixel = (page: string): string => `/mtracking.gif?page_url=${encodeURIComponent(`https://shop.test/${page}`)}`;
/** Rows the locker writes first: the heavier transaction is not the one InnoDB rolls back. */
const BALLAST = 500;

describeWithRedis('tracking after a deadlock', () => {
  describeWithMysql('on MariaDB', () => {
    let testDb: TestDb;
    let database: string;
    let stream: string;
    let queue: HitQueue;
    let redis: Redis;
    let locker: Connection;
    const services: RunningTracking[] = [];
    const workers: RunningHitWorker[] = [];

    async function service(config: TrackingConfig): Promise<RunningTracking> {
      const tracking = await startTracking({ db: testDb.db, config, queue, now: () => TEST_NOW }, { port: 0 });
      services.push(tracking);
      return tracking;
    }

    /** Resolves once a transaction waits for a lock of `table`. */
    async function someoneWaitsOn(table: string): Promise<void> {
      while ((await lockWaitsOn(async (sql) => (await locker.query(sql))[0] as Record<string, unknown>[], database, table)) === 0) await new Promise((r) => setTimeout(r, 10));
    }

    /** The locker's transaction: ballast written, then `first` locked (a gap lock at the end of an empty table). */
    async function lockerHolds(first: string): Promise<void> {
      await locker.query('CREATE TABLE ballast (id INT PRIMARY KEY)');
      await locker.query('START TRANSACTION');
      await locker.query(`INSERT INTO ballast VALUES ${Array.from({ length: BALLAST }, (_, i) => `(${i})`).join(',')}`);
      await locker.query(first);
    }

    const metric = async (url: string, name: string): Promise<string | undefined> => new RegExp(`^${name} (\\d+)$`, 'm').exec(await (await fetch(`${url}/metrics`)).text())?.[1];

    beforeEach(async () => {
      testDb = await createTestDb('mysql');
      const url = new URL(testDb.url);
      database = url.pathname.slice(1);
      locker = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username || 'root'), password: decodeURIComponent(url.password), database });
      stream = `strangler:test:${randomBytes(6).toString('hex')}`;
      queue = redisHitQueue(testRedisUrl!, { stream });
      expect(await queue.ready()).toBe(true);
      redis = new Redis(testRedisUrl!);
    }, 90_000); // creating the database's tables takes a while on a loaded machine

    afterEach(async () => {
      for (const w of workers.splice(0)) await w.close();
      for (const s of services.splice(0)) await s.close();
      await locker.end();
      await queue.close();
      await redis.del(stream, `${stream}:dead`);
      redis.disconnect();
      await testDb.drop();
    });

    /** A worker on the test's stream, resolved with once it acknowledged `n` messages. */
    async function drained(n: number, onError?: (err: unknown, what: string) => void): Promise<RunningHitWorker> {
      let check = (): void => {};
      const w = await startHitWorker({
        db: testDb.db, config: trackingConfig(), redisUrl: testRedisUrl!, stream, deadStream: `${stream}:dead`, consumer: 'w1', blockMs: 50,
        onBatch: () => check(), ...(onError ? { onError } : {}),
      });
      workers.push(w);
      await new Promise<void>((ok) => {
        check = () => {
          if (w.stats.applied + w.stats.dead + w.stats.orphans >= n) ok();
        };
        check();
      });
      return w;
    }

    it("runs a request's transaction again after a deadlock: 200, one complete row, one contact", async () => {
      const tracking = await service(trackingConfig());
      await lockerHolds('SELECT id FROM page_hits FOR UPDATE');
      // The request inserts its contact, then waits to insert its hit.
      const answer = sendRaw(tracking.url, { path: pixel('deadlock'), headers: browser() });
      await someoneWaitsOn('page_hits');
      // The opposite order: the locker now wants the request's new contact. InnoDB undoes the request.
      await locker.query('SELECT id FROM leads FOR UPDATE');
      await locker.query('ROLLBACK');
      expect((await answer).status).toBe(200);
      expect(await metric(tracking.url, 'tracking_lock_conflict_retries_total')).toBe('1');

      await drained(1);
      const hits = await rows(testDb.db, 'page_hits');
      expect(hits).toHaveLength(1);
      expect(hits[0]).toMatchObject({ url: 'https://shop.test/deadlock', lead_id: expect.any(Number) });
      expect(await count(testDb.db, 'leads')).toBe(1);
      expect(await count(testDb.db, 'lead_event_log')).toBe(1);
    }, 60_000);

    it("runs the worker's batch again after a deadlock: every hit completed once, nothing dead-lettered", async () => {
      const tracking = await service(trackingConfig());
      for (let i = 0; i < 3; i += 1) expect((await sendRaw(tracking.url, { path: pixel(`batch-${i}`), headers: browser() })).status).toBe(200);
      const [first] = await rows(testDb.db, 'page_hits');
      await lockerHolds('SELECT id FROM lead_event_log FOR UPDATE');
      const errors: string[] = [];
      // The batch locks and completes its hits, then waits to insert their timeline entries.
      const worker = drained(3, (_, what) => errors.push(what));
      await someoneWaitsOn('lead_event_log');
      await locker.query('SELECT id FROM page_hits WHERE id = ? FOR UPDATE', [first!.id]);
      await locker.query('ROLLBACK');
      const w = await worker;
      expect(errors).toContain('batch undone by a lock conflict; running it again');
      expect([w.stats.applied, w.stats.dead, w.stats.orphans]).toEqual([3, 0, 0]);
      expect((await rows(testDb.db, 'page_hits')).filter((h) => h.lead_id === null)).toEqual([]);
      const events = await rows(testDb.db, 'lead_event_log');
      expect(events).toHaveLength(3);
      expect(new Set(events.map((e) => e.lead_id)).size).toBe(3);
      expect(await redis.xlen(`${stream}:dead`)).toBe(0);
    }, 60_000);

    it('lets a dry run give up on a deadlock at once, without a retry', async () => {
      // A lock wait long enough for the locker to close the cycle, not a retry.
      const tracking = await service(trackingConfig({ dryRunLockTimeoutMs: 5_000 }));
      await lockerHolds('SELECT id FROM page_hits FOR UPDATE');
      const answer = sendRaw(tracking.url, { path: pixel('shadow'), headers: browser({ 'x-strangler-mode': 'shadow' }) });
      await someoneWaitsOn('page_hits');
      await locker.query('SELECT id FROM leads FOR UPDATE');
      const res = await answer;
      await locker.query('ROLLBACK');
      expect([res.status, res.headers['x-strangler-dry-run'], res.headers['x-tracking-error'], res.headers['x-strangler-dry-run-gave-up']]).toEqual([503, '1', 'TRK_ERR_DRY_RUN_GAVE_UP', 'deadlock']);
      expect(await metric(tracking.url, 'tracking_lock_conflict_retries_total')).toBe('0');
      expect([await count(testDb.db, 'page_hits'), await count(testDb.db, 'leads'), await redis.xlen(stream)]).toEqual([0, 0, 0]);
    }, 60_000);
  });
});

