import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { DbError, sqlExcerpt } from './errors.ts';
import { normaliseParams, prefixedTable } from './params.ts';
import { withSavepoint } from './savepoint.ts';
import type { Db, ExecResult, Row, SqlValue, TransactionOptions } from './types.ts';
import type { SqliteTarget } from './url.ts';

/** Prepared statements kept per connection before the cache is emptied. */
const STATEMENT_CACHE_SIZE = 500;
/** How long SQLite waits for another process's write lock (ms). */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens an SQLite database through `node:sqlite` (one synchronous connection) behind the
 * async `Db` facade: WAL journal, foreign keys enforced (Mautic's ON DELETE rules), and a
 * queue so a transaction owns the connection until it ends — plain queries and other
 * transactions issued meanwhile wait for it instead of running inside it.
 *
 * @throws DbError `DB_CONNECT_FAILED` when the file cannot be opened or created.
 */
export function openSqlite(target: SqliteTarget, prefix: string): Db {
  const conn = connect(target.path);
  const cache = new Map<string, StatementSync>();
  const gate = createGate();
  let closed = false;

  const prepare = (sql: string): StatementSync => {
    let stmt = cache.get(sql);
    if (stmt === undefined) {
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
      stmt = conn.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
  const runQuery = <T extends Row>(sql: string, params?: readonly SqlValue[]): T[] =>
    guard(sql, () => prepare(sql).all(...normaliseParams(params)).map((r) => ({ ...r }) as T));
  const runExecute = (sql: string, params?: readonly SqlValue[]): ExecResult =>
    guard(sql, () => {
      const r = prepare(sql).run(...normaliseParams(params));
      const inserted = /^\s*(insert|replace)\b/i.test(sql);
      return { insertId: inserted ? Number(r.lastInsertRowid) : 0, affectedRows: Number(r.changes) };
    });
  const ensureOpen = (): void => {
    if (closed) throw new DbError('DB_CLOSED', `SQLite database ${target.path} is closed`);
  };

  const db: Db = {
    dialect: 'sqlite',
    prefix,
    table: (name) => prefixedTable(prefix, name),
    async query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]) {
      ensureOpen();
      return gate.busy() ? gate.run(() => runQuery<T>(sql, params)) : runQuery<T>(sql, params);
    },
    async execute(sql, params) {
      ensureOpen();
      return gate.busy() ? gate.run(() => runExecute(sql, params)) : runExecute(sql, params);
    },
    async executeLater(sql, params) {
      await db.execute(sql, params);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>, options?: TransactionOptions) {
      ensureOpen();
      return gate.run(() => runTransaction(fn, options));
    },
    async close() {
      if (closed) return;
      await gate.run(() => undefined);
      closed = true;
      cache.clear();
      conn.close();
    },
  };

  async function runTransaction<T>(fn: (tx: Db) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    let done = false;
    const live = (): void => {
      if (done) throw new DbError('DB_CLOSED', 'This transaction has already ended');
    };
    const tx: Db = {
      dialect: 'sqlite',
      prefix,
      table: db.table,
      query: async <R extends Row = Row>(sql: string, params?: readonly SqlValue[]) => (live(), runQuery<R>(sql, params)),
      execute: async (sql, params) => (live(), runExecute(sql, params)),
      executeLater: async (sql, params) => void (live(), runExecute(sql, params)),
      transaction: (inner, innerOptions) => (live(), withSavepoint(tx, inner, innerOptions)),
      close: async () => undefined,
    };
    runExecute('BEGIN IMMEDIATE');
    try {
      const result = await fn(tx);
      done = true;
      runExecute(options.rollbackOnly ? 'ROLLBACK' : 'COMMIT');
      return result;
    } catch (err) {
      done = true;
      if (conn.isTransaction) runExecute('ROLLBACK');
      throw err;
    }
  }

  return db;
}

function connect(path: string): DatabaseSync {
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const conn = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
    if (path !== ':memory:') conn.exec('PRAGMA journal_mode = WAL');
    conn.exec('PRAGMA foreign_keys = ON');
    return conn;
  } catch (err) {
    throw new DbError('DB_CONNECT_FAILED', `Cannot open SQLite database ${path}: ${(err as Error).message}`, { path }, err);
  }
}

/** Runs `fn`, turning node:sqlite errors into coded DbErrors. */
function guard<T>(sql: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toDbError(err, sql);
  }
}

function toDbError(err: unknown, sql: string): DbError {
  if (err instanceof DbError) return err;
  const e = err as { code?: string; errcode?: number; message?: string };
  const details = { sql: sqlExcerpt(sql), driverCode: e.errcode ?? e.code ?? null };
  const message = e.message ?? String(err);
  if (e.code === 'ERR_OUT_OF_RANGE') return new DbError('DB_ROW_INVALID', `A value is out of range: ${message}`, details, err);
  const primary = (e.errcode ?? 0) & 0xff;
  if (e.errcode === 2067 || e.errcode === 1555) return new DbError('DB_DUPLICATE_KEY', message, details, err);
  if (e.errcode === 787) return new DbError('DB_FOREIGN_KEY', message, details, err);
  // SQLITE_ERROR is generic; the missing-table case is only told apart by its text.
  if (e.errcode === 1 && /^no such table\b/.test(message)) return new DbError('DB_TABLE_MISSING', message, details, err);
  if (primary === 5 || primary === 6) return new DbError('DB_LOCK_TIMEOUT', message, details, err);
  return new DbError('DB_QUERY_FAILED', message, details, err);
}

/** A FIFO lock over the single connection: at most one holder; others queue. */
function createGate(): { busy(): boolean; run<T>(fn: () => T | Promise<T>): Promise<T> } {
  let held = false;
  const waiters: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (!held) {
      held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiters.push(resolve));
  };
  const release = (): void => {
    const next = waiters.shift();
    if (next) next();
    else held = false;
  };
  return {
    busy: () => held,
    async run(fn) {
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
