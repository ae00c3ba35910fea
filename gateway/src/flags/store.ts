/**
 * The flag store interface (CONTEXT.md: Flag), implemented by the memory store
 * (embedded default, tests) and the Redis store (hash + pub/sub + audit stream,
 * docs/architecture.md §7).
 * The pipeline never awaits a store: it reads the last applied `FlagSnapshot`,
 * which is swapped whole when a change arrives.
 */
import type { Flag, Mode } from '../model.ts';
import type { FleetStatus, StoreHealth } from './fleet.ts';

/** What a flag sets: the mode and, for canary, the percent. */
export interface FlagValue {
  readonly mode: Mode;
  /** Canary percent 0–100 in 0.01 steps; only for `canary`. */
  readonly percent?: number;
  /** Set by the guard's step back: the requests it decides carry reason `guard-rollback`. An operator's `set` clears it. */
  readonly setBy?: 'guard';
}

/** An immutable view of every flag at one version. */
export interface FlagSnapshot {
  /** Increases by one per change; 0 for an empty store. */
  readonly version: number;
  /** Flags keyed by `flagKey(routeId, tenant)`. */
  readonly flags: ReadonlyMap<string, Flag>;
  /**
   * Revision of each (route, tenant scope) that was ever changed, keyed like
   * `flags`: the store version of its last change (the admin API's ETag).
   * Absent or missing key: 0, never changed.
   */
  readonly revisions?: ReadonlyMap<string, number>;
}

/** Who changed a flag and why; written to the audit list. */
export interface ChangeMeta {
  /** Token label, or "admin" for ADMIN_TOKEN, or "guard". */
  readonly who: string;
  readonly why?: string;
  /**
   * Optimistic concurrency: the revision of (route, tenant) the caller read.
   * When the store holds another one, the change is refused with
   * GW_ERR_ADMIN_VERSION_CONFLICT (409) and nothing is written.
   */
  readonly expectRevision?: number;
  /** `manual` (an operator, the default) or `automatic` (the guard). */
  readonly origin?: ChangeOrigin;
}

/** Who caused a change: an operator, or the guard by itself. */
export type ChangeOrigin = 'manual' | 'automatic';

/** What a change did: set a mode, remove a flag, or go back to the previous mode. */
export type ChangeAction = 'set' | 'remove' | 'rollback';

/** One recorded change (an audit entry). */
export interface FlagChange {
  /** Store version after the change. */
  readonly version: number;
  /** ISO-8601 time of the change. */
  readonly at: string;
  readonly who: string;
  readonly routeId: string;
  /** null for the global flag. */
  readonly tenant: string | null;
  /** null when no flag existed (catalogue default). */
  readonly from: FlagValue | null;
  /** null when the flag was removed. */
  readonly to: FlagValue | null;
  readonly why: string | null;
  readonly origin: ChangeOrigin;
  readonly action: ChangeAction;
}

/** What to read from the audit. */
export interface AuditQuery {
  /** Only entries of this route. */
  readonly routeId?: string;
  /** Only entries of this tenant scope; null: only global changes; absent: every scope. */
  readonly tenant?: string | null;
  /** Only entries at or after this time. */
  readonly since?: Date;
  /** Continue after this cursor (the `next` of the previous page). */
  readonly cursor?: string;
  /** Entries per page, 1–1000. */
  readonly limit: number;
}

/** One page of audit entries. */
export interface AuditPage {
  /** Newest first. */
  readonly entries: readonly FlagChange[];
  /** Cursor of the next (older) page; null when this was the last. */
  readonly next: string | null;
}

/** Called with the new snapshot after every change; `change` is null after a resync (several changes at once). */
export type FlagListener = (snapshot: FlagSnapshot, change: FlagChange | null) => void;

/**
 * A flag store; implementations: memory-store.ts (embedded default, tests) and
 * redis-store.ts (the fleet). Writes throw a GatewayError: 409
 * GW_ERR_ADMIN_VERSION_CONFLICT on a stale `expectRevision`, 503
 * GW_ERR_FLAGS_STORE_UNAVAILABLE when the store cannot be reached.
 */
export interface FlagStore {
  /** Resolves once the first snapshot has been read (memory: at once). */
  ready(): Promise<void>;
  /** The last snapshot read; never blocks. */
  snapshot(): FlagSnapshot;
  /** Version of `snapshot()`. */
  readonly version: number;
  /** Creates or replaces a flag (the caller validated it). */
  set(flag: Flag, meta: ChangeMeta): Promise<FlagChange>;
  /** Removes a flag; null when there was none. */
  remove(routeId: string, tenant: string | null, meta: ChangeMeta): Promise<FlagChange | null>;
  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: FlagListener): () => void;
  /**
   * Sets (route, tenant) back to the mode it had before its last change (the
   * catalogue default when it had none), audited as a `rollback`. Throws
   * GW_ERR_ADMIN_NOTHING_TO_ROLL_BACK (409) when it was never changed.
   */
  rollback(routeId: string, tenant: string | null, meta: ChangeMeta): Promise<FlagChange>;
  /** The most recent changes, newest first, at most `limit` (default 100). */
  audit(limit?: number): Promise<FlagChange[]>;
  /** One page of the audit, newest first, filtered by route, tenant and time. */
  auditPage(query: AuditQuery): Promise<AuditPage>;
  /** The replicas following this store and the version each applied. */
  fleet(): Promise<FleetStatus>;
  /** Which store this is and whether it can be reached now; never blocks. */
  health(): StoreHealth;
  close(): Promise<void>;
}

/** Revision of (route, tenant) in a snapshot; 0 when it was never changed. */
export function revisionOf(snapshot: FlagSnapshot, routeId: string, tenant: string | null): number {
  return snapshot.revisions?.get(flagKey(routeId, tenant)) ?? 0;
}

/** Key of a flag in `FlagSnapshot.flags`; a tenant of null means global. */
export function flagKey(routeId: string, tenant: string | null): string {
  return tenant === null ? `*\u0000${routeId}` : `${tenant}\u0000${routeId}`;
}

/** The snapshot a store starts from: no flags, every route on its catalogue default. */
export const EMPTY_SNAPSHOT: FlagSnapshot = Object.freeze({ version: 0, flags: new Map<string, Flag>() });
