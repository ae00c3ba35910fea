import { openMysql, type MysqlOptions } from './mysql-driver.ts';
import { checkPrefix } from './params.ts';
import { openSqlite } from './sqlite-driver.ts';
import type { Db } from './types.ts';
import { parseDbUrl } from './url.ts';

/** Options of `openDb`. */
export interface OpenDbOptions extends MysqlOptions {
  /**
   * Mautic's `db_table_prefix` (docs/mautic/schema.md §0.2), e.g. `mt_`. Default: the
   * `MAUTIC_TABLE_PREFIX` environment variable, else ''.
   */
  prefix?: string;
}

/**
 * Opens the Mautic database named by `url`:
 * - `mysql://user:pass@host:port/db` — a mysql2 pool (production, MariaDB or MySQL);
 * - `sqlite:<path>` or `sqlite::memory:` — `node:sqlite`, the embedded default.
 *
 * The handle is ready when the promise resolves (MySQL answered, the SQLite file opened).
 *
 * @throws DbError `DB_URL_INVALID` for a malformed URL, `DB_CONNECT_FAILED` when the database cannot be reached.
 * @example
 * const db = await openDb(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, { prefix: 'mt_' });
 * const rows = await db.query(`SELECT id, email FROM ${db.table('leads')} WHERE id = ?`, [1]);
 */
export async function openDb(url: string, options: OpenDbOptions = {}): Promise<Db> {
  const target = parseDbUrl(url);
  const prefix = checkPrefix(options.prefix ?? process.env.MAUTIC_TABLE_PREFIX ?? '');
  if (target.kind === 'sqlite') return openSqlite(target, prefix);
  return openMysql(target, prefix, options);
}
