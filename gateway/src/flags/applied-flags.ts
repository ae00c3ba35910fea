/**
 * The flag snapshot the pipeline reads. It follows a store: the first snapshot
 * is applied once the store is ready, and every change swaps the whole
 * snapshot, so a request sees one consistent version and never waits.
 */
import { EMPTY_SNAPSHOT, type FlagSnapshot, type FlagStore } from './store.ts';

/** The last applied snapshot of a store. */
export interface AppliedFlags {
  /** The snapshot to resolve with; the catalogue defaults until the store is ready. */
  current(): FlagSnapshot;
  /** True once a snapshot from the store was applied (readiness, docs/architecture.md §7). */
  readonly applied: boolean;
  /** Resolves when the first snapshot is applied; rejects when the store failed to become ready. */
  readonly firstApplied: Promise<void>;
  /** Stops following the store. */
  stop(): void;
}

/**
 * Follows `store`.
 *
 * @param onApplied - called with each applied snapshot (for the log line).
 * @example
 * const flags = followFlagStore(store);
 * resolve({ ..., snapshot: flags.current() });
 */
export function followFlagStore(store: FlagStore, onApplied: (s: FlagSnapshot) => void = () => undefined): AppliedFlags {
  let snapshot = EMPTY_SNAPSHOT;
  let applied = false;
  let stopped = false;
  const apply = (next: FlagSnapshot): void => {
    if (stopped) return;
    snapshot = next;
    applied = true;
    onApplied(next);
  };
  const unsubscribe = store.subscribe((next) => apply(next));
  const firstApplied = store.ready().then(() => {
    // A change may have arrived through subscribe first; never go back to an older version.
    if (!applied || store.snapshot().version > snapshot.version) apply(store.snapshot());
  });
  // Seen by whoever awaits firstApplied; this only keeps an unwatched failure from crashing the process.
  firstApplied.catch(() => undefined);
  return {
    current: () => snapshot,
    get applied() {
      return applied;
    },
    firstApplied,
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
