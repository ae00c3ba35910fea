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
import { GatewayError } from '../errors.ts';
import { nothingToRollBack, versionConflict } from './change-errors.ts';
import { readAuditPage } from './redis-audit.ts';
import { readFleet, removeHeartbeat, writeHeartbeat } from './redis-fleet.ts';
import { encodeValue, fieldOf, redisKeys, scopeOf } from './redis-keys.ts';
import { CHANGE_SCRIPT, parseChangeReply } from './redis-scripts.ts';
import { changeFromMessage, readSnapshot } from './redis-snapshot.ts';
import { snapshotWith, valueOf } from './snapshot.ts';
import { EMPTY_SNAPSHOT, type ChangeAction, type ChangeMeta, type FlagChange, type FlagListener, type FlagSnapshot, type FlagStore, type FlagValue } from './store.ts';

/** Something worth a log line; the store itself never logs. */
export type RedisStoreEvent =
  | { readonly kind: 'connected' | 'resynced'; readonly version: number }
  | { readonly kind: 'disconnected'; readonly detail: string }
  | { readonly kind: 'version-went-back'; readonly from: number; readonly to: number }
  | { readonly kind: 'bad-entry'; readonly where: string; readonly detail: string };

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
  const listeners = new Set<FlagListener>();
  let current: FlagSnapshot = EMPTY_SNAPSHOT;
  let loaded = false;
  let closed = false;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  function publish(next: FlagSnapshot, change: FlagChange | null): void {
    current = next;
    for (const listener of listeners) listener(current, change);
    heartbeat();
  }

  async function readAll(): Promise<void> {
    const before = current.version;
    const read = await readSnapshot(cmd, keys, (where, detail) => onEvent({ kind: 'bad-entry', where, detail }));
    // A change applied while this read was on the wire is newer than the read.
    if (loaded && (read.version === current.version || (current.version !== before && read.version < current.version))) return;
    if (loaded && read.version < current.version) onEvent({ kind: 'version-went-back', from: current.version, to: read.version });
    loaded = true;
    publish(read, null);
    onEvent({ kind: 'resynced', version: read.version });
    markReady();
  }

  let reading: Promise<void> | null = null;
  let again = false;
  /** One full read at a time; a request during one runs one more after it. */
  function resync(): Promise<void> {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        await readAll().catch((err: unknown) => onEvent({ kind: 'disconnected', detail: String((err as Error).message) }));
      } while (again && !closed);
    })().finally(() => (reading = null));
    return reading;
  }

  function applyChange(change: FlagChange): void {
    if (!loaded || change.version <= current.version) return;
    if (change.version !== current.version + 1) return void resync();
    publish(snapshotWith(current, change.version, change.routeId, change.tenant, change.to), change);
  }

  function heartbeat(): void {
    if (cmd.status !== 'ready' || !loaded) return;
    writeHeartbeat(cmd, keys, replica, current.version, now()).catch(() => undefined);
  }

  async function checkVersion(): Promise<void> {
    if (cmd.status !== 'ready') return;
    const stored = Number((await cmd.get(keys.version).catch(() => null)) ?? NaN);
    if (!loaded || (Number.isFinite(stored) && stored !== current.version)) await resync();
  }

  cmd.on('ready', () => {
    void resync().then(() => loaded && onEvent({ kind: 'connected', version: current.version }));
  });
  let wasUp = false;
  cmd.on('ready', () => (wasUp = true));
  cmd.on('close', () => {
    if (wasUp && !closed) onEvent({ kind: 'disconnected', detail: 'connection closed' });
    wasUp = false;
  });
  cmd.on('error', () => undefined); // reported through 'close'; ioredis reconnects by itself
  sub.on('error', () => undefined);
  sub.on('ready', () => {
    sub.subscribe(keys.channel).then(() => resync(), () => undefined);
  });
  sub.on('message', (_channel: string, text: string) => {
    const change = changeFromMessage(text);
    if (change instanceof Error) onEvent({ kind: 'bad-entry', where: keys.channel, detail: change.message });
    else applyChange(change);
  });
  const timers = [setInterval(heartbeat, settings.heartbeatIntervalMs), setInterval(() => void checkVersion(), settings.resyncIntervalMs)];
  for (const t of timers) t.unref();
  cmd.connect().catch(() => undefined);
  sub.connect().catch(() => undefined);

  async function write(routeId: string, tenant: string | null, action: ChangeAction, to: FlagValue | null, meta: ChangeMeta): Promise<FlagChange | null> {
    if (cmd.status !== 'ready') throw unavailable(`not connected (${cmd.status})`);
    if (!loaded) await resync();
    const at = now().toISOString();
    let reply: unknown;
    try {
      reply = await cmd.eval(CHANGE_SCRIPT, 5, keys.version, keys.modes, keys.revisions, keys.previous, keys.audit,
        fieldOf(routeId, tenant), action, encodeValue(to), meta.expectRevision === undefined ? '' : String(meta.expectRevision),
        keys.channel, String(options.auditLimit), at, meta.who, routeId, scopeOf(tenant), meta.why ?? '', meta.origin ?? 'manual');
    } catch (err) {
      throw unavailable(/timed out/i.test(String((err as Error).message)) ? 'timed out: the change may have been written; read the audit' : String((err as Error).message));
    }
    const result = parseChangeReply(reply);
    if (result.status !== 'ok') {
      if (result.status === 'absent') return null;
      throw result.status === 'conflict' ? versionConflict(routeId, tenant, result.revision, meta.expectRevision ?? 0) : nothingToRollBack(routeId, tenant);
    }
    const change = changeFromMessage(JSON.stringify({ version: result.version, field: fieldOf(routeId, tenant), from: result.from, to: result.to, at, who: meta.who, why: meta.why ?? '', origin: meta.origin ?? 'manual', action }));
    if (change instanceof Error) throw change;
    applyChange(change);
    return change;
  }

  return {
    ready: () => ready,
    snapshot: () => current,
    get version() {
      return current.version;
    },
    set: async (flag, meta) => (await write(flag.routeId, flag.tenant, 'set', valueOf(flag), meta)) as FlagChange,
    remove: (routeId, tenant, meta) => write(routeId, tenant, 'remove', null, meta),
    rollback: async (routeId, tenant, meta) => (await write(routeId, tenant, 'rollback', null, meta)) as FlagChange,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    audit: async (limit = 100) => (limit > 0 ? [...(await guarded(() => readAuditPage(cmd, keys.audit, { limit }, badEntry))).entries] : []),
    auditPage: (query) => guarded(() => readAuditPage(cmd, keys.audit, query, badEntry)),
    fleet: () => guarded(() => readFleet(cmd, keys, settings.replicaTimeoutMs, now())),
    health: () => ({ kind: 'redis', connected: cmd.status === 'ready', replica }),
    async close() {
      closed = true;
      for (const t of timers) clearInterval(t);
      listeners.clear();
      if (cmd.status === 'ready') await removeHeartbeat(cmd, keys, replica).catch(() => undefined);
      cmd.disconnect();
      sub.disconnect();
    },
  };

  function badEntry(id: string, detail: string): void {
    onEvent({ kind: 'bad-entry', where: `${keys.audit} ${id}`, detail });
  }

  async function guarded<T>(read: () => Promise<T>): Promise<T> {
    if (cmd.status !== 'ready') throw unavailable(`not connected (${cmd.status})`);
    try {
      return await read();
    } catch (err) {
      throw unavailable(String((err as Error).message));
    }
  }
}

function unavailable(detail: string): GatewayError {
  return new GatewayError('GW_ERR_FLAGS_STORE_UNAVAILABLE', { params: { detail } });
}
