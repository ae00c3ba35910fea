/**
 * The one database interface of the project. Both drivers implement it:
 * MySQL/MariaDB through mysql2 (production, `DATABASE_URL=mysql://…`) and
 * `node:sqlite` (the embedded default). Repositories in `legacy-adapter/src/data/`
 * take a `Db` and never know which driver is behind it.
 *
 * Conventions every driver keeps, so repositories can write one SQL text:
 * - placeholders are `?`;
 * - table names always go through `db.table('leads')`, which adds the Mautic
 *   table prefix (`db_table_prefix`, docs/mautic/schema.md §0.2);
 * - DATETIME values are written and read as UTC strings `YYYY-MM-DD HH:MM:SS`
 *   (Mautic's UTCDateTimeType, no fractional seconds);
 * - BIGINT ids come back as JS numbers (Mautic ids stay far below 2^53).
 */

/** A value that can be bound to a `?` placeholder. */
export type SqlValue = string | number | bigint | boolean | null | Uint8Array;

/** One result row, keyed by column name. */
export type Row = Record<string, unknown>;

/** What a write statement reports. */
export interface ExecResult {
  /** AUTO_INCREMENT id of the inserted row (0 when none). */
  insertId: number;
  /** Rows changed by the statement. */
  affectedRows: number;
}

/** Options of a transaction. */
export interface TransactionOptions {
  /**
   * Roll back instead of committing once `fn` resolves. This is how dry runs
   * (shadow requests, docs/architecture.md §5) do all their work and leave no trace.
   */
  rollbackOnly?: boolean;
  /**
   * Lock-wait and statement timeout in ms (MySQL only; docs/architecture.md §5 asks for a few hundred).
   * MariaDB: `max_statement_time` = ms and `innodb_lock_wait_timeout` = ceil(ms / 1000) s;
   * MySQL: `innodb_lock_wait_timeout` (whole seconds, at least 1) and `max_execution_time`.
   * Restored to the server defaults after the transaction. A statement that runs out of
   * time fails with `DbError` code `DB_LOCK_TIMEOUT`. Ignored by SQLite and by nested calls.
   */
  lockWaitTimeoutMs?: number;
  /**
   * Isolation level of this transaction (default: the server's, REPEATABLE READ on MySQL).
   * Dry runs use `'read-committed'` (docs/architecture.md §5). SQLite is always serializable; ignored there.
   */
  isolationLevel?: 'read-committed' | 'repeatable-read';
}

/** A connection pool (or, inside `transaction`, one connection) to the Mautic database. */
export interface Db {
  /** Which SQL dialect is behind this handle. */
  readonly dialect: 'mysql' | 'sqlite';
  /** The Mautic table prefix in use ('' by default). */
  readonly prefix: string;
  /** Prefixed table name, e.g. `table('leads')` → `mt_leads` with prefix `mt_`. */
  table(name: string): string;
  /** Runs a SELECT and returns its rows. */
  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs an INSERT/UPDATE/DELETE/DDL statement. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<ExecResult>;
  /**
   * A write whose result nobody reads. Inside a MySQL transaction it is held and sent ahead of
   * the transaction's next statement, or with its COMMIT, in the same round trip; its error
   * then fails that statement (or the COMMIT), and so the transaction, as it would have failed
   * here. Anywhere else it runs at once, as `execute`.
   */
  executeLater(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /**
   * Runs `fn` inside one transaction on one connection; commits unless it throws or `rollbackOnly`.
   * Called on a transaction handle, it nests through a SAVEPOINT. On SQLite (one connection)
   * transactions are serialised, and plain queries wait while a transaction is open.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Closes the pool or file. */
  close(): Promise<void>;
}
