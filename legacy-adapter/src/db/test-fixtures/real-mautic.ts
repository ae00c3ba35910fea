/**
 * Test fixture: a MariaDB database shaped exactly like a fresh Mautic 5 install, made by
 * loading ../shared/reference/mautic5-schema-mariadb.sql (98 tables, Mautic's own DDL) —
 * never copied into the project, read in place. With a prefix, table names are rewritten
 * in CREATE TABLE, ALTER TABLE and REFERENCES, the way an install with db_table_prefix
 * names its tables (auto index names keep their unprefixed hashes; nothing here reads them).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { openDb } from '../open.ts';
import type { Db } from '../types.ts';
import { makeMysql } from '../../../../test-support/databases.ts';

/** Where the reference schema lives: `../shared` next to the repository (/work/shared here). */
export const REAL_MAUTIC_SCHEMA_PATH = resolve(__dirname, '../../../../../shared/reference/mautic5-schema-mariadb.sql');

/** The statements of the reference file, table names prefixed with `prefix`. */
export function realMauticStatements(prefix = ''): string[] {
  const text = readFileSync(REAL_MAUTIC_SCHEMA_PATH, 'utf8');
  return text
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s.length > 0)
    .map((s) =>
      s
        .replace(/^(CREATE TABLE|ALTER TABLE) (\w+)/, (_m, verb: string, name: string) => `${verb} ${prefix}${name}`)
        .replace(/ REFERENCES (\w+) /g, (_m, name: string) => ` REFERENCES ${prefix}${name} `),
    );
}

/** A fresh database holding the real Mautic schema, opened with `prefix`. */
export async function createRealMauticDb(prefix = ''): Promise<{ db: Db; url: string; name: string; drop(): Promise<void> }> {
  const made = await makeMysql();
  const u = new URL(made.url);
  const conn = await createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    database: made.name,
  });
  try {
    // As Mautic's installer does (mautic-schema.md §0.6).
    await conn.query('SET foreign_key_checks = 0');
    for (const sql of realMauticStatements(prefix)) await conn.query(sql);
  } catch (err) {
    await made.remove();
    throw err;
  } finally {
    await conn.end();
  }
  const db = await openDb(made.url, { prefix });
  return {
    db,
    url: made.url,
    name: made.name,
    async drop() {
      await db.close();
      await made.remove();
    },
  };
}
