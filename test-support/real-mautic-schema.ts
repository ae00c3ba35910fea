/**
 * The schema of a real Mautic 5 install: ../shared/reference/mautic5-schema-mariadb.sql
 * (98 tables, Mautic's own DDL with its foreign keys, JSON CHECKs and generated columns),
 * read in place — never copied into the project. With a prefix, table names are rewritten
 * in CREATE TABLE, ALTER TABLE and REFERENCES, the way an install with db_table_prefix
 * names its tables (auto index names keep their unprefixed hashes; nothing reads them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';

/** Where the reference schema lives: `../shared` next to the repository (/work/shared here). */
export const REAL_MAUTIC_SCHEMA_PATH = resolve(__dirname, '../../shared/reference/mautic5-schema-mariadb.sql');

/** Number of tables a fresh Mautic 5 install has (what the reference file creates). */
export const REAL_MAUTIC_TABLE_COUNT = 98;

/**
 * The statements of the reference file, table names prefixed with `prefix`.
 *
 * @throws Error naming the path when ../shared/reference is not there.
 */
export function realMauticStatements(prefix = ''): string[] {
  if (!existsSync(REAL_MAUTIC_SCHEMA_PATH)) {
    throw new Error(`The real Mautic 5 schema is not at ${REAL_MAUTIC_SCHEMA_PATH}; these tests read it from ../shared/reference`);
  }
  return readFileSync(REAL_MAUTIC_SCHEMA_PATH, 'utf8')
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s.length > 0)
    .map((s) =>
      s
        .replace(/^(CREATE TABLE|ALTER TABLE) (\w+)/, (_m, verb: string, name: string) => `${verb} ${prefix}${name}`)
        .replace(/ REFERENCES (\w+) /g, (_m, name: string) => ` REFERENCES ${prefix}${name} `),
    );
}

/**
 * Runs the reference DDL (tables named with `prefix`) in the empty MariaDB database of `url`,
 * foreign key checks off while loading as Mautic's installer does (docs/mautic/schema.md §0.6).
 * Takes about a second; call it once per describe block.
 */
export async function loadRealMauticSchema(url: string, prefix = ''): Promise<void> {
  const statements = realMauticStatements(prefix);
  const u = new URL(url);
  const conn = await createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
  });
  try {
    await conn.query('SET foreign_key_checks = 0');
    for (const sql of statements) await conn.query(sql);
  } finally {
    await conn.end();
  }
}
