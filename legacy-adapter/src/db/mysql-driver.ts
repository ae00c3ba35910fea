import { createPool, type Pool, type PoolConnection, type ResultSetHeader } from 'mysql2/promise';
import { DbError, sqlExcerpt } from './errors.ts';
import { normaliseParams, prefixedTable } from './params.ts';
import { withSavepoint } from './savepoint.ts';
import type { Db, ExecResult, Row, SqlValue, TransactionOptions } from './types.ts';
import { redact, type MysqlTarget } from './url.ts';

/** Pool options of the MySQL driver. */
export interface MysqlOptions {
  /** Connections in the pool (default 10). */
  connectionLimit?: number;
  /** TCP connect timeout in ms (default 5000). */
  connectTimeoutMs?: number;
}

type Runner = Pick<Pool, 'query'> | Pick<PoolConnection, 'query'>;

/**
 * Opens a mysql2 pool and checks it answers. Rows come back the way the project's `Db`
 * promises: DATETIME as `YYYY-MM-DD HH:MM:SS` strings (`dateStrings`), BIGINT as numbers
 * (strings only beyond 2^53), JSON as text, utf8mb4 throughout.
 *
 * @throws DbError `DB_CONNECT_FAILED` when the server, the credentials or the database are wrong.
 */
export async function openMysql(target: MysqlTarget, prefix: string, options: MysqlOptions = {}): Promise<Db> {
  const pool = createPool({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    jsonStrings: true,
    connectionLimit: options.connectionLimit ?? 10,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    // A transaction sends its START TRANSACTION, and writes held by `executeLater`, in the same
    // round trip as its next statement (see runTransaction). Every statement of the project binds
    // its values as `?` and checks the identifiers it splices in (params.ts).
    multipleStatements: true,
    // mysql2 otherwise captures a stack trace on every query (~5 % of a tracking hit's CPU);
    // a failure is reported with its SQL (toDbError), which says where it came from.
    trace: false,
  });
  let mariadb: boolean;
  try {
    const [rows] = await pool.query('SELECT VERSION() AS v');
    mariadb = String((rows as Row[])[0]?.v ?? '').includes('MariaDB');
  } catch (err) {
    await pool.end().catch(() => undefined);
    const where = `${target.user}@${target.host}:${target.port}/${target.database}`;
    throw new DbError('DB_CONNECT_FAILED', `Cannot connect to MySQL ${redact(where)}: ${(err as Error).message}`, { host: target.host, port: target.port, database: target.database }, err);
  }
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new DbError('DB_CLOSED', `MySQL pool for ${target.database} is closed`);
  };
  const table = (name: string): string => prefixedTable(prefix, name);

  const db: Db = {
    dialect: 'mysql',
    prefix,
    table,
    query: async <T extends Row = Row>(sql: string, params?: readonly SqlValue[]) => (ensureOpen(), runQuery<T>(pool, sql, params)),
    execute: async (sql, params) => (ensureOpen(), runExecute(pool, sql, params)),
    executeLater: async (sql, params) => void (ensureOpen(), await runExecute(pool, sql, params)),
    async transaction<T>(fn: (tx: Db) => Promise<T>, txOptions: TransactionOptions = {}) {
      ensureOpen();
      let conn: PoolConnection;
      try {
        conn = await pool.getConnection();
      } catch (err) {
        throw new DbError('DB_CONNECT_FAILED', `No MySQL connection for a transaction: ${(err as Error).message}`, {}, err);
      }
      return runTransaction(conn, fn, txOptions);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };

  async function runTransaction<T>(conn: PoolConnection, fn: (tx: Db) => Promise<T>, o: TransactionOptions): Promise<T> {
    let done = false;
    const live = (): void => {
      if (done) throw new DbError('DB_CLOSED', 'This transaction has already ended');
    };
    // Statements not sent yet: the isolation level and START TRANSACTION, then the writes of
    // `executeLater`. They go ahead of the next statement in one multi-statement round trip; the
    // server runs them in order and stops at the first error, which then fails that statement.
    const opening: Statement[] = o.isolationLevel
      ? [{ sql: `SET TRANSACTION ISOLATION LEVEL ${o.isolationLevel === 'read-committed' ? 'READ COMMITTED' : 'REPEATABLE READ'}` }, { sql: 'START TRANSACTION' }]
      : [{ sql: 'START TRANSACTION' }];
    const held: Statement[] = [...opening];
    let heldWrites = 0;
    let begun = false;
    // The error of a round trip that carried held writes: which statement failed is not known,
    // so a caller that recovers from its own statement's error must not go on without them.
    let lostWrites: unknown;
    const send = async <R>(sql: string, params?: readonly SqlValue[]): Promise<R> => {
      if (lostWrites !== undefined) throw lostWrites;
      if (held.length === 0) return runStatement<R>(conn, sql, params);
      begun = true;
      const writes = heldWrites;
      heldWrites = 0;
      try {
        return await runStatements<R>(conn, [...held.splice(0), { sql, params }]);
      } catch (err) {
        if (writes > 0) lostWrites = err;
        throw err;
      }
    };
    const tx: Db = {
      dialect: 'mysql',
      prefix,
      table,
      query: async <R extends Row = Row>(sql: string, params?: readonly SqlValue[]) => (live(), send<R[]>(sql, params)),
      execute: async (sql, params) => (live(), execResult(await send<ResultSetHeader>(sql, params))),
      async executeLater(sql, params) {
        live();
        held.push({ sql, params });
        heldWrites += 1;
      },
      transaction: (inner, innerOptions) => (live(), withSavepoint(tx, inner, innerOptions)),
      close: async () => undefined,
    };
    let healthy = true;
    const rollback = async (): Promise<void> => {
      held.length = 0;
      heldWrites = 0;
      if (begun) await runExecute(conn, 'ROLLBACK').catch(() => (healthy = false));
    };
    try {
      await applySessionLimits(conn, o, mariadb);
      let result: T;
      try {
        result = await fn(tx);
      } catch (err) {
        done = true;
        await rollback();
        throw err;
      }
      done = true;
      // Nothing sent and nothing held: the transaction never reached the server.
      if (!begun && held.length === opening.length) return result;
      try {
        // A dry run sends its held writes too: it must meet their locks and errors.
        await send(o.rollbackOnly ? 'ROLLBACK' : 'COMMIT');
      } catch (err) {
        // A held write failed before the COMMIT ran: the transaction is still open.
        await rollback();
        throw err;
      }
      return result;
    } finally {
      done = true;
      if (healthy && o.lockWaitTimeoutMs !== undefined) await resetSessionLimits(conn, mariadb).catch(() => (healthy = false));
      if (healthy) conn.release();
      else conn.destroy();
    }
  }

  return db;
}

