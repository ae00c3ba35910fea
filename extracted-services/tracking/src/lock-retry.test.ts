/**
 * Which failures `retryOnLockConflict` runs again (README § Lock conflicts): a deadlock (1213)
 * and a lock wait timeout (1205), at most 3 tries in all; never a statement time limit (1969:
 * a dry run's chosen limit) nor any other database error, unless `retryAlso` accepts it. The deadlocks themselves are forced
 * on MariaDB in test/lock-conflict-retry.test.ts.
 */
import { DbError } from '../../../legacy-adapter/src/db/errors.ts';
import { isLockConflict, retryOnLockConflict } from './lock-retry.ts';

const driverError = (code: 'DB_QUERY_FAILED' | 'DB_LOCK_TIMEOUT', errno: number): DbError => new DbError(code, `errno ${errno}`, { errno });

/** A run that fails with `errors` in turn, then answers 'done'; counts its tries. */
function failing(...errors: unknown[]): { run: () => Promise<string>; tries: () => number } {
  let tries = 0;
  return {
    run: async () => {
      tries += 1;
      if (tries <= errors.length) throw errors[tries - 1];
      return 'done';
    },
    tries: () => tries,
  };
}

describe('retryOnLockConflict', () => {
  it('runs a transaction undone by a deadlock or a lock wait timeout again', async () => {
    const f = failing(driverError('DB_QUERY_FAILED', 1213), driverError('DB_LOCK_TIMEOUT', 1205));
    const retried: number[] = [];
    expect(await retryOnLockConflict(f.run, { backoffMs: 1, onRetry: (_, attempt) => retried.push(attempt) })).toBe('done');
    expect([f.tries(), retried]).toEqual([3, [1, 2]]);
  });

  it('throws the last conflict after 3 tries', async () => {
    const last = driverError('DB_QUERY_FAILED', 1213);
    const f = failing(driverError('DB_QUERY_FAILED', 1213), driverError('DB_QUERY_FAILED', 1213), last);
    await expect(retryOnLockConflict(f.run, { backoffMs: 1 })).rejects.toBe(last);
    expect(f.tries()).toBe(3);
  });

  it.each([
    ['a statement time limit (1969)', driverError('DB_LOCK_TIMEOUT', 1969)],
    ['another database error', driverError('DB_QUERY_FAILED', 1054)],
    ['an error of no database', new Error('boom')],
  ])('does not retry %s', async (_, err) => {
    const f = failing(err);
    await expect(retryOnLockConflict(f.run, { backoffMs: 1 })).rejects.toBe(err);
    expect([f.tries(), isLockConflict(err)]).toEqual([1, false]);
  });

  it('runs again another failure that retryAlso accepts, within the same tries, and not onRetry', async () => {
    const stale = driverError('DB_QUERY_FAILED', 1452);
    const f = failing(stale);
    const retried: number[] = [];
    expect(await retryOnLockConflict(f.run, { backoffMs: 1, onRetry: (_, attempt) => retried.push(attempt), retryAlso: (err) => err === stale })).toBe('done');
    expect([f.tries(), retried]).toEqual([2, []]);
    const always = failing(stale, stale, stale);
    await expect(retryOnLockConflict(always.run, { backoffMs: 1, retryAlso: () => true })).rejects.toBe(stale);
    expect(always.tries()).toBe(3);
  });
});
