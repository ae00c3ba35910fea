/** Test helper: reads rows raw (undecoded) to check what is really stored. */
import type { TableDef } from '../../db/schema/index.ts';
import type { Db, Row, SqlValue } from '../../db/types.ts';
import { quote } from '../table-access.ts';

/** The stored row of `def` matching `key`, exactly as the driver returns it. */
export async function rawRow(db: Db, def: TableDef, key: Record<string, SqlValue>): Promise<Row> {
  const where = Object.keys(key).map((k) => `${quote(db, k)} = ?`).join(' AND ');
  const [row] = await db.query(`SELECT * FROM ${db.table(def.name)} WHERE ${where}`, Object.values(key));
  if (!row) throw new Error(`No ${def.name} row for ${JSON.stringify(key)}`);
  return row;
}

/** Names of the NOT NULL columns of `def` that are NULL in `row` (should be none). */
export function nullNotNullColumns(def: TableDef, row: Row): string[] {
  return def.columns.filter((c) => !c.nullable && (row[c.name] === null || row[c.name] === undefined)).map((c) => c.name);
}
