/**
 * The flag store interface (CONTEXT.md: Flag). The memory store implements it
 * now; a Redis store (hash + pub/sub + audit stream, docs/architecture.md §7) will later.
 * The pipeline never awaits a store: it reads the last applied `FlagSnapshot`,
 * which is swapped whole when a change arrives.
 */
import type { Flag, Mode } from '../model.ts';

/** What a flag sets: the mode and, for canary, the percent. */
export interface FlagValue {
  readonly mode: Mode;
  /** Canary percent 0–100 in 0.01 steps; only for `canary`. */
  readonly percent?: number;
}

/** An immutable view of every flag at one version. */
export interface FlagSnapshot {
  /** Increases by one per change; 0 for an empty store. */
  readonly version: number;
  /** Flags keyed by `flagKey(routeId, tenant)`. */
  readonly flags: ReadonlyMap<string, Flag>;
}

/** Who changed a flag and why; written to the audit list. */
export interface ChangeMeta {
  /** Token label, or "admin" for ADMIN_TOKEN, or "guard". */
  readonly who: string;
  readonly why?: string;
}

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
}

/** Called with the new snapshot after every change. */
export type FlagListener = (snapshot: FlagSnapshot, change: FlagChange) => void;

/** A flag store; implementations: memory-store.ts (embedded default, tests). */
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
  /** The most recent changes, newest first, at most `limit` (default 100). */
  audit(limit?: number): Promise<FlagChange[]>;
  close(): Promise<void>;
}

/** Key of a flag in `FlagSnapshot.flags`; a tenant of null means global. */
export function flagKey(routeId: string, tenant: string | null): string {
  return tenant === null ? `*\u0000${routeId}` : `${tenant}\u0000${routeId}`;
}

/** The snapshot a store starts from: no flags, every route on its catalogue default. */
export const EMPTY_SNAPSHOT: FlagSnapshot = Object.freeze({ version: 0, flags: new Map<string, Flag>() });
