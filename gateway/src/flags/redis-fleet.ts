/**
 * Heartbeats of the replicas that follow one Redis flag store, and the fleet
 * status read from them. A heartbeat is a sorted-set score (when) plus a hash
 * entry (what version); replicas silent for `replicaTimeoutMs` are dropped.
 */
import type { Redis } from 'ioredis';
import { fleetStatus, type FleetStatus } from './fleet.ts';
import type { RedisKeys } from './redis-keys.ts';

/** Writes this replica's heartbeat: it has applied `version`. */
export async function writeHeartbeat(redis: Redis, keys: RedisKeys, replica: string, version: number, now: Date): Promise<void> {
  await redis
    .multi()
    .zadd(keys.seen, now.getTime(), replica)
    .hset(keys.replicas, replica, JSON.stringify({ version, seenAt: now.toISOString() }))
    .exec();
}

/** Removes this replica from the fleet (on shutdown). */
export async function removeHeartbeat(redis: Redis, keys: RedisKeys, replica: string): Promise<void> {
  await redis.multi().zrem(keys.seen, replica).hdel(keys.replicas, replica).exec();
}

/**
 * Reads the fleet: the store version and every replica heard from within
 * `timeoutMs`; forgets the older ones.
 */
export async function readFleet(redis: Redis, keys: RedisKeys, timeoutMs: number, now: Date): Promise<FleetStatus> {
  const cutoff = now.getTime() - timeoutMs;
  const gone = await redis.zrangebyscore(keys.seen, '-inf', `(${cutoff}`);
  if (gone.length > 0) await redis.multi().zrem(keys.seen, ...gone).hdel(keys.replicas, ...gone).exec();
  const [version, ids] = await Promise.all([redis.get(keys.version), redis.zrangebyscore(keys.seen, cutoff, '+inf')]);
  const states = ids.length === 0 ? [] : await redis.hmget(keys.replicas, ...ids);
  const heartbeats = ids.flatMap((id, i) => {
    const state = parseHeartbeat(states[i] ?? null);
    return state ? [{ id, ...state }] : [];
  });
  return fleetStatus(Number(version ?? 0), heartbeats);
}

function parseHeartbeat(raw: string | null): { version: number; seenAt: string } | null {
  try {
    const { version, seenAt } = JSON.parse(raw ?? 'null') as { version?: unknown; seenAt?: unknown };
    return typeof version === 'number' && typeof seenAt === 'string' ? { version, seenAt } : null;
  } catch {
    return null;
  }
}
