/**
 * The in-memory flag store: the embedded default (no REDIS_URL) and the store
 * tests use. Real, not a mock: it versions, audits and notifies like the Redis
 * store will.
 */
import type { Flag } from '../model.ts';
import { flagKey, type ChangeMeta, type FlagChange, type FlagListener, type FlagSnapshot, type FlagStore, type FlagValue } from './store.ts';

/** Options of `createMemoryFlagStore`. */
export interface MemoryFlagStoreOptions {
  /** Audit entries kept, oldest dropped first. Default 10,000. */
  auditLimit?: number;
  /** Flags present from the start (version 0, not audited). */
  initial?: readonly Flag[];
  /** Clock for audit times; default `() => new Date()`. */
  now?: () => Date;
}

/**
 * Creates an in-memory flag store.
 *
 * @example
 * const store = createMemoryFlagStore();
 * await store.set({ routeId: 'tracking.pixel', tenant: null, mode: 'canary', percent: 5 }, { who: 'admin' });
 */
export function createMemoryFlagStore(options: MemoryFlagStoreOptions = {}): FlagStore {
  const auditLimit = options.auditLimit ?? 10_000;
  const now = options.now ?? (() => new Date());
  let current: FlagSnapshot = freezeSnapshot(0, new Map((options.initial ?? []).map((f) => [flagKey(f.routeId, f.tenant), { ...f }])));
  const auditLog: FlagChange[] = [];
  const listeners = new Set<FlagListener>();

  function apply(routeId: string, tenant: string | null, next: Flag | null, meta: ChangeMeta): FlagChange {
    const key = flagKey(routeId, tenant);
    const previous = current.flags.get(key);
    const flags = new Map(current.flags);
    if (next) flags.set(key, next);
    else flags.delete(key);
    current = freezeSnapshot(current.version + 1, flags);
    const change: FlagChange = Object.freeze({
      version: current.version,
      at: now().toISOString(),
      who: meta.who,
      routeId,
      tenant,
      from: previous ? valueOf(previous) : null,
      to: next ? valueOf(next) : null,
      why: meta.why ?? null,
    });
    auditLog.push(change);
    if (auditLog.length > auditLimit) auditLog.splice(0, auditLog.length - auditLimit);
    for (const listener of listeners) listener(current, change);
    return change;
  }

  return {
    ready: async () => undefined,
    snapshot: () => current,
    get version() {
      return current.version;
    },
    set: async (flag, meta) => apply(flag.routeId, flag.tenant, Object.freeze({ ...flag }), meta),
    remove: async (routeId, tenant, meta) => (current.flags.has(flagKey(routeId, tenant)) ? apply(routeId, tenant, null, meta) : null),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    audit: async (limit = 100) => (limit > 0 ? auditLog.slice(-limit).reverse() : []),
    close: async () => listeners.clear(),
  };
}

function valueOf(flag: Flag): FlagValue {
  return flag.percent === undefined ? { mode: flag.mode } : { mode: flag.mode, percent: flag.percent };
}

function freezeSnapshot(version: number, flags: Map<string, Flag>): FlagSnapshot {
  return Object.freeze({ version, flags });
}
