import type { ColumnDef, TableDef } from './schema/index.ts';
import { doctrineName, indexName } from './schema/doctrine-names.ts';

/** Table options Mautic gives every table (docs/mautic/schema.md §0.1). */
export const MYSQL_TABLE_OPTIONS = 'DEFAULT CHARACTER SET utf8mb4 COLLATE `utf8mb4_unicode_ci` ENGINE = InnoDB ROW_FORMAT = DYNAMIC';

const q = (name: string): string => `\`${name}\``;

function columnDdl(c: ColumnDef, mariadb: boolean): string {
  if (c.generated) return `${q(c.name)} ${c.type} AS (${c.generated.mysql}) COMMENT '(DC2Type:generated)'`;
  const parts = [q(c.name), c.type];
  if (c.autoIncrement) parts.push('AUTO_INCREMENT');
  if (c.defaultValue !== undefined) parts.push(`DEFAULT ${c.defaultValue}`);
  parts.push(c.nullable ? 'DEFAULT NULL' : 'NOT NULL');
  if (c.kind === 'array' || c.kind === 'guid') parts.push(`COMMENT '(DC2Type:${c.kind})'`);
  // DBAL's MariaDB platform marks JSON columns; the MySQL platform does not (§0.3).
  if (c.kind === 'json' && mariadb) parts.push("COMMENT '(DC2Type:json)'");
  return parts.join(' ');
}

/**
 * `CREATE TABLE` for MySQL/MariaDB, shaped like Doctrine's output in docs/mautic/schema.md
 * Appendix A, with the prefix applied to the table and index names (§0.2).
 */
export function mysqlCreateTable(def: TableDef, prefix: string, mariadb: boolean): string {
  const table = prefix + def.name;
  const indexes = def.indexes.map((i) => {
    const cols = i.columns.map((c, n) => (i.lengths?.[n] ? `${q(c)}(${i.lengths[n]})` : q(c))).join(', ');
    return `${i.unique ? 'UNIQUE INDEX' : 'INDEX'} ${q(indexName(def.name, i, prefix))} (${cols})`;
  });
  const body = [
    ...def.columns.map((c) => columnDdl(c, mariadb)),
    ...indexes,
    `PRIMARY KEY(${def.primaryKey.map(q).join(', ')})`,
  ];
  return `CREATE TABLE IF NOT EXISTS ${q(table)} (${body.join(', ')}) ${MYSQL_TABLE_OPTIONS}`;
}

/** The `ALTER TABLE … ADD CONSTRAINT FK_…` statements of a table, for references in `covered`. */
export function mysqlForeignKeys(def: TableDef, prefix: string, covered: ReadonlySet<string>): string[] {
  const table = prefix + def.name;
  return def.foreignKeys
    .filter((f) => covered.has(f.references))
    .map((f) => {
      const onDelete = f.onDelete ? ` ON DELETE ${f.onDelete}` : '';
      return `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(doctrineName('FK', table, [f.column]))} FOREIGN KEY (${q(f.column)}) REFERENCES ${q(prefix + f.references)} (\`id\`)${onDelete}`;
    });
}
