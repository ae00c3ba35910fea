import { DbError } from '../errors.ts';

/**
 * Mautic's schema as data: one `TableDef` per table, written from docs/mautic/schema.md
 * (Appendix A). `migrate` renders it as MySQL or SQLite DDL, and the data layer reads
 * column kinds from it to decode rows (booleans, PHP-serialized arrays, JSON).
 */

/** Column types exactly as Doctrine emits them for MySQL (docs/mautic/schema.md §0.3). */
export type MysqlType =
  | 'INT' | 'INT UNSIGNED' | 'BIGINT' | 'BIGINT UNSIGNED' | 'SMALLINT' | 'TINYINT(1)'
  | 'LONGTEXT' | 'TINYTEXT' | 'DATETIME' | 'DATE' | 'DOUBLE PRECISION' | 'JSON' | `VARCHAR(${number})` | 'CHAR(36)';

/** How the data layer reads and writes a column. */
export type ColumnKind = 'int' | 'bool' | 'float' | 'string' | 'datetime' | 'date' | 'array' | 'json' | 'guid';

/** One column. */
export interface ColumnDef {
  name: string;
  type: MysqlType;
  kind: ColumnKind;
  nullable: boolean;
  autoIncrement: boolean;
  /** DB-level DEFAULT of a NOT NULL column (`lead_fields`' flags, §0.4, and `campaigns.version`). */
  defaultValue?: number;
  /** Generated column expressions (VIRTUAL) per dialect; never written by inserts. */
  generated?: { mysql: string; sqlite: string };
}

/** An index. `name` absent = Doctrine auto name (`IDX_`/`UNIQ_` + crc32 hashes, §0.5). */
export interface IndexDef {
  columns: string[];
  unique?: boolean;
  name?: string;
  /** Named but not prefixed (the installer's indexes on `leads`, §0.2). */
  bare?: boolean;
  /** Prefix lengths per column, e.g. `url(128)`. MySQL only. */
  lengths?: (number | undefined)[];
}

/** A foreign key; its name is always the Doctrine auto name `FK_…`. */
export interface ForeignKeyDef {
  column: string;
  references: string;
  onDelete?: 'CASCADE' | 'SET NULL';
}

/** One Mautic table (unprefixed name). */
export interface TableDef {
  name: string;
  columns: ColumnDef[];
  primaryKey: string[];
  indexes: IndexDef[];
  foreignKeys: ForeignKeyDef[];
}

const KIND_OF: Record<string, ColumnKind> = {
  INT: 'int', 'INT UNSIGNED': 'int', BIGINT: 'int', 'BIGINT UNSIGNED': 'int', SMALLINT: 'int',
  'TINYINT(1)': 'bool', LONGTEXT: 'string', TINYTEXT: 'string', DATETIME: 'datetime', DATE: 'date',
  'DOUBLE PRECISION': 'float', JSON: 'json',
};

/** Doctrine types stored as a plain MySQL type plus a `(DC2Type:…)` comment. */
const PSEUDO_TYPES: Record<string, { type: MysqlType; kind: ColumnKind }> = {
  ARRAY: { type: 'LONGTEXT', kind: 'array' },
  GUID: { type: 'CHAR(36)', kind: 'guid' },
};

/**
 * Parses one column written like its DDL: `name TYPE [NOT NULL] [AUTO_INCREMENT]`.
 * The pseudo-type `ARRAY` is Mautic's `LONGTEXT COMMENT '(DC2Type:array)'` (PHP serialize);
 * `GUID` is Doctrine's `CHAR(36) COMMENT '(DC2Type:guid)'` (a UUID string).
 *
 * @example col('points INT NOT NULL') // { name: 'points', type: 'INT', kind: 'int', nullable: false, … }
 */
export function col(spec: string): ColumnDef {
  const m = /^([a-z0-9_]+) (.+?)( NOT NULL)?( AUTO_INCREMENT)?$/.exec(spec);
  if (!m) throw new DbError('DB_SCHEMA_INVALID', `Cannot read column spec "${spec}"`);
  const [, name = '', rawType = '', notNull, autoIncrement] = m;
  const pseudo = PSEUDO_TYPES[rawType];
  const type = (pseudo?.type ?? rawType) as MysqlType;
  const kind = pseudo?.kind ?? (/^VARCHAR\(\d+\)$/.test(type) ? 'string' : KIND_OF[type]);
  if (kind === undefined) throw new DbError('DB_SCHEMA_INVALID', `Unknown column type "${rawType}" in "${spec}"`);
  return { name, type, kind, nullable: !notNull && !autoIncrement, autoIncrement: Boolean(autoIncrement) };
}

/** A VIRTUAL generated column (never inserted). */
export function generated(name: string, type: MysqlType, kind: ColumnKind, mysql: string, sqlite: string): ColumnDef {
  return { name, type, kind, nullable: true, autoIncrement: false, generated: { mysql, sqlite } };
}

/** Builds a table definition from column specs. */
export function table(
  name: string,
  columns: (string | ColumnDef)[],
  keys: { primaryKey?: string[]; indexes?: IndexDef[]; foreignKeys?: ForeignKeyDef[] } = {},
): TableDef {
  const cols = columns.map((c) => (typeof c === 'string' ? col(c) : c));
  const def: TableDef = {
    name,
    columns: cols,
    primaryKey: keys.primaryKey ?? ['id'],
    indexes: keys.indexes ?? [],
    foreignKeys: keys.foreignKeys ?? [],
  };
  const known = new Set(cols.map((c) => c.name));
  const used = [...def.primaryKey, ...def.indexes.flatMap((i) => i.columns), ...def.foreignKeys.map((f) => f.column)];
  const unknown = used.filter((c) => !known.has(c));
  if (unknown.length > 0) throw new DbError('DB_SCHEMA_INVALID', `Table ${name} keys name unknown columns: ${unknown.join(', ')}`);
  return def;
}

/** Named index (prefixed with the table prefix). */
export const idx = (name: string, ...columns: string[]): IndexDef => ({ name, columns });
/** Doctrine auto-named index `IDX_…`. */
export const autoIdx = (...columns: string[]): IndexDef => ({ columns });
/** Doctrine auto-named unique index `UNIQ_…`. */
export const autoUniq = (...columns: string[]): IndexDef => ({ columns, unique: true });
/** Foreign key. */
export const fk = (column: string, references: string, onDelete?: 'CASCADE' | 'SET NULL'): ForeignKeyDef => ({ column, references, onDelete });

/** The FormEntity audit columns (docs/mautic/schema.md §0.4), `is_published` first. */
export const AUDIT_COLUMNS = [
  'is_published TINYINT(1) NOT NULL',
  'date_added DATETIME',
  'created_by INT',
  'created_by_user VARCHAR(191)',
  'date_modified DATETIME',
  'modified_by INT',
  'modified_by_user VARCHAR(191)',
  'checked_out DATETIME',
  'checked_out_by INT',
  'checked_out_by_user VARCHAR(191)',
];
