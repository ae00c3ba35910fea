/**
 * Issue #12: "the worker is killed mid-batch and restarted: no hit is missing, none is
 * duplicated, and the counters are exact" — with a real worker process
 * (`node scripts/serve.ts worker`, as its container runs it) killed with SIGKILL while a
 * batch's transaction is open, on MariaDB. The test holds the lock of the redirect's row,
 * so the worker is caught inside the batch of clicks, the last one (the page-hit batches
 * committed and acknowledged; the clicks read from the stream, the first one's hit
 * completed and its counter waiting for the lock); the kill leaves that batch
 * unacknowledged in the stream and MariaDB rolls its transaction back.
 * The restarted worker (same consumer name) takes its own pending messages back first.
 * (worker.test.ts covers the other window, a kill between commit and acknowledgement.)
 * The wait is seen in `SHOW ENGINE INNODB STATUS` (test-support/lock-waits.ts): polled
 * every 25 ms, information_schema.INNODB_TRX kept the snapshot of its first read, taken
 * before the worker reached the lock on a busy machine, and the test waited in vain.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { Redis } from 'ioredis';
import { count, rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { createTestDb } from '../../../test-support/databases.ts';
import type { TestDb } from '../../../test-support/databases.ts';
import { lockWaitsOn } from '../../../test-support/lock-waits.ts';
import { describeWithMysql, describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { REDIRECT_ID, browser, givenSentEmail } from '../../contract/tracking/fixtures.ts';
import { sendRaw } from '../../contract/send-raw.ts';
import { trackingConfig } from '../src/config.ts';
import { redisHitQueue } from '../src/queue/hit-queue.ts';
import type { HitQueue } from '../src/queue/hit-queue.ts';
import { startTracking } from '../src/server.ts';
import type { RunningTracking } from '../src/server.ts';

const ROOT = resolve(__dirname, '../../..');
const BATCH = 10;
/** Three full batches of page hits, then one batch of clicks. */
const PAGES = 3 * BATCH;
const CLICKS = 5;
const GROUP = 'tracking-workers';

/** What the workers wrote (their pino lines go to stdout), for a failure's message. */
let workerOutput = '';

