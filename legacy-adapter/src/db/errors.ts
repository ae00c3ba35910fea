/**
 * The one error registry of the database layer. Every failure of `openDb`, a
 * driver, `migrate`, a repository or the seed is a `DbError` with one of these
 * codes, the HTTP status a service should answer when it cannot recover, and a
 * human message. Driver errors are kept as `cause`.
 */

/** Code, HTTP status and meaning of each database error. */
export const DB_ERRORS = {
  DB_URL_INVALID: { status: 500, message: 'The database URL is not mysql://user:pass@host:port/db, sqlite:<path> or sqlite::memory:' },
  DB_CONNECT_FAILED: { status: 503, message: 'The database did not accept a connection' },
  DB_CLOSED: { status: 503, message: 'The database handle (or transaction) is already closed' },
  DB_LOCK_TIMEOUT: { status: 503, message: 'Gave up waiting for a row lock or the statement time limit' },
  DB_DUPLICATE_KEY: { status: 409, message: 'A row with the same unique key exists' },
  DB_FOREIGN_KEY: { status: 409, message: 'A foreign key constraint failed' },
  DB_QUERY_FAILED: { status: 500, message: 'The database rejected a statement' },
  DB_TABLE_MISSING: { status: 500, message: 'A statement names a table the database does not have' },
  DB_ROW_INVALID: { status: 500, message: 'A stored row holds a value that cannot be read' },
  DB_INPUT_INVALID: { status: 400, message: 'A value given to the data layer is not valid' },
  DB_SEED_INCOMPLETE: { status: 409, message: 'The tenant was seeded before, but some of its seeded rows are gone' },
  DB_SCHEMA_INVALID: { status: 500, message: 'The schema definition is not valid' },
} as const;

/** One of the registered codes. */
export type DbErrorCode = keyof typeof DB_ERRORS;

/** Structured context of an error (table, row id, column, SQL excerpt…). */
export type DbErrorDetails = Record<string, string | number | boolean | null | undefined>;

/**
 * A database-layer error with a machine-readable `code`, the HTTP `status` to
 * answer with, and `details` for logs.
 *
 * @example
 * throw new DbError('DB_ROW_INVALID', 'leads #3: internal is not PHP-serialized', { table: 'leads', id: 3, column: 'internal' });
 */
export class DbError extends Error {
  readonly code: DbErrorCode;
  readonly status: number;
  readonly details: DbErrorDetails;

  constructor(code: DbErrorCode, message?: string, details: DbErrorDetails = {}, cause?: unknown) {
    super(message ?? DB_ERRORS[code].message, cause === undefined ? undefined : { cause });
    this.name = 'DbError';
    this.code = code;
    this.status = DB_ERRORS[code].status;
    this.details = details;
  }
}

/** True when `err` is a DbError, optionally with the given code. */
export function isDbError(err: unknown, code?: DbErrorCode): err is DbError {
  return err instanceof DbError && (code === undefined || err.code === code);
}

/** First 200 characters of a statement, for error details. */
export function sqlExcerpt(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
