import { mysqlCreateTable, mysqlForeignKeys } from './ddl-mysql.ts';
import { sqliteCreateTable, sqliteIndexes } from './ddl-sqlite.ts';
import { MAUTIC_TABLES, type TableDef } from './schema/index.ts';
import type { Db } from './types.ts';

const COVERED = new Set(MAUTIC_TABLES.map((t) => t.name));

/**
 * Creates the covered Mautic 5 tables (schema/index.ts, docs/mautic/schema.md Appendix A) that do
 * not exist yet, honouring `db.prefix`. Idempotent and safe on a real Mautic database: a
 * table that exists is left exactly as it is (no ALTER), so running it twice, or on a
 * database Mautic installed, changes nothing. No bookkeeping table is needed.
 *
 * MySQL: one CREATE per table, then the foreign keys of the new tables (as Mautic's
 * installer does). SQLite: everything in one transaction, so a failure leaves no half schema.
 *
 * @returns the unprefixed names of the tables it created.
 * @example await migrate(await openDb('sqlite::memory:'))
 */
export async function migrate(db: Db): Promise<string[]> {
  const existing = await existingTables(db);
  const missing = MAUTIC_TABLES.filter((t) => !existing.has(db.table(t.name)));
  if (missing.length === 0) return [];
  if (db.dialect === 'sqlite') await migrateSqlite(db, missing);
  else await migrateMysql(db, missing);
  return missing.map((t) => t.name);
}

async function migrateSqlite(db: Db, missing: TableDef[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const def of missing) {
      await tx.execute(sqliteCreateTable(def, db.prefix, COVERED));
      for (const sql of sqliteIndexes(def, db.prefix)) await tx.execute(sql);
    }
  });
}

async function migrateMysql(db: Db, missing: TableDef[]): Promise<void> {
  const [version] = await db.query<{ v: string }>('SELECT VERSION() AS v');
  const mariadb = String(version?.v ?? '').includes('MariaDB');
  for (const def of missing) await db.execute(mysqlCreateTable(def, db.prefix, mariadb));
  for (const def of missing) {
    for (const sql of mysqlForeignKeys(def, db.prefix, COVERED)) await db.execute(sql);
  }
}

/** Prefixed names of the tables in the database. */
export async function existingTables(db: Db): Promise<Set<string>> {
  const rows =
    db.dialect === 'sqlite'
      ? await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      : await db.query<{ name: string }>('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()');
  return new Set(rows.map((r) => r.name));
}