/** Polls `read` until `done` accepts its value: the worker runs in another process and tells this one nothing. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}; the workers wrote:\n${workerOutput.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describeWithRedis('tracking worker process killed mid-batch', () => {
  describeWithMysql('on MariaDB', () => {
    let testDb: TestDb;
    let stream: string;
    let queue: HitQueue;
    let tracking: RunningTracking;
    let redis: Redis;
    let locker: Connection | undefined;
    const children: ChildProcess[] = [];

    function startWorker(): Promise<ChildProcess> {
      const child = spawn(process.execPath, ['scripts/serve.ts', 'worker'], {
        cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, DATABASE_URL: testDb.url, REDIS_URL: testRedisUrl!, TRACKING_HIT_STREAM: stream, TRACKING_WORKER_BATCH_SIZE: String(BATCH), TRACKING_WORKER_NAME: 'w1', WORKER_QUEUES: 'tracking', LOG_LEVEL: 'warn' },
      });
      children.push(child);
      return new Promise((done, fail) => {
        let out = '';
        // Read to the end, not only to "worker reading": a full pipe would block the worker's next log line.
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          workerOutput += c.toString();
          if (out.includes('worker reading')) done(child);
        });
        child.once('exit', (code) => fail(new Error(`worker exited ${code} before reading`)));
      });
    }

    const completeHits = async (): Promise<number> => (await rows(testDb.db, 'page_hits')).filter((h) => h.lead_id !== null).length;
    const pendingCount = async (): Promise<number> => ((await redis.xpending(stream, GROUP)) as [number])[0];

    beforeEach(async () => {
      workerOutput = '';
      testDb = await createTestDb('mysql');
      stream = `strangler:test:${randomBytes(6).toString('hex')}`;
      queue = redisHitQueue(testRedisUrl!, { stream });
      expect(await queue.ready()).toBe(true);
      tracking = await startTracking({ db: testDb.db, config: trackingConfig(), queue }, { port: 0 });
      redis = new Redis(testRedisUrl!);
    });

    afterEach(async () => {
      for (const child of children.splice(0)) {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await once(child, 'exit');
        }
      }
      await locker?.end();
      locker = undefined;
      await tracking.close();
      await queue.close();
      await redis.del(stream, `${stream}:dead`);
      redis.disconnect();
      await testDb.drop();
    });

    it('loses and duplicates nothing, and counts every click once, after SIGKILL inside a batch and a restart', async () => {
      const db = testDb.db;
      const fx = await givenSentEmail(db, 'https://shop.test/');
      for (let i = 0; i < PAGES; i += 1) {
        const res = await sendRaw(tracking.url, { path: `/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2F${i}`, headers: browser() });
        expect(res.status).toBe(200);
      }
      let cookie = '';
      for (let i = 0; i < CLICKS; i += 1) {
        const res = await sendRaw(tracking.url, { path: `/r/${REDIRECT_ID}?ct=${fx.ct}`, headers: browser(cookie ? { cookie } : {}) });
        expect(res.status).toBe(302);
        cookie = res.cookies.map((c) => c.split(';')[0]).join('; ');
      }
      expect(await redis.xlen(stream)).toBe(PAGES + CLICKS);
      expect(await completeHits()).toBe(0);

      // Hold the redirect's row, as a slow transaction of someone else would.
      const url = new URL(testDb.url);
      locker = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username || 'root'), password: decodeURIComponent(url.password), database: url.pathname.slice(1) });
      await locker.query('START TRANSACTION');
      await locker.query('SELECT id FROM page_redirects WHERE id = ? FOR UPDATE', [fx.redirectPk]);

      const worker = await startWorker();
      // The page-hit batches are committed and acknowledged; the clicks' batch waits for the lock, in its transaction.
      await until(completeHits, (n) => n === PAGES, 'the page-hit batches');
      const held = locker;
      await until(
        () => lockWaitsOn(async (sql) => (await held.query(sql))[0] as Record<string, unknown>[], url.pathname.slice(1), 'page_redirects'),
        (n) => n > 0, 'the worker to wait for the held lock',
      );
      worker.kill('SIGKILL');
      await once(worker, 'exit');
      await locker.query('ROLLBACK');

      expect(await completeHits()).toBe(PAGES);
      expect(await pendingCount()).toBe(CLICKS);
      expect((await rows(db, 'page_redirects'))[0]).toMatchObject({ hits: 0, unique_hits: 0 });

      await startWorker();
      await until(async () => [await completeHits(), await pendingCount()], ([n, p]) => n === PAGES + CLICKS && p === 0, 'every hit completed and acknowledged');

      const all = await rows(db, 'page_hits');
      expect(all).toHaveLength(PAGES + CLICKS);
      expect(all.filter((h) => h.lead_id === null)).toEqual([]);
      // One created_contact entry per new visitor: none missing, none twice.
      const events = await rows(db, 'lead_event_log');
      expect(events).toHaveLength(PAGES);
      expect(new Set(events.map((e) => e.lead_id)).size).toBe(PAGES);
      expect((await rows(db, 'page_redirects'))[0]).toMatchObject({ hits: CLICKS, unique_hits: 1 });
      expect((await rows(db, 'channel_url_trackables', 'redirect_id'))[0]).toMatchObject({ hits: CLICKS, unique_hits: 1 });
      expect((await rows(db, 'emails'))[0]).toMatchObject({ read_count: 1 });
      expect(await count(db, 'email_stats')).toBe(1);
      expect(await redis.xlen(`${stream}:dead`)).toBe(0);
    }, 120_000);
  });
});
