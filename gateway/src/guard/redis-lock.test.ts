import { Redis } from 'ioredis';
import { describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { deletePrefix, uniquePrefix } from '../../test/support/redis-server.ts';
import type { GuardLock } from './lock.ts';
import { createRedisLock } from './redis-lock.ts';

// The guard's lock on the shared Redis (a fresh key prefix per test): SET NX PX with a token, and a
// release that deletes only its own token.
describeWithRedis('the Redis guard lock', () => {
  const url = testRedisUrl as string;
  let prefix: string;
  let a: GuardLock;
  let b: GuardLock;
  let redis: Redis;
  beforeEach(async () => {
    prefix = uniquePrefix('guard-lock');
    a = createRedisLock({ url, keyPrefix: prefix, commandTimeoutMs: 1_000 });
    b = createRedisLock({ url, keyPrefix: prefix, commandTimeoutMs: 1_000 });
    redis = new Redis(url);
    await Promise.all([redis.ping(), untilReady(a), untilReady(b)]);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    redis.disconnect();
    await deletePrefix(url, prefix);
  });

  it('lets one of two holders take a key, and the other once it is released', async () => {
    const [ta, tb] = await Promise.all([a.acquire('default/tracking.pixel', 10_000), b.acquire('default/tracking.pixel', 10_000)]);
    expect([ta, tb].filter((t) => t !== null)).toHaveLength(1);
    const [winner, loser] = ta !== null ? [a, b] : [b, a];
    expect(await redis.get(`${prefix}guard:lock:default/tracking.pixel`)).toBe(ta ?? tb);
    expect(await redis.pttl(`${prefix}guard:lock:default/tracking.pixel`)).toBeGreaterThan(5_000);
    await winner.release('default/tracking.pixel', (ta ?? tb) as string);
    expect(await loser.acquire('default/tracking.pixel', 10_000)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps other keys apart', async () => {
    expect(await a.acquire('default/tracking.pixel', 10_000)).not.toBeNull();
    expect(await b.acquire('acme/tracking.pixel', 10_000)).not.toBeNull();
  });

  it('never releases a lock another holder took after ours expired', async () => {
    const mine = (await a.acquire('k', 50)) as string;
    await redis.pexpire(`${prefix}guard:lock:k`, 1);
    await untilGone(redis, `${prefix}guard:lock:k`);
    const theirs = (await b.acquire('k', 10_000)) as string;
    await a.release('k', mine);
    expect(await redis.get(`${prefix}guard:lock:k`)).toBe(theirs);
  });
});

/** Resolves once the lock's own connection answers (it connects in the background). */
async function untilReady(lock: GuardLock): Promise<void> {
  for (;;) {
    try {
      const token = await lock.acquire('probe', 1);
      if (token !== null) await lock.release('probe', token);
      return;
    } catch {
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

async function untilGone(redis: Redis, key: string): Promise<void> {
  while ((await redis.exists(key)) === 1) await new Promise((resolve) => setImmediate(resolve));
}
