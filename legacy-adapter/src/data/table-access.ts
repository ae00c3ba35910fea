import { DbError } from '../db/errors.ts';
import type { ColumnDef, TableDef } from '../db/schema/index.ts';
import type { Db, Row, SqlValue } from '../db/types.ts';
import { decodeRow, encodeColumn } from './row-codec.ts';

/**
 * The few generic statements every repository is made of. Column names come from the
 * table definitions (or are checked as plain identifiers), values are always bound.
 */

const IDENTIFIER = /^[a-z][a-z0-9_]{0,63}$/;

/** Options of `insertRow` / `updateRow`. */
export interface WriteOptions {
  /**
   * Accept columns the definition does not list (custom fields on `leads`). They must be
   * plain lower-case identifiers and are written as given (strings, numbers, null).
   */
  extraColumns?: boolean;
  /**
   * Through `db.executeLater`: inside a transaction the statement may ride with the next one
   * or the COMMIT. The id is then not known (0).
   */
  later?: boolean;
}

function columnFor(def: TableDef, name: string, options: WriteOptions): ColumnDef {
  const known = def.columns.find((c) => c.name === name);
  if (known) {
    if (known.generated) throw new DbError('DB_INPUT_INVALID', `${def.name}.${name} is a generated column and cannot be written`, { table: def.name, column: name });
    return known;
  }
  if (options.extraColumns && IDENTIFIER.test(name)) return { name, type: 'LONGTEXT', kind: 'string', nullable: true, autoIncrement: false };
  throw new DbError('DB_INPUT_INVALID', `${def.name} has no column "${name}"`, { table: def.name, column: name });
}

function encodeExtra(def: TableDef, c: ColumnDef, value: unknown): SqlValue {
  const known = def.columns.some((k) => k.name === c.name);
  if (known) return encodeColumn(def.name, c, value);
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number') return value ?? null;
  throw new DbError('DB_INPUT_INVALID', `${def.name}.${c.name}: custom field values must be strings, numbers or null`, { table: def.name, column: c.name });
}

/**
 * Inserts one row. Every NOT NULL column without a DB default (docs/mautic/schema.md §0.4:
 * Doctrine emits none) must be present in `values`; repositories put Mautic's entity
 * initial values there first. PHP-serialized columns left out are written `N;`, as
 * Doctrine does for a null array property.
 *
 * @returns the AUTO_INCREMENT id (0 for tables without one).
 * @throws DbError `DB_INPUT_INVALID` naming missing NOT NULL columns or unknown ones.
 */
