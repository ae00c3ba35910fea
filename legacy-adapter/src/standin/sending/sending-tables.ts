import { MYSQL_TABLE_OPTIONS } from '../../db/ddl-mysql.ts';
import { doctrineName } from '../../db/schema/doctrine-names.ts';
import type { Db } from '../../db/types.ts';

/**
 * Two Mautic 5 tables the sending endpoints need that `migrate` does not
 * create (they are outside mautic-schema.md Appendix A):
 * `email_list_excluded` (segments excluded from an email, §5.2) and
 * `email_stat_replies` (§5.4). Their DDL follows Mautic's
 * (../shared/reference/mautic5-schema-mariadb.sql). Created on first use with
 * IF NOT EXISTS, so a real Mautic database is left as it is.
 */

interface ExtraTable {
  name: string;
  /** Column DDL per dialect. */
  columns: { mysql: string[]; sqlite: string[] };
  primaryKey: string[];
  /** Columns of each non-unique index, in Mautic's order. */
  indexes: { name?: string; columns: string[] }[];
  foreignKeys: { column: string; references: string }[];
}

const SEGMENT_LINK_COLUMNS = { mysql: ['email_id INT UNSIGNED NOT NULL', 'leadlist_id INT UNSIGNED NOT NULL'], sqlite: ['email_id INTEGER NOT NULL', 'leadlist_id INTEGER NOT NULL'] };

const TABLES: ExtraTable[] = ['email_list_excluded'].map((name) => ({
  name,
  columns: SEGMENT_LINK_COLUMNS,
  primaryKey: ['email_id', 'leadlist_id'],
  indexes: [{ columns: ['leadlist_id'] }],
  foreignKeys: [
    { column: 'email_id', references: 'emails' },
    { column: 'leadlist_id', references: 'lead_lists' },
  ],
}));

TABLES.push({
  name: 'email_stat_replies',
  columns: {
    mysql: ["id CHAR(36) NOT NULL COMMENT '(DC2Type:guid)'", 'stat_id BIGINT UNSIGNED NOT NULL', 'date_replied DATETIME NOT NULL', 'message_id VARCHAR(191) NOT NULL'],
    sqlite: ['id TEXT NOT NULL CHECK (length(id) = 36)', 'stat_id INTEGER NOT NULL', 'date_replied TEXT NOT NULL', 'message_id TEXT NOT NULL CHECK (length(message_id) <= 191)'],
  },
  primaryKey: ['id'],
  indexes: [{ columns: ['stat_id'] }, { name: 'email_replies', columns: ['stat_id', 'message_id'] }, { name: 'date_email_replied', columns: ['date_replied'] }],
  foreignKeys: [{ column: 'stat_id', references: 'email_stats' }],
});

function indexNameOf(db: Db, table: ExtraTable, index: ExtraTable['indexes'][number]): string {
  return index.name ? db.prefix + index.name : doctrineName('IDX', db.table(table.name), index.columns);
}

function createStatements(db: Db, table: ExtraTable): string[] {
  const name = db.table(table.name);
  const fks = table.foreignKeys.map(
    (f) => `CONSTRAINT ${doctrineName('FK', name, [f.column])} FOREIGN KEY (${f.column}) REFERENCES ${db.table(f.references)} (id) ON DELETE CASCADE`,
  );
  if (db.dialect === 'mysql') {
    const indexes = table.indexes.map((i) => `INDEX ${indexNameOf(db, table, i)} (${i.columns.join(', ')})`);
    const body = [...table.columns.mysql, ...indexes, `PRIMARY KEY(${table.primaryKey.join(', ')})`, ...fks];
    return [`CREATE TABLE IF NOT EXISTS ${name} (${body.join(', ')}) ${MYSQL_TABLE_OPTIONS}`];
  }
  const body = [...table.columns.sqlite, `PRIMARY KEY (${table.primaryKey.join(', ')})`, ...fks];
  return [
    `CREATE TABLE IF NOT EXISTS ${name} (${body.join(', ')}) STRICT`,
    ...table.indexes.map((i) => `CREATE INDEX IF NOT EXISTS ${indexNameOf(db, table, i)} ON ${name} (${i.columns.join(', ')})`),
  ];
}

const ensured = new WeakMap<Db, Promise<void>>();

/**
 * Creates the tables when missing; runs once per `Db` handle (later
 * calls await the same promise; a failure is retried on the next call).
 */
export function ensureSendingTables(db: Db): Promise<void> {
  let done = ensured.get(db);
  if (!done) {
    done = (async () => {
      for (const table of TABLES) for (const sql of createStatements(db, table)) await db.execute(sql);
    })();
    done.catch(() => ensured.delete(db));
    ensured.set(db, done);
  }
  return done;
}
