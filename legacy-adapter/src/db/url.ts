import { DbError } from './errors.ts';

/** Where a MySQL/MariaDB database lives, parsed from `mysql://user:pass@host:port/db`. */
export interface MysqlTarget {
  kind: 'mysql';
  host: string;
  /** TCP port (default 3306). */
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Where an SQLite database lives: a file path or `:memory:`. */
export interface SqliteTarget {
  kind: 'sqlite';
  path: string;
}

/** A parsed `DATABASE_URL`. */
export type DbTarget = MysqlTarget | SqliteTarget;

/** The embedded default when `DATABASE_URL` is unset (relative to the repository root). */
export const DEFAULT_DATABASE_URL = 'sqlite:var/strangler.sqlite';

const DB_NAME = /^[A-Za-z0-9_$-]{1,64}$/;

/**
 * Parses a database URL. Accepted forms:
 * - `mysql://user:pass@host:port/db` (also `mariadb://`); user and password are URL-decoded;
 * - `sqlite:<path>` (relative to the working directory) or `sqlite:///abs/path`;
 * - `sqlite::memory:`.
 *
 * @throws DbError `DB_URL_INVALID` naming what is wrong (the password is never echoed).
 * @example parseDbUrl('mysql://root@127.0.0.1:3306/mautic') // { kind: 'mysql', port: 3306, … }
 */
export function parseDbUrl(url: string): DbTarget {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new DbError('DB_URL_INVALID', 'The database URL is empty; expected mysql://user:pass@host:port/db or sqlite:<path>');
  }
  if (url.startsWith('sqlite:')) return parseSqlite(url);
  if (url.startsWith('mysql:') || url.startsWith('mariadb:')) return parseMysql(url);
  throw new DbError('DB_URL_INVALID', `Unsupported database URL scheme in "${redact(url)}"; expected mysql:// or sqlite:`, {
    url: redact(url),
  });
}

function parseSqlite(url: string): SqliteTarget {
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('//')) path = path.slice(2);
  if (path === '') throw new DbError('DB_URL_INVALID', 'sqlite: URL without a path; use sqlite:var/strangler.sqlite or sqlite::memory:');
  if (path.includes('\0')) throw new DbError('DB_URL_INVALID', 'sqlite: path contains a NUL byte');
  return { kind: 'sqlite', path };
}

function parseMysql(url: string): MysqlTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch (err) {
    throw new DbError('DB_URL_INVALID', `Malformed MySQL URL "${redact(url)}"`, { url: redact(url) }, err);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const fail = (why: string): never => {
    throw new DbError('DB_URL_INVALID', `Invalid MySQL URL "${redact(url)}": ${why}`, { url: redact(url) });
  };
  if (u.hostname === '') fail('no host');
  if (database === '') fail('no database name after the host (mysql://user:pass@host:port/db)');
  if (!DB_NAME.test(database)) fail(`database name "${database}" has characters other than letters, digits, _ $ -`);
  const port = u.port === '' ? 3306 : Number(u.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`port ${u.port} is out of range`);
  return {
    kind: 'mysql',
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    database,
  };
}

/** The URL with its password replaced by `***`, safe for logs and errors. */
export function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
}
