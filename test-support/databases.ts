/**
 * Fresh, isolated Mautic databases for tests, of three kinds:
 * - `sqlite`: a temporary SQLite file, migrated;
 * - `mysql`: a uniquely named MariaDB database on the test server, migrated;
 * - `real-mautic`: a uniquely named MariaDB database holding the schema of a real Mautic 5
 *   install (../shared/reference/mautic5-schema-mariadb.sql, all 98 tables), never migrated.
 * Test files run in parallel, so no two share a database.
 *
 * @example
 * forEachDialect('contacts repository', (getDb) => {
 *   it('inserts a contact', async () => { const db = getDb(); … });
 * }, { realMautic: true });
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { migrate } from '../legacy-adapter/src/db/migrate.ts';
import { openDb } from '../legacy-adapter/src/db/open.ts';
import type { Db } from '../legacy-adapter/src/db/types.ts';
import { loadRealMauticSchema } from './real-mautic-schema.ts';
import { describeWithMysql, testDatabaseUrl } from './services.ts';

/** Which database a test runs on (see the file header). */
export type TestDbKind = 'sqlite' | 'mysql' | 'real-mautic';

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
  /**
   * Run `migrate` (default true); false gives an empty database. `real-mautic` databases are
   * never migrated: they hold Mautic's own tables, as an install would, and nothing of ours.
   */
  migrate?: boolean;
}

/**
 * Creates a database — SQLite: a file in a new temp folder; `mysql` and `real-mautic`:
 * `strangler_t_<random>` on the server of `testDatabaseUrl` — migrated unless `migrate: false`,
 * or, for `real-mautic`, loaded with the real Mautic 5 schema (tables named with `prefix`).
 *
 * @throws Error for `mysql` / `real-mautic` when no MariaDB answered (wrap the suite in
 *   describeWithMysql), or when ../shared/reference holds no schema file.
 */
export async function createTestDb(kind: TestDbKind, options: TestDbOptions = {}): Promise<TestDb> {
  const prefix = options.prefix ?? '';
  const made = kind === 'sqlite' ? makeSqlite() : await makeMysql();
  let db: Db;
  try {
    if (kind === 'real-mautic') await loadRealMauticSchema(made.url, prefix);
    db = await openDb(made.url, { prefix });
    if (kind !== 'real-mautic' && options.migrate !== false) await migrate(db);
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

/** How long `forEachDialect` waits for a test database to be made (the tests' own timeout is 20 s). */
const DB_CREATION_TIMEOUT_MS = 90_000;

/** Options of `forEachDialect`. */
export interface ForEachDialectOptions extends TestDbOptions {
  /**
   * Also run the block on MariaDB holding the real Mautic 5 schema (`real-mautic`), as
   * `<name> (real Mautic 5 schema[, prefix p])`: `true` runs it once with `prefix`; a list of
   * table prefixes runs it once per prefix (e.g. `['', 'mt_']`). Default false.
   */
  realMautic?: boolean | readonly string[];
}

/**
 * Runs the same describe block on SQLite (always), on MariaDB (when it answers) and, with
 * `realMautic: true`, on MariaDB holding a real Mautic 5 schema; each gets a fresh database
 * made in beforeAll and dropped in afterAll. `getDb()` returns the handle of the database
 * being run, `kind` says which it is.
 */
export function forEachDialect(name: string, fn: (getDb: () => Db, kind: TestDbKind) => void, options: ForEachDialectOptions = {}): void {
  const { realMautic, ...dbOptions } = options;
  const block = (kind: TestDbKind, prefix = dbOptions.prefix) => () => {
    let testDb: TestDb | undefined;
    // Creating 31 (or, for the real schema, 98) tables takes seconds on a loaded machine.
    beforeAll(async () => {
      testDb = await createTestDb(kind, { ...dbOptions, prefix });
    }, DB_CREATION_TIMEOUT_MS);
    afterAll(async () => {
      await testDb?.drop();
    });
    fn(() => {
      if (!testDb) throw new Error(`The ${kind} test database was not created (see beforeAll)`);
      return testDb.db;
    }, kind);
  };
  describe(`${name} (sqlite)`, block('sqlite'));
  describeWithMysql(`${name} (mariadb)`, block('mysql'));
  const realPrefixes = realMautic === true ? [dbOptions.prefix ?? ''] : realMautic || [];
  for (const prefix of realPrefixes) {
    describeWithMysql(`${name} (real Mautic 5 schema${prefix ? `, prefix ${prefix}` : ''})`, block('real-mautic', prefix));
  }
}
