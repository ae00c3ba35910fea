/**
 * The in-memory flag store: the embedded default (no REDIS_URL) and the store
 * tests use. Real, not a mock: it versions, audits, rolls back, checks
 * revisions and notifies like the Redis store.
 */
import { hostname } from 'node:os';
import type { Flag } from '../model.ts';
import { pageAuditList } from './audit-query.ts';
import { checkRevision, nothingToRollBack } from './change-errors.ts';
import { fleetStatus } from './fleet.ts';
import { freezeSnapshot, snapshotWith, valueOf, valueSetBy } from './snapshot.ts';
import { flagKey, type ChangeAction, type ChangeMeta, type FlagChange, type FlagListener, type FlagSnapshot, type FlagStore, type FlagValue } from './store.ts';

/** Options of `createMemoryFlagStore`. */
export interface MemoryFlagStoreOptions {
  /** Audit entries kept, oldest dropped first. Default 10,000. */
  auditLimit?: number;
  /** Flags present from the start (version 0, not audited). */
  initial?: readonly Flag[];
  /** Clock for audit times; default `() => new Date()`. */
  now?: () => Date;
  /** This process's replica id in `fleet()`; default `<hostname>-<pid>`. */
  replicaId?: string;
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
  const replica = options.replicaId ?? `${hostname()}-${process.pid}`;
  let current: FlagSnapshot = freezeSnapshot(0, new Map((options.initial ?? []).map((f) => [flagKey(f.routeId, f.tenant), Object.freeze({ ...f })])), new Map());
  /** The value each (route, tenant) had before its last change, for rollback. */
  const previous = new Map<string, FlagValue | null>();
  const auditLog: FlagChange[] = [];
  const listeners = new Set<FlagListener>();

  function apply(routeId: string, tenant: string | null, next: FlagValue | null, meta: ChangeMeta, action: ChangeAction): FlagChange {
    const key = flagKey(routeId, tenant);
    checkRevision(current, routeId, tenant, meta);
    const before = current.flags.get(key);
    const from = before ? valueOf(before) : null;
    current = snapshotWith(current, current.version + 1, routeId, tenant, next);
    previous.set(key, from);
    const change: FlagChange = Object.freeze({
      version: current.version, at: now().toISOString(), who: meta.who, routeId, tenant, from, to: next,
      why: meta.why ?? null, origin: meta.origin ?? 'manual', action,
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
    set: async (flag, meta) => apply(flag.routeId, flag.tenant, valueSetBy(flag, meta.origin), meta, 'set'),
    async remove(routeId, tenant, meta) {
      if (!current.flags.has(flagKey(routeId, tenant))) {
        checkRevision(current, routeId, tenant, meta);
        return null;
      }
      return apply(routeId, tenant, null, meta, 'remove');
    },
    async rollback(routeId, tenant, meta) {
      const key = flagKey(routeId, tenant);
      if (!previous.has(key)) throw nothingToRollBack(routeId, tenant);
      return apply(routeId, tenant, previous.get(key) ?? null, meta, 'rollback');
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    audit: async (limit = 100) => (limit > 0 ? auditLog.slice(-limit).reverse() : []),
    auditPage: async (query) => pageAuditList(auditLog, query),
    fleet: async () => fleetStatus(current.version, [{ id: replica, version: current.version, seenAt: now().toISOString() }]),
    health: () => ({ kind: 'memory', connected: true, replica }),
    close: async () => listeners.clear(),
  };
}
