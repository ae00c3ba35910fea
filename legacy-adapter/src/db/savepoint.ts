import type { Db, TransactionOptions } from './types.ts';

let savepointSeq = 0;

/**
 * A transaction inside a transaction: runs `fn(tx)` between `SAVEPOINT` and `RELEASE`, and
 * rolls back to the savepoint when `fn` throws or `rollbackOnly` is set, leaving the outer
 * transaction usable. Both MySQL and SQLite spell these statements the same way.
 */
export async function withSavepoint<T>(tx: Db, fn: (tx: Db) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const name = `strangler_sp_${++savepointSeq}`;
  await tx.execute(`SAVEPOINT ${name}`);
  let result: T;
  try {
    result = await fn(tx);
  } catch (err) {
    await tx.execute(`ROLLBACK TO SAVEPOINT ${name}`);
    await tx.execute(`RELEASE SAVEPOINT ${name}`);
    throw err;
  }
  if (options.rollbackOnly) await tx.execute(`ROLLBACK TO SAVEPOINT ${name}`);
  await tx.execute(`RELEASE SAVEPOINT ${name}`);
  return result;
}
