/**
 * Fresh, isolated Mautic databases for tests: a temporary SQLite file, or a uniquely named
 * MariaDB database on the test server (test files run in parallel, so none share one).
 *
 * @example
 * forEachDialect('contacts repository', (getDb) => {
 *   it('inserts a contact', async () => { const db = getDb(); … });
 * });
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { migrate } from '../legacy-adapter/src/db/migrate.ts';
import { openDb } from '../legacy-adapter/src/db/open.ts';
import type { Db } from '../legacy-adapter/src/db/types.ts';
import { describeWithMysql, testDatabaseUrl } from './services.ts';

/** A test database and how to get rid of it. */
export interface TestDb {
  db: Db;
  /** URL that opens the same database again (e.g. for a service under test). */
  url: string;
  /** Closes `db` and deletes the file / drops the database. Safe to call twice. */
  drop(): Promise<void>;
}

/** Options of `createTestDb`. */
export interface TestDbOptions {
  /** Mautic table prefix (default ''). */
  prefix?: string;
  /** Run `migrate` (default true); false gives an empty database. */
  migrate?: boolean;
}

/**
 * Creates an empty database — SQLite: a file in a new temp folder; MySQL: `strangler_t_<random>`
 * on the server of `testDatabaseUrl` — and migrates it unless `migrate: false`.
 *
 * @throws Error for `mysql` when no MariaDB answered (wrap the suite in describeWithMysql).
 */
export async function createTestDb(kind: 'sqlite' | 'mysql', options: TestDbOptions = {}): Promise<TestDb> {
  const made = kind === 'sqlite' ? makeSqlite() : await makeMysql();
  let db: Db;
  try {
    db = await openDb(made.url, { prefix: options.prefix ?? '' });
    if (options.migrate !== false) await migrate(db);
  } catch (err) {
    await made.remove();
    throw err;
  }
  let dropped = false;
  return {
    db,
    url: made.url,
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.close();
      await made.remove();
    },
  };
}

function makeSqlite(): { url: string; remove(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'strangler-db-'));
  return { url: `sqlite:${join(dir, 'mautic.sqlite')}`, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** `testDatabaseUrl` with its database name replaced, plus a connection to the server. */
export async function makeMysql(name = `strangler_t_${randomBytes(6).toString('hex')}`): Promise<{ url: string; name: string; remove(): Promise<void> }> {
  if (!testDatabaseUrl) throw new Error('No MariaDB answered; wrap this suite in describeWithMysql');
  const server = new URL(testDatabaseUrl);
  const admin = await createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username) || 'root',
    password: decodeURIComponent(server.password),
  });
  try {
    await admin.query(`CREATE DATABASE \`${name}\` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  server.pathname = `/${name}`;
  return {
    url: server.toString(),
    name,
    async remove() {
      const again = await createConnection({
        host: server.hostname,
        port: Number(server.port || 3306),
        user: decodeURIComponent(server.username) || 'root',
        password: decodeURIComponent(server.password),
      });
      try {
        await again.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await again.end();
      }
    },
  };
}

/**
 * Runs the same describe block on SQLite (always) and on MariaDB (when it answers), each
 * with a fresh migrated database made in beforeAll and dropped in afterAll.
 * `getDb()` returns the handle of the dialect being run.
 */
export function forEachDialect(name: string, fn: (getDb: () => Db) => void, options: TestDbOptions = {}): void {
  const block = (kind: 'sqlite' | 'mysql') => () => {
    let testDb: TestDb | undefined;
    beforeAll(async () => {
      testDb = await createTestDb(kind, options);
    });
    afterAll(async () => {
      await testDb?.drop();
    });
    fn(() => {
      if (!testDb) throw new Error(`The ${kind} test database was not created (see beforeAll)`);
      return testDb.db;
    });
  };
  describe(`${name} (sqlite)`, block('sqlite'));
  describeWithMysql(`${name} (mariadb)`, block('mysql'));
}