async function applySessionLimits(conn: PoolConnection, o: TransactionOptions, mariadb: boolean): Promise<void> {
  const ms = o.lockWaitTimeoutMs;
  if (ms === undefined) return;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new DbError('DB_INPUT_INVALID', `lockWaitTimeoutMs must be a positive number of ms, got ${ms}`);
  }
  // InnoDB counts lock waits in whole seconds; the statement limit gives the sub-second bound.
  const lockSeconds = Math.max(1, Math.ceil(ms / 1000));
  const statementLimit = mariadb ? `max_statement_time = ${ms / 1000}` : `max_execution_time = ${Math.ceil(ms)}`;
  await runExecute(conn, `SET SESSION innodb_lock_wait_timeout = ${lockSeconds}, SESSION ${statementLimit}`);
}

async function resetSessionLimits(conn: PoolConnection, mariadb: boolean): Promise<void> {
  const statementLimit = mariadb ? 'max_statement_time' : 'max_execution_time';
  await runExecute(conn, `SET SESSION innodb_lock_wait_timeout = DEFAULT, SESSION ${statementLimit} = DEFAULT`);
}

/** A statement and its `?` values. */
interface Statement {
  sql: string;
  params?: readonly SqlValue[];
}

async function runStatement<R>(runner: Runner, sql: string, params?: readonly SqlValue[]): Promise<R> {
  try {
    const [result] = await runner.query(sql, normaliseParams(params));
    return result as R;
  } catch (err) {
    throw toDbError(err, sql);
  }
}

/** Several statements in one round trip; the last one's result. */
async function runStatements<R>(runner: Runner, statements: readonly Statement[]): Promise<R> {
  if (statements.length === 1) return runStatement<R>(runner, statements[0]!.sql, statements[0]!.params);
  const sql = statements.map((s) => s.sql).join(';\n');
  try {
    const [results] = await runner.query(sql, statements.flatMap((s) => normaliseParams(s.params)));
    return (results as unknown[])[statements.length - 1] as R;
  } catch (err) {
    throw toDbError(err, sql);
  }
}

function execResult(header: ResultSetHeader): ExecResult {
  return { insertId: Number(header.insertId ?? 0), affectedRows: Number(header.affectedRows ?? 0) };
}

function runQuery<T extends Row>(runner: Runner, sql: string, params?: readonly SqlValue[]): Promise<T[]> {
  return runStatement<T[]>(runner, sql, params);
}

async function runExecute(runner: Runner, sql: string, params?: readonly SqlValue[]): Promise<ExecResult> {
  return execResult(await runStatement<ResultSetHeader>(runner, sql, params));
}

const LOCK_ERRNOS = new Set([1205, 1969, 3024]);
const FK_ERRNOS = new Set([1216, 1217, 1451, 1452]);
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'EPIPE']);

function toDbError(err: unknown, sql: string): DbError {
  if (err instanceof DbError) return err;
  const e = err as { errno?: number; code?: string; message?: string };
  const details = { sql: sqlExcerpt(sql), driverCode: e.code ?? null, errno: e.errno ?? null };
  const message = e.message ?? String(err);
  if (e.errno === 1062) return new DbError('DB_DUPLICATE_KEY', message, details, err);
  if (e.errno === 1146) return new DbError('DB_TABLE_MISSING', message, details, err);
  if (e.errno !== undefined && FK_ERRNOS.has(e.errno)) return new DbError('DB_FOREIGN_KEY', message, details, err);
  if (e.errno !== undefined && LOCK_ERRNOS.has(e.errno)) return new DbError('DB_LOCK_TIMEOUT', message, details, err);
  if (e.code !== undefined && CONNECTION_CODES.has(e.code)) return new DbError('DB_CONNECT_FAILED', message, details, err);
  return new DbError('DB_QUERY_FAILED', message, details, err);
}
