/**
 * Phase-2 messages whose `page_hits` row is not there (README § Phase 2 and the worker).
 * The service queues a hit's message inside its transaction, before the COMMIT, so a
 * message can reach the worker before its row is committed, or for a row that never will
 * be: the service was killed (or its COMMIT failed) between the XADD and the COMMIT.
 *
 * The batch's locking read already waits for a commit in flight (InnoDB: the inserter
 * holds the new row's lock), so a row still absent almost always belongs to a transaction
 * that rolled back. The worker looks again a few times with a short backoff (in case the
 * commit is slower than the read), then drops what is still absent as an orphan: counted
 * and logged, not dead-lettered. An orphan is not an error to replay: its request was never
 * answered 200 (it answered only after the COMMIT), so no client was told the hit was kept,
 * Mautic's own error answer covers it, and its row cannot appear any more (a rolled-back
 * AUTO_INCREMENT id is not reused). Replaying it from a dead-letter stream would complete
 * nothing.
 */
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import type { TrackingConfig } from '../config.ts';
import { completeHits } from '../domain/hit-batch.ts';
import type { HitCompletion } from '../domain/hit-completion.ts';
import { retryOnLockConflict } from '../lock-retry.ts';

/** Pauses between the looks for a missing row (ms); about 1.5 s in all. */
export const UNSEEN_RETRY_DELAYS_MS: readonly number[] = [50, 100, 200, 400, 750];

/** A message whose row was not there, by its stream id. */
export interface UnseenHit {
  id: string;
  hit: HitCompletion;
}

/** What `settleUnseenHits` needs. */
export interface SettleOptions {
  db: Db;
  config: TrackingConfig;
  delaysMs: readonly number[];
  /** How the worker runs a transaction (its isolation level). */
  transact: <T>(fn: (tx: Db) => Promise<T>) => Promise<T>;
}

/**
 * Looks for the rows again after each delay, completing those that appeared.
 *
 * @returns the ids of the messages completed meanwhile and of the orphans (their rows never appeared).
 */
export async function settleUnseenHits(unseen: readonly UnseenHit[], o: SettleOptions): Promise<{ completed: string[]; orphans: UnseenHit[] }> {
  let waiting = [...unseen];
  const completed: string[] = [];
  for (const delay of o.delaysMs) {
    if (waiting.length === 0) break;
    await new Promise((r) => setTimeout(r, delay));
    const still = await retryOnLockConflict(() => o.transact((tx) => completeHits({ db: tx, config: o.config }, waiting.map((u) => u.hit))));
    const absent = new Set(still.map((h) => h.hitId));
    completed.push(...waiting.filter((u) => !absent.has(u.hit.hitId)).map((u) => u.id));
    waiting = waiting.filter((u) => absent.has(u.hit.hitId));
  }
  return { completed, orphans: waiting };
}
