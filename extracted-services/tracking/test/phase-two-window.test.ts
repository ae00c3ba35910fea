/**
 * The window between a request's phase 1 and its phase-2 message (README § Phase 2 and the
 * worker; bench/README.md, tracking-restart): the service queues the message inside its
 * transaction, before the COMMIT, so a kill between the two can leave a message without a
 * row, never a committed row without a message. On MariaDB and Redis:
 * - a real service process (`node scripts/serve.ts tracking`) held by
 *   `TRACKING_TEST_HOLD_BEFORE_COMMIT` after its XADD is SIGKILLed there: its row never
 *   appears, and the worker drops the message as an orphan (counted, told, not
 *   dead-lettered) while it completes the hit committed before it;
 * - a message read while its request's COMMIT is still to come waits for it (the worker's
 *   locking read waits for the row's lock) and completes the row;
 * - a message whose row is committed only after the worker first looked is completed on a
 *   later look.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { count, rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { TEST_NOW } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { createTestDb } from '../../../test-support/databases.ts';
import type { TestDb } from '../../../test-support/databases.ts';
import { lockWaitsOn } from '../../../test-support/lock-waits.ts';
import { describeWithMysql, describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { browser } from '../../contract/tracking/fixtures.ts';
import { sendRaw } from '../../contract/send-raw.ts';
import { trackingConfig } from '../src/config.ts';
import { redisHitQueue } from '../src/queue/hit-queue.ts';
import type { HitQueue } from '../src/queue/hit-queue.ts';
import { startHitWorker } from '../src/queue/worker.ts';
import type { HitWorkerOptions, RunningHitWorker } from '../src/queue/worker.ts';
import { startTracking } from '../src/server.ts';
import type { RunningTracking } from '../src/server.ts';

const ROOT = resolve(__dirname, '../../..');
const GROUP = 'tracking-workers';
const config = trackingConfig();
const pixel = (page: string): string => `/mtracking.gif?page_url=${encodeURIComponent(`https://shop.test/${page}`)}`;

describeWithRedis('tracking phase 2 between phase 1 and its COMMIT', () => {
  describeWithMysql('on MariaDB', () => {
    let testDb: TestDb;
    let stream: string;
    let redis: Redis;
    let output = '';
    const children: ChildProcess[] = [];
    const workers: RunningHitWorker[] = [];
    const services: RunningTracking[] = [];
    const queues: HitQueue[] = [];

    /** A worker on the test's stream; `done(n)` resolves once it acknowledged n messages (orphans included). */
    async function worker(extra: Partial<HitWorkerOptions> = {}): Promise<{ w: RunningHitWorker; done: (n: number) => Promise<void>; orphans: [string, string][] }> {
      const orphans: [string, string][] = [];
      let check = (): void => {};
      const w = await startHitWorker({
        db: testDb.db, config, redisUrl: testRedisUrl!, stream, deadStream: `${stream}:dead`, consumer: 'w1', blockMs: 50,
        onOrphan: (id, message) => orphans.push([id, message]), onBatch: () => check(), ...extra,
      });
      workers.push(w);
      const done = (n: number): Promise<void> => new Promise((ok) => {
        check = () => {
          if (w.stats.applied + w.stats.orphans + w.stats.dead >= n) ok();
        };
        check();
      });
      return { w, done, orphans };
    }

    /** An in-process service on the test's stream. */
    async function service(beforeCommit?: RunningTrackingHook): Promise<RunningTracking> {
      const queue = redisHitQueue(testRedisUrl!, { stream });
      queues.push(queue);
      expect(await queue.ready()).toBe(true);
      const tracking = await startTracking({ db: testDb.db, config, queue, now: () => TEST_NOW, ...(beforeCommit ? { beforeCommit } : {}) }, { port: 0 });
      services.push(tracking);
      return tracking;
    }

    /** `node scripts/serve.ts tracking` holding requests for `.../held` before their COMMIT; its URL once it listens. */
    function serviceProcess(): Promise<{ child: ChildProcess; url: string; held: Promise<number> }> {
      const child = spawn(process.execPath, ['scripts/serve.ts', 'tracking'], {
        cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, DATABASE_URL: testDb.url, REDIS_URL: testRedisUrl!, TRACKING_HIT_STREAM: stream, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', TRACKING_TEST_HOLD_BEFORE_COMMIT: 'held' },
      });
      children.push(child);
      let heldHit: (id: number) => void = () => {};
      const held = new Promise<number>((ok) => (heldHit = ok));
      return new Promise((done, fail) => {
        child.stdout!.on('data', (c: Buffer) => {
          output += c.toString();
          const listening = /tracking listening on (\S+)/.exec(output);
          if (listening) done({ child, url: listening[1]!, held });
          const hold = /tracking test hold: hit (\d+) queued, commit held/.exec(output);
          if (hold) heldHit(Number(hold[1]));
        });
        child.once('exit', (code) => fail(new Error(`tracking exited ${code} before listening:\n${output}`)));
      });
    }

    beforeEach(async () => {
      output = '';
      testDb = await createTestDb('mysql');
      stream = `strangler:test:${randomBytes(6).toString('hex')}`;
      redis = new Redis(testRedisUrl!);
    }, 90_000); // creating the database's tables takes a while on a loaded machine

    afterEach(async () => {
      for (const child of children.splice(0)) {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await once(child, 'exit');
        }
      }
      for (const w of workers.splice(0)) await w.close();
      for (const s of services.splice(0)) await s.close();
      for (const q of queues.splice(0)) await q.close();
      await redis.del(stream, `${stream}:dead`);
      redis.disconnect();
      await testDb.drop();
    });

    it('SIGKILL after the XADD and before the COMMIT: no row, the message dropped as an orphan, the hit before it completed', async () => {
      const { child, url, held } = await serviceProcess();
      expect((await sendRaw(url, { path: pixel('ok'), headers: browser() })).status).toBe(200);
      const cut = sendRaw(url, { path: pixel('held'), headers: browser() }).then((r) => r.status, (err: Error) => err.message);
      const heldHitId = await held;
      // Both messages are in the stream; only the first row is committed.
      const entries = (await redis.xrange(stream, '-', '+')) as [string, string[]][];
      expect(entries).toHaveLength(2);
      expect(JSON.parse(entries[1]![1][1]!)).toMatchObject({ hitId: heldHitId });
      expect((await rows(testDb.db, 'page_hits')).map((h) => h.id)).not.toContain(heldHitId);

      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(await cut).toMatch(/socket hang up|ECONNRESET/);

      const { w, done, orphans } = await worker({ unseenRetryDelaysMs: [20, 40] });
      await done(2);
      const hits = await rows(testDb.db, 'page_hits');
      expect(hits).toHaveLength(1);
      expect(hits[0]).toMatchObject({ url: 'https://shop.test/ok', lead_id: expect.any(Number) });
      expect(await count(testDb.db, 'lead_event_log')).toBe(1);
      // The killed request's contact went with its transaction.
      expect(await count(testDb.db, 'leads')).toBe(1);
      expect([w.stats.applied, w.stats.orphans, w.stats.dead]).toEqual([1, 1, 0]);
      expect(orphans).toEqual([[entries[1]![0], expect.stringContaining(`"hitId":${heldHitId}`)]]);
      expect(((await redis.xpending(stream, GROUP)) as [number])[0]).toBe(0);
      expect(await redis.xlen(`${stream}:dead`)).toBe(0);
    }, 120_000);

    it('a message read before its COMMIT waits for it and completes the row', async () => {
      let release: () => void = () => {};
      const gate = new Promise<void>((ok) => (release = ok));
      let heldNow: () => void = () => {};
      const held = new Promise<void>((ok) => (heldNow = ok));
      const tracking = await service(async () => {
        heldNow();
        await gate;
      });
      const answer = sendRaw(tracking.url, { path: pixel('late'), headers: browser() });
      await held;
      const { w, done, orphans } = await worker();
      const database = new URL(testDb.url).pathname.slice(1);
      for (;;) {
        if ((await lockWaitsOn((sql) => testDb.db.query(sql), database, 'page_hits')) > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      release();
      expect((await answer).status).toBe(200);
      await done(1);
      expect((await rows(testDb.db, 'page_hits'))[0]).toMatchObject({ url: 'https://shop.test/late', lead_id: expect.any(Number) });
      expect([w.stats.applied, w.stats.orphans, orphans]).toEqual([1, 0, []]);
    }, 60_000);

    it('a message whose row is committed after the worker first looked is completed on a later look', async () => {
      const tracking = await service();
      expect((await sendRaw(tracking.url, { path: pixel('later'), headers: browser() })).status).toBe(200);
      const [hit] = await rows(testDb.db, 'page_hits');
      // Take the row away, to put it back once the worker found it missing.
      await testDb.db.execute('CREATE TABLE held_hit AS SELECT * FROM page_hits');
      await testDb.db.execute('DELETE FROM page_hits');
      let putBack: Promise<unknown> | undefined;
      const unseen: string[][] = [];
      const { w, done, orphans } = await worker({
        unseenRetryDelaysMs: [300, 600, 1200],
        onUnseen: (ids) => {
          unseen.push([...ids]);
          putBack ??= testDb.db.execute('INSERT INTO page_hits SELECT * FROM held_hit');
        },
      });
      await done(1);
      await putBack;
      expect(unseen).toHaveLength(1);
      expect((await rows(testDb.db, 'page_hits'))[0]).toMatchObject({ id: hit!.id, url: 'https://shop.test/later', lead_id: expect.any(Number) });
      expect(await count(testDb.db, 'lead_event_log')).toBe(1);
      expect([w.stats.applied, w.stats.orphans, orphans]).toEqual([1, 0, []]);
      expect(((await redis.xpending(stream, GROUP)) as [number])[0]).toBe(0);
    }, 60_000);
  });
});

type RunningTrackingHook = NonNullable<Parameters<typeof startTracking>[0]['beforeCommit']>;
