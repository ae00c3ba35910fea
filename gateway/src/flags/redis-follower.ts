/**
 * The read side of the Redis flag store: the snapshot this replica has
 * applied, kept current by change messages (applied in version order), full
 * reads (after a reconnect, a gap in versions, or a version check that finds
 * another version) and heartbeats that tell the fleet which version it holds.
 * It never goes back to an older version unless Redis itself did (data lost),
 * which it reports.
 */
import type { Redis } from 'ioredis';
import { writeHeartbeat } from './redis-fleet.ts';
import type { RedisKeys } from './redis-keys.ts';
import { readSnapshot } from './redis-snapshot.ts';
import { snapshotWith } from './snapshot.ts';
import { EMPTY_SNAPSHOT, type FlagChange, type FlagListener, type FlagSnapshot } from './store.ts';

/** Something worth a log line; the store itself never logs. */
export type RedisStoreEvent =
  | { readonly kind: 'connected' | 'resynced'; readonly version: number }
  | { readonly kind: 'disconnected' | 'read-failed'; readonly detail: string }
  | { readonly kind: 'version-went-back'; readonly from: number; readonly to: number }
  | { readonly kind: 'bad-entry'; readonly where: string; readonly detail: string };

/** What a follower needs. */
export interface FollowerDeps {
  readonly cmd: Redis;
  readonly keys: RedisKeys;
  readonly replica: string;
  readonly now: () => Date;
  readonly onEvent: (event: RedisStoreEvent) => void;
}

/** The applied snapshot and the ways to bring it up to date. */
export interface RedisFollower {
  snapshot(): FlagSnapshot;
  /** True once one full read succeeded. */
  loaded(): boolean;
  /** Resolves after the first full read. */
  readonly ready: Promise<void>;
  /** A full read; one at a time, and one more if asked during one. */
  resync(): Promise<void>;
  /** Applies a change in version order; a gap triggers a resync. */
  applyChange(change: FlagChange): void;
  /** Reads the store's version and resyncs when it is not ours. */
  checkVersion(): Promise<void>;
  /** Writes this replica's heartbeat (never throws, never waits). */
  heartbeat(): void;
  subscribe(listener: FlagListener): () => void;
  stop(): void;
}

/**
 * Creates a follower with the empty snapshot (the catalogue defaults).
 *
 * @example const follower = createRedisFollower({ cmd, keys, replica, now, onEvent }); await follower.resync();
 */
export function createRedisFollower(deps: FollowerDeps): RedisFollower {
  const { cmd, keys, onEvent } = deps;
  const listeners = new Set<FlagListener>();
  let current: FlagSnapshot = EMPTY_SNAPSHOT;
  let loaded = false;
  let stopped = false;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const heartbeat = (): void => {
    if (cmd.status !== 'ready' || !loaded) return;
    writeHeartbeat(cmd, keys, deps.replica, current.version, deps.now()).catch(() => undefined);
  };
  const publish = (next: FlagSnapshot, change: FlagChange | null): void => {
    current = next;
    for (const listener of listeners) listener(current, change);
    heartbeat();
  };

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
  function resync(): Promise<void> {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        await readAll().catch((err: unknown) => onEvent({ kind: 'read-failed', detail: String((err as Error).message) }));
      } while (again && !stopped);
    })().finally(() => (reading = null));
    return reading;
  }

  return {
    snapshot: () => current,
    loaded: () => loaded,
    ready,
    resync,
    applyChange(change) {
      if (!loaded || change.version <= current.version) return;
      if (change.version !== current.version + 1) return void resync();
      publish(snapshotWith(current, change.version, change.routeId, change.tenant, change.to), change);
    },
    async checkVersion() {
      if (cmd.status !== 'ready') return;
      const stored = Number((await cmd.get(keys.version).catch(() => null)) ?? NaN);
      if (!loaded || (Number.isFinite(stored) && stored !== current.version)) await resync();
    },
    heartbeat,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      listeners.clear();
    },
  };
}
