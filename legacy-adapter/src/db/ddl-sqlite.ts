import type { ColumnDef, TableDef } from './schema/index.ts';
import { doctrineName, indexName } from './schema/doctrine-names.ts';

const q = (name: string): string => `"${name}"`;

/** SQLite storage class of a MySQL column (STRICT tables accept only these). */
function sqliteType(c: ColumnDef): 'INTEGER' | 'REAL' | 'TEXT' {
  if (c.kind === 'int' || c.kind === 'bool') return 'INTEGER';
  if (c.kind === 'float') return 'REAL';
  return 'TEXT';
}

function columnDdl(c: ColumnDef, singleAutoPk: boolean): string {
  const name = q(c.name);
  if (c.generated) return `${name} ${sqliteType(c)} GENERATED ALWAYS AS (${c.generated.sqlite}) VIRTUAL`;
  if (singleAutoPk && c.autoIncrement) return `${name} INTEGER PRIMARY KEY AUTOINCREMENT`;
  const parts = [name, sqliteType(c), c.nullable ? '' : 'NOT NULL'];
  if (c.defaultValue !== undefined) parts.push(`DEFAULT ${c.defaultValue}`);
  // What MariaDB's strict mode and JSON type would refuse, SQLite refuses too.
  const length = /^(?:VAR)?CHAR\((\d+)\)$/.exec(c.type)?.[1];
  if (length) parts.push(`CHECK (length(${name}) <= ${length})`);
  if (c.kind === 'bool') parts.push(`CHECK (${name} IN (0, 1))`);
  if (c.kind === 'json') parts.push(`CHECK (json_valid(${name}))`);
  return parts.filter(Boolean).join(' ');
}

/**
 * `CREATE TABLE … STRICT` for SQLite: ids become `INTEGER PRIMARY KEY AUTOINCREMENT`,
 * strings and dates TEXT, DOUBLE REAL; foreign keys inline with Mautic's ON DELETE rules
 * (only those whose target is in `covered`); VARCHAR lengths and JSON validity as CHECKs.
 */
export function sqliteCreateTable(def: TableDef, prefix: string, covered: ReadonlySet<string>): string {
  const table = prefix + def.name;
  const singleAutoPk = def.primaryKey.length === 1 && def.columns.some((c) => c.autoIncrement && c.name === def.primaryKey[0]);
  const body = def.columns.map((c) => columnDdl(c, singleAutoPk));
  if (!singleAutoPk) body.push(`PRIMARY KEY (${def.primaryKey.map(q).join(', ')})`);
  for (const f of def.foreignKeys.filter((k) => covered.has(k.references))) {
    const onDelete = f.onDelete ? ` ON DELETE ${f.onDelete}` : '';
    body.push(`CONSTRAINT ${q(doctrineName('FK', table, [f.column]))} FOREIGN KEY (${q(f.column)}) REFERENCES ${q(prefix + f.references)} ("id")${onDelete}`);
  }
  return `CREATE TABLE IF NOT EXISTS ${q(table)} (${body.join(', ')}) STRICT`;
}

/** `CREATE INDEX` statements of a table (SQLite keeps indexes outside the table DDL); an index named like its table gets `_index`. */
export function sqliteIndexes(def: TableDef, prefix: string): string[] {
  const table = prefix + def.name;
  return def.indexes.map((i) => {
    const named = indexName(def.name, i, prefix);
    // SQLite's indexes share one namespace with its tables (`campaign_leads` names both on MySQL).
    const name = named === table ? `${named}_index` : named;
    return `CREATE ${i.unique ? 'UNIQUE INDEX' : 'INDEX'} IF NOT EXISTS ${q(name)} ON ${q(table)} (${i.columns.map(q).join(', ')})`;
  });
}
