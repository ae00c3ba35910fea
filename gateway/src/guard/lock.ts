/**
 * The lock that lets one replica act on a (route, tenant) at a time: in
 * memory for one process, in Redis (redis-lock.ts) for a fleet. A lock
 * expires by itself, so a replica that dies holding one blocks nobody for long.
 */
import { randomBytes } from 'node:crypto';

/** A lock over named keys. */
export interface GuardLock {
  /** Takes `key` for `ttlMs`; resolves with the token that releases it, or null when another holder has it. Rejects when the lock cannot be reached. */
  acquire(key: string, ttlMs: number): Promise<string | null>;
  /** Releases `key` if `token` still holds it (an expired lock taken by another is left alone). */
  release(key: string, token: string): Promise<void>;
  close(): Promise<void>;
}

/** A token no other holder has. */
export function newLockToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The lock of one process (the memory flag store: one replica, so holding it is only about its own overlapping evaluations).
 *
 * @example const token = await createMemoryLock().acquire('default/tracking.pixel', 10_000);
 */
export function createMemoryLock(now: () => number = Date.now): GuardLock {
  const held = new Map<string, { token: string; until: number }>();
  return {
    async acquire(key, ttlMs) {
      const current = held.get(key);
      if (current && current.until > now()) return null;
      const token = newLockToken();
      held.set(key, { token, until: now() + ttlMs });
      return token;
    },
    async release(key, token) {
      if (held.get(key)?.token === token) held.delete(key);
    },
    close: async () => held.clear(),
  };
}
