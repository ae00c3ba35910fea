/**
 * What a worker's `/readyz` asks (probe-port.ts): whether the components it cannot work
 * without answer now. The tracking worker needs its database and Redis; the mail worker needs
 * Redis (its SMTP relay is retried per message, and one slow relay must not unready every
 * worker). Each check is bounded, so a probe never hangs on a component that does not answer.
 */
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { Db } from '../../legacy-adapter/src/db/types.ts';

/** Why a worker is not ready, as `/readyz` answers it with 503; null when it is. */
export type NotReady = { readonly status: 'database-unavailable' | 'redis-unavailable'; readonly code: string } | null;

/** A readiness check that holds a connection of its own. */
export interface ReadinessCheck {
  check(): Promise<NotReady>;
  close(): Promise<void>;
}

/** How long a probe waits for a component. */
const CHECK_TIMEOUT_MS = 1_000;

const codeOf = (err: unknown): string => String((err as { code?: unknown }).code ?? (err instanceof Error ? err.message : 'UNKNOWN'));

/**
 * Redis answers PING, on a small connection of the probe's own (the worker's own connections
 * block on their queue reads).
 *
 * @example const redis = redisReadiness(env.REDIS_URL); await redis.check() // null
 */
export function redisReadiness(url: string): ReadinessCheck {
  const client = new Redis(url, { enableOfflineQueue: false, commandTimeout: CHECK_TIMEOUT_MS, maxRetriesPerRequest: 0, connectTimeout: CHECK_TIMEOUT_MS });
  client.on('error', () => undefined);
  return {
    async check() {
      try {
        // A probe right after start (or during a reconnect) waits for the connection, within its second.
        if (client.status !== 'ready') await once(client, 'ready', { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
        await client.ping();
        return null;
      } catch (err) {
        return { status: 'redis-unavailable', code: codeOf(err) };
      }
    },
    async close() {
      client.disconnect();
    },
  };
}

/** The database answers `SELECT 1` within the probe's time. */
export async function databaseReadiness(db: Db): Promise<NotReady> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('no answer within 1 s'), { code: 'TIMEOUT' })), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([db.query('SELECT 1'), late]);
    return null;
  } catch (err) {
    return { status: 'database-unavailable', code: codeOf(err) };
  } finally {
    clearTimeout(timer);
  }
}
