/**
 * Retrying a whole transaction that MariaDB/MySQL undid for a lock conflict: a deadlock
 * (errno 1213: InnoDB rolled the transaction back to break the cycle) or a lock wait
 * timeout (1205: only the statement is undone, and our transaction wrapper then rolls back
 * the rest). Either way nothing of the attempt is left, so running the same work again is
 * safe: the request's phase 1 (its page hit has no 200 yet) and the worker's batch (its
 * messages are not acknowledged yet). The statement time limit (1969/3024) is not retried:
 * a dry run set it on purpose, to give up rather than wait.
 */
import { isDbError } from '../../../legacy-adapter/src/db/errors.ts';

/** The errnos a retry can get past. */
const LOCK_CONFLICT_ERRNOS = new Set([1205, 1213]);

/** True for a deadlock or lock wait timeout that undid the transaction. */
export function isLockConflict(err: unknown): boolean {
  return isDbError(err) && LOCK_CONFLICT_ERRNOS.has(Number(err.details.errno));
}

/** Options of `retryOnLockConflict`. */
export interface LockRetryOptions {
  /** Tries in all, the first included. Default 3. */
  attempts?: number;
  /** Pause before the n-th retry: a random share of `n × backoffMs` (ms). Default 15. */
  backoffMs?: number;
  /** Told of each conflict that is retried. */
  onRetry?: (err: unknown, attempt: number) => void;
  /** Other failures to run again (at once, within the same `attempts`): true to retry. */
  retryAlso?: (err: unknown) => boolean;
}

/**
 * Runs `run` (one whole transaction) until it does not fail with a lock conflict, at most
 * `attempts` times; the last failure is thrown as it came.
 *
 * @example
 * const answer = await retryOnLockConflict(() => db.transaction((tx) => work(tx)));
 */
export async function retryOnLockConflict<T>(run: () => Promise<T>, options: LockRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 15;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts) throw err;
      if (!isLockConflict(err)) {
        if (options.retryAlso?.(err)) continue;
        throw err;
      }
      options.onRetry?.(err, attempt);
      // Jittered, so the two sides of a deadlock do not meet again in step.
      await new Promise((r) => setTimeout(r, Math.ceil(Math.random() * attempt * backoffMs)));
    }
  }
}
