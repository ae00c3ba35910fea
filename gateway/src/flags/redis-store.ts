/**
 * The Redis flag store (docs/architecture.md §7): the modes of every tenant
 * scope in a hash with a version counter, a change channel, an audit stream
 * and one heartbeat per replica. Every replica applies each change from the
 * channel; a periodic version check and a full read after every reconnect
 * cover a lost message. The pipeline only ever reads the in-memory snapshot:
 * while Redis is unreachable the replica keeps its last one, writes fail at
 * once with 503 (no offline queue, bounded command time), and everything
 * resyncs when Redis answers again.
 */
import { hostname } from 'node:os';
import { Redis, type RedisOptions } from 'ioredis';
import type { FlagsSettings } from '../config/schema.ts';
import { readAuditPage } from './redis-audit.ts';
import { readFleet, removeHeartbeat } from './redis-fleet.ts';
import { createRedisFollower, type RedisStoreEvent } from './redis-follower.ts';
import { redisKeys } from './redis-keys.ts';
import { changeFromMessage } from './redis-snapshot.ts';
import { storeUnavailable, writeChange } from './redis-write.ts';
import { valueSetBy } from './snapshot.ts';
import type { ChangeAction, ChangeMeta, FlagChange, FlagStore, FlagValue } from './store.ts';

export type { RedisStoreEvent } from './redis-follower.ts';

/** Options of `createRedisFlagStore`. */
export interface RedisFlagStoreOptions {
  /** `redis://…` */
  readonly url: string;
  readonly settings: FlagsSettings;
  /** The audit stream is trimmed to about this many entries. */
  readonly auditLimit: number;
  readonly onEvent?: (event: RedisStoreEvent) => void;
  /** Clock for audit times and heartbeats. */
  readonly now?: () => Date;
}

/** Reconnect delay after the n-th failed attempt: short, so a returning Redis is seen within a second. */
const reconnectDelayMs = (attempt: number): number => Math.min(attempt * 100, 1_000);

/**
 * Creates the store and starts connecting; `ready()` resolves after the first
 * full read (it waits, never rejects, while Redis is down).
 *
 * @example
 * const store = createRedisFlagStore({ url: 'redis://127.0.0.1:6379', settings: config.flags, auditLimit: 10_000 });
 */
export function createRedisFlagStore(options: RedisFlagStoreOptions): FlagStore {
  const { settings } = options;
  const now = options.now ?? (() => new Date());
  const onEvent = options.onEvent ?? (() => undefined);
  const keys = redisKeys(settings.redisKeyPrefix);
  const replica = settings.replicaId ?? `${hostname()}-${process.pid}`;
  const connection: RedisOptions = {
    enableOfflineQueue: false, commandTimeout: settings.redisCommandTimeoutMs, connectTimeout: Math.max(settings.redisCommandTimeoutMs, 1_000),
    maxRetriesPerRequest: 0, retryStrategy: reconnectDelayMs, lazyConnect: true,
  };
  const cmd = new Redis(options.url, connection);
  const sub = new Redis(options.url, { ...connection, autoResubscribe: true });
  const follower = createRedisFollower({ cmd, keys, replica, now, onEvent });
  let closed = false;
  let wasUp = false;

  cmd.on('ready', () => {
    wasUp = true;
    void follower.resync().then(() => follower.loaded() && onEvent({ kind: 'connected', version: follower.snapshot().version }));
  });
  cmd.on('close', () => {
    if (wasUp && !closed) onEvent({ kind: 'disconnected', detail: 'connection closed' });
    wasUp = false;
  });
  // Errors surface through 'close' and failed commands; ioredis reconnects by itself.
  cmd.on('error', () => undefined);
  sub.on('error', () => undefined);
  // Messages published while the subscriber was away are lost: read everything after subscribing.
  sub.on('ready', () => void sub.subscribe(keys.channel).then(() => follower.resync(), () => undefined));
  sub.on('message', (_channel: string, text: string) => {
    const change = changeFromMessage(text);
    if (change instanceof Error) onEvent({ kind: 'bad-entry', where: keys.channel, detail: change.message });
    else follower.applyChange(change);
  });
  const timers = [setInterval(follower.heartbeat, settings.heartbeatIntervalMs), setInterval(() => void follower.checkVersion(), settings.resyncIntervalMs)];
  for (const t of timers) t.unref();
  cmd.connect().catch(() => undefined);
  sub.connect().catch(() => undefined);

  async function write(routeId: string, tenant: string | null, action: ChangeAction, to: FlagValue | null, meta: ChangeMeta): Promise<FlagChange | null> {
    if (cmd.status !== 'ready') throw storeUnavailable(`not connected (${cmd.status})`);
    if (!follower.loaded()) await follower.resync();
    const change = await writeChange(cmd, keys, options.auditLimit, { routeId, tenant, action, to, meta, at: now().toISOString() });
    // Applied here before the answer, so the next request on this replica already sees it.
    if (change) follower.applyChange(change);
    return change;
  }

  async function guarded<T>(read: () => Promise<T>): Promise<T> {
    if (cmd.status !== 'ready') throw storeUnavailable(`not connected (${cmd.status})`);
    try {
      return await read();
    } catch (err) {
      throw storeUnavailable(String((err as Error).message));
    }
  }
  const badEntry = (id: string, detail: string): void => onEvent({ kind: 'bad-entry', where: `${keys.audit} ${id}`, detail });

  return {
    ready: () => follower.ready,
    snapshot: () => follower.snapshot(),
    get version() {
      return follower.snapshot().version;
    },
    set: async (flag, meta) => (await write(flag.routeId, flag.tenant, 'set', valueSetBy(flag, meta.origin), meta)) as FlagChange,
    remove: (routeId, tenant, meta) => write(routeId, tenant, 'remove', null, meta),
    rollback: async (routeId, tenant, meta) => (await write(routeId, tenant, 'rollback', null, meta)) as FlagChange,
    subscribe: (listener) => follower.subscribe(listener),
    audit: async (limit = 100) => (limit > 0 ? [...(await guarded(() => readAuditPage(cmd, keys.audit, { limit }, badEntry))).entries] : []),
    auditPage: (query) => guarded(() => readAuditPage(cmd, keys.audit, query, badEntry)),
    fleet: () => guarded(() => readFleet(cmd, keys, settings.replicaTimeoutMs, now())),
    health: () => ({ kind: 'redis', connected: cmd.status === 'ready', replica }),
    async close() {
      closed = true;
      for (const t of timers) clearInterval(t);
      follower.stop();
      if (cmd.status === 'ready') await removeHeartbeat(cmd, keys, replica).catch(() => undefined);
      cmd.disconnect();
      sub.disconnect();
    },
  };
}
