/**
 * Where diff records are kept (docs/architecture.md §6): one interface, two
 * bounded stores — memory when embedded (memory-diff-store.ts), Redis in
 * production (redis-diff-store.ts) — checked by one contract suite
 * (diff-store.test.ts).
 */
import type { GatewayError } from '../errors.ts';
import type { DiffRecord, StoredDiffRecord } from './diff-record.ts';

/** Which records to list. */
export interface DiffQuery {
  /** Only this route's records; all routes when absent. */
  readonly routeId?: string;
  /** Only this tenant's records; all tenants when absent. */
  readonly tenant?: string;
  /** At most this many, newest first; 0 or less gives none. */
  readonly limit: number;
  /** Newest records skipped first (a page's start); default 0. */
  readonly offset?: number;
}

/** The page `query` asks for, out of records sorted newest first. */
export function pageOf<T extends { readonly record: StoredDiffRecord }>(sorted: readonly T[], query: DiffQuery): StoredDiffRecord[] {
  const offset = Math.max(0, query.offset ?? 0);
  const wanted = query.tenant === undefined ? sorted : sorted.filter((e) => e.record.tenant === query.tenant);
  return wanted.slice(offset, offset + query.limit).map((e) => e.record);
}

/** A bounded store of diff records. */
export interface DiffStore {
  /**
   * Keeps a record, evicting the route's oldest beyond `maxRecordsPerRoute`. Never
   * rejects: a record the store cannot take is dropped, counted and reported to `onError`.
   */
  add(record: DiffRecord): Promise<void>;
  /**
   * Records newest first (by `at`, then by arrival).
   *
   * @throws GatewayError `GW_ERR_DIFF_STORE_UNAVAILABLE` when the store cannot be read.
   */
  list(query: DiffQuery): Promise<StoredDiffRecord[]>;
  /**
   * One record, or undefined when the route has no record with that id.
   *
   * @throws GatewayError `GW_ERR_DIFF_STORE_UNAVAILABLE` when the store cannot be read.
   */
  get(routeId: string, id: string): Promise<StoredDiffRecord | undefined>;
  /** Records dropped because the store could not take them, since start. */
  dropped(): number;
}

/** Settings every store takes. */
export interface DiffStoreOptions {
  /** Records kept per route (`comparison.store.maxRecordsPerRoute`). */
  readonly maxRecordsPerRoute: number;
  /** Told about every dropped record and every invalid record read back, for the log. */
  readonly onError?: (error: GatewayError) => void;
}

/** Newest first: later `at`, then later arrival (`order`, larger is later). */
export function newestFirst<T extends { readonly record: StoredDiffRecord; readonly order: number }>(a: T, b: T): number {
  if (a.record.at !== b.record.at) return a.record.at < b.record.at ? 1 : -1;
  return b.order - a.order;
}