export async function insertRow(db: Db, def: TableDef, values: Record<string, unknown>, options: WriteOptions = {}): Promise<number> {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  // Doctrine writes every mapped column; an unset array property is PHP null, stored 'N;' (§0.3).
  const arrays = def.columns.filter((c) => c.kind === 'array' && values[c.name] === undefined);
  entries.push(...arrays.map((c): [string, unknown] => [c.name, null]));
  const given = new Set(entries.map(([k]) => k));
  const missing = def.columns.filter((c) => !c.nullable && !c.autoIncrement && c.defaultValue === undefined && !given.has(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new DbError('DB_INPUT_INVALID', `${def.name}: NOT NULL column(s) without a value: ${missing.join(', ')}`, { table: def.name, column: missing.join(',') });
  }
  const columns = entries.map(([k]) => columnFor(def, k, options));
  const params = entries.map(([, v], i) => encodeExtra(def, columns[i]!, v));
  const names = columns.map((c) => quote(db, c.name)).join(', ');
  const sql = `INSERT INTO ${db.table(def.name)} (${names}) VALUES (${columns.map(() => '?').join(', ')})`;
  if (options.later) {
    await db.executeLater(sql, params);
    return 0;
  }
  return (await db.execute(sql, params)).insertId;
}

/**
 * Inserts several rows in one statement (`INSERT … VALUES (…), (…)`): one round trip for a
 * batch, where `insertRow` costs one per row (the hit worker's batches). Every row must
 * give the same columns; the checks and encodings are `insertRow`'s.
 *
 * @returns nothing: auto-increment ids of a multi-row insert are not reported per row.
 * @throws DbError `DB_INPUT_INVALID` for rows with different columns, missing NOT NULL columns or unknown ones.
 */
export async function insertRows(db: Db, def: TableDef, rows: readonly Record<string, unknown>[], options: Pick<WriteOptions, 'later'> = {}): Promise<void> {
  if (rows.length === 0) return;
  const arrays = def.columns.filter((c) => c.kind === 'array');
  const full = rows.map((values) => ({ ...Object.fromEntries(arrays.map((c) => [c.name, null])), ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) }));
  const names = Object.keys(full[0]!);
  const mismatch = full.find((r) => Object.keys(r).length !== names.length || names.some((n) => !(n in r)));
  if (mismatch) throw new DbError('DB_INPUT_INVALID', `${def.name}: every row of a multi-row insert must give the same columns`, { table: def.name, column: Object.keys(mismatch).join(',') });
  const missing = def.columns.filter((c) => !c.nullable && !c.autoIncrement && c.defaultValue === undefined && !names.includes(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new DbError('DB_INPUT_INVALID', `${def.name}: NOT NULL column(s) without a value: ${missing.join(', ')}`, { table: def.name, column: missing.join(',') });
  }
  const columns = names.map((n) => columnFor(def, n, {}));
  const params = full.flatMap((r) => columns.map((c) => encodeColumn(def.name, c, r[c.name])));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const sql = `INSERT INTO ${db.table(def.name)} (${columns.map((c) => quote(db, c.name)).join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`;
  await (options.later ? db.executeLater(sql, params) : db.execute(sql, params));
}

/**
 * Updates several rows, each by its `id`, in one statement: one round trip for a batch. A
 * row leaves out the columns it does not change; of two rows for one id, the later one's
 * values win (as two UPDATEs in order).
 * - MySQL, every row giving the same columns: `UPDATE t JOIN (SELECT ? AS id, ? AS col …
 *   UNION ALL SELECT ?, ? …) v ON t.id = v.id SET t.col = v.col …`, linear in the rows;
 * - otherwise `SET col = CASE id WHEN ? THEN ? … ELSE col END … WHERE id IN (…)`, which
 *   MariaDB evaluates in time rows × rows (125 µs a row for batches of 200 here).
 *
 * @returns the number of rows changed.
 */
export async function updateRowsById(db: Db, def: TableDef, rows: readonly { id: number; values: Record<string, unknown> }[]): Promise<number> {
  const latest = new Map<number, Record<string, unknown>>();
  for (const { id, values } of rows) latest.set(id, { ...latest.get(id), ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) });
  const names = [...new Set([...latest.values()].flatMap((v) => Object.keys(v)))];
  if (names.length === 0) return 0;
  const columns = names.map((n) => columnFor(def, n, {}));
  const table = db.table(def.name);
  const sameColumns = [...latest.values()].every((v) => Object.keys(v).length === names.length);
  if (db.dialect === 'mysql' && sameColumns) {
    const params: SqlValue[] = [];
    const selects = [...latest].map(([id, values], i) => {
      params.push(id, ...columns.map((c) => encodeColumn(def.name, c, values[c.name])));
      return i === 0 ? `SELECT ? AS id, ${columns.map((c) => `? AS ${quote(db, c.name)}`).join(', ')}` : `SELECT ?${', ?'.repeat(columns.length)}`;
    });
    const sets = columns.map((c) => `t.${quote(db, c.name)} = v.${quote(db, c.name)}`).join(', ');
    return (await db.execute(`UPDATE ${table} t JOIN (${selects.join(' UNION ALL ')}) v ON t.id = v.id SET ${sets}`, params)).affectedRows;
  }
  const params: SqlValue[] = [];
  const sets = columns.map((c) => {
    const q = quote(db, c.name);
    const given = [...latest].filter(([, v]) => c.name in v);
    for (const [id, values] of given) params.push(id, encodeColumn(def.name, c, values[c.name]));
    return `${q} = CASE id${' WHEN ? THEN ?'.repeat(given.length)} ELSE ${q} END`;
  });
  params.push(...latest.keys());
  return (await db.execute(`UPDATE ${table} SET ${sets.join(', ')} WHERE id IN (${[...latest.keys()].map(() => '?').join(', ')})`, params)).affectedRows;
}

/**
 * Updates the row(s) matching `key` (column → value, ANDed) with `values`.
 * @returns the number of rows changed.
 */
export async function updateRows(db: Db, def: TableDef, key: Record<string, SqlValue>, values: Record<string, unknown>, options: WriteOptions = {}): Promise<number> {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return 0;
  const columns = entries.map(([k]) => columnFor(def, k, options));
  const sets = columns.map((c) => `${quote(db, c.name)} = ?`).join(', ');
  const params = entries.map(([, v], i) => encodeExtra(def, columns[i]!, v));
  const where = whereClause(db, def, key);
  return (await db.execute(`UPDATE ${db.table(def.name)} SET ${sets} WHERE ${where.sql}`, [...params, ...where.params])).affectedRows;
}

/** Rows of `def` matching `key` (ANDed equality; `null` matches IS NULL), decoded. */
export async function selectRows<T>(db: Db, def: TableDef, key: Record<string, SqlValue>, tail = ''): Promise<T[]> {
  const where = whereClause(db, def, key);
  const rows = await db.query<Row>(`SELECT * FROM ${db.table(def.name)} WHERE ${where.sql}${tail ? ` ${tail}` : ''}`, where.params);
  return rows.map((r) => decodeRow<T>(def, r));
}

/** The first row of `def` matching `key`, decoded, or undefined. */
export async function selectOne<T>(db: Db, def: TableDef, key: Record<string, SqlValue>): Promise<T | undefined> {
  const [row] = await selectRows<T>(db, def, key, 'LIMIT 1');
  return row;
}

function whereClause(db: Db, def: TableDef, key: Record<string, SqlValue>): { sql: string; params: SqlValue[] } {
  const entries = Object.entries(key);
  if (entries.length === 0) return { sql: '1 = 1', params: [] };
  for (const [k] of entries) {
    if (!def.columns.some((c) => c.name === k)) throw new DbError('DB_INPUT_INVALID', `${def.name} has no column "${k}"`, { table: def.name, column: k });
  }
  return {
    sql: entries.map(([k, v]) => (v === null ? `${quote(db, k)} IS NULL` : `${quote(db, k)} = ?`)).join(' AND '),
    params: entries.filter(([, v]) => v !== null).map(([, v]) => v),
  };
}

/** Quotes a column name (some Mautic column names, e.g. `query`, are keywords somewhere). */
export function quote(db: Db, name: string): string {
  return db.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`;
}
