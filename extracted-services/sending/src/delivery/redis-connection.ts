/**
 * BullMQ's connection options from a `REDIS_URL` (`redis://[user:pass@]host:port[/db]`).
 * BullMQ opens its own connections (it needs blocking commands on the worker's), so it gets
 * options, not a client.
 */
import type { ConnectionOptions } from 'bullmq';

/**
 * Parses `url` into ioredis options.
 *
 * @param forWorker - a worker's connection must retry forever (`maxRetriesPerRequest: null`);
 *   a producer on the request path fails fast instead (no offline queue, short command timeout)
 * @throws Error for a URL that is not redis:// or rediss://
 */
export function redisConnection(url: string, forWorker: boolean): ConnectionOptions {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error(`REDIS_URL must start with redis:// or rediss://, got ${parsed.protocol}//`);
  const db = parsed.pathname.replace(/^\//, '');
  const base = {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return forWorker ? { ...base, maxRetriesPerRequest: null } : { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1_000 };
}
