/**
 * The guard's lock across replicas: `SET key token NX PX ttl` takes it, and a
 * script deletes it only while it still holds our token, so a replica whose
 * lock expired never releases the one another replica took since
 * (https://redis.io/docs/latest/develop/use/patterns/distributed-locks/, single instance).
 */
import { Redis } from 'ioredis';
import { newLockToken, type GuardLock } from './lock.ts';

/** Deletes KEYS[1] when it holds ARGV[1]. */
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Options of `createRedisLock`. */
export interface RedisLockOptions {
  /** `redis://…` */
  readonly url: string;
  /** Prefix of the lock keys: `<prefix>guard:lock:<key>`. */
  readonly keyPrefix: string;
  /** Every command fails after this, ms; the guard then does not act this time. */
  readonly commandTimeoutMs: number;
}

/**
 * Opens its own connection (no offline queue: while Redis is away, acquiring fails at once).
 *
 * @example const lock = createRedisLock({ url: 'redis://127.0.0.1:6379', keyPrefix: 'strangler:', commandTimeoutMs: 500 });
 */
export function createRedisLock(options: RedisLockOptions): GuardLock {
  const redis = new Redis(options.url, {
    enableOfflineQueue: false, commandTimeout: options.commandTimeoutMs, connectTimeout: Math.max(options.commandTimeoutMs, 1_000),
    maxRetriesPerRequest: 0, retryStrategy: (attempt) => Math.min(attempt * 100, 1_000), lazyConnect: true,
  });
  // Failures surface through the commands; ioredis reconnects by itself.
  redis.on('error', () => undefined);
  redis.connect().catch(() => undefined);
  const keyOf = (key: string): string => `${options.keyPrefix}guard:lock:${key}`;
  return {
    async acquire(key, ttlMs) {
      const token = newLockToken();
      const ok = await redis.set(keyOf(key), token, 'PX', ttlMs, 'NX');
      return ok === 'OK' ? token : null;
    },
    async release(key, token) {
      await redis.eval(RELEASE_SCRIPT, 1, keyOf(key), token);
    },
    async close() {
      redis.disconnect();
    },
  };
}
