/**
 * How a test sees that another process's transaction waits for a lock it holds: the
 * transactions that `SHOW ENGINE INNODB STATUS` lists as waiting for a lock of one table.
 *
 * Not `information_schema.INNODB_TRX` (nor INNODB_LOCKS / INNODB_LOCK_WAITS): InnoDB fills
 * those from one cache for the whole server, refreshed only when no session has read it for
 * 100 ms. A test that polls it more often than that (or two test files polling at once) reads
 * the snapshot of its first poll for ever, and a waiter that began after that poll never shows
 * (MySQL bug #48883; MariaDB 10.11 still behaves so). The monitor's text is built at each call.
 *
 * @example
 * await until(() => lockWaitsOn((sql) => db.query(sql), 'strangler_t_ab12', 'page_redirects'), (n) => n > 0);
 */

/** Runs one SQL statement and returns its rows (a `Db`'s `query`, or mysql2's `query` unwrapped). */
export type RunSql = (sql: string) => Promise<readonly Record<string, unknown>[]>;

const WAITING = 'FOR THIS LOCK TO BE GRANTED:\n';

/**
 * The transactions of an InnoDB monitor text that wait for a row or table lock of
 * `database`.`table`.
 */
export function lockWaitsInStatus(status: string, database: string, table: string): number {
  const name = `\`${database}\`.\`${table}\``;
  let waits = 0;
  for (const transaction of status.split('\n---TRANSACTION ').slice(1)) {
    const at = transaction.indexOf(WAITING);
    if (at < 0) continue;
    // The line after the header names the lock waited for: `RECORD LOCKS … of table `db`.`t` …` or `TABLE LOCK table `db`.`t` …`.
    const lock = transaction.slice(at + WAITING.length).split('\n', 1)[0]!;
    if (lock.includes(name)) waits += 1;
  }
  return waits;
}

/** How many transactions wait, right now, for a lock of `database`.`table` (needs the PROCESS privilege). */
export async function lockWaitsOn(run: RunSql, database: string, table: string): Promise<number> {
  const [row] = await run('SHOW ENGINE INNODB STATUS');
  const status = row?.Status ?? row?.status;
  if (typeof status !== 'string') throw new Error(`SHOW ENGINE INNODB STATUS returned no Status column: ${JSON.stringify(row)}`);
  return lockWaitsInStatus(status, database, table);
}
