import { isCodecError } from '../codecs/codec-error.ts';
import { serializePhp, unserializePhp, type PhpValue } from '../codecs/php-serialize.ts';
import { DbError } from '../db/errors.ts';
import type { ColumnDef, TableDef } from '../db/schema/index.ts';
import type { Row, SqlValue } from '../db/types.ts';

/**
 * Turns stored Mautic values into JS values and back, column by column, from the kinds in
 * `db/schema`: TINYINT(1) ⇄ boolean, `(DC2Type:array)` ⇄ PHP serialize (docs/mautic/schema.md
 * §0.3), JSON ⇄ parsed value, DATETIME ⇄ UTC `YYYY-MM-DD HH:MM:SS` string.
 */

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A JS Date as Mautic stores it: UTC, no fraction (UTCDateTimeType). */
export function toUtcDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new DbError('DB_INPUT_INVALID', 'Invalid Date given for a DATETIME column');
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Now, as a Mautic DATETIME string. */
export function utcNow(): string {
  return toUtcDateTime(new Date());
}

/**
 * JSON as Doctrine's JsonType writes it (PHP `json_encode` with JSON_PRESERVE_ZERO_FRACTION
 * only): `/` as `\/`, non-ASCII as `\uxxxx`. An empty PHP array is `[]`, so pass `[]`.
 */
export function encodeDoctrineJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new DbError('DB_INPUT_INVALID', `Cannot JSON-encode a ${typeof value}`);
  return text.replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * What Mautic's ArrayType writes: `N;` for null, `a:0:{}` for anything that is not an
 * array, else PHP `serialize` (a JS array, plain object or Map is a PHP array).
 */
export function encodePhpArray(value: unknown): string {
  if (value === null || value === undefined) return 'N;';
  if (typeof value !== 'object') return 'a:0:{}';
  try {
    return serializePhp(value);
  } catch (err) {
    throw new DbError('DB_INPUT_INVALID', `Cannot PHP-serialize this value: ${(err as Error).message}`, {}, err);
  }
}

/**
 * Encodes one value for column `c`.
 * @throws DbError `DB_INPUT_INVALID` when the value does not fit the column kind.
 */
export function encodeColumn(table: string, c: ColumnDef, value: unknown): SqlValue {
  const bad = (why: string): never => {
    throw new DbError('DB_INPUT_INVALID', `${table}.${c.name}: ${why}`, { table, column: c.name });
  };
  if (c.kind === 'array') return encodePhpArray(value);
  if (value === null || value === undefined) return null;
  switch (c.kind) {
    case 'json':
      return encodeDoctrineJson(value);
    case 'bool':
      if (typeof value === 'boolean') return value ? 1 : 0;
      return value === 0 || value === 1 ? value : bad(`expected a boolean, got ${JSON.stringify(value)}`);
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? value : bad(`expected an integer, got ${JSON.stringify(value)}`);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? value : bad(`expected a finite number, got ${JSON.stringify(value)}`);
    case 'datetime':
      if (value instanceof Date) return toUtcDateTime(value);
      return typeof value === 'string' && DATETIME.test(value) ? value : bad(`expected 'YYYY-MM-DD HH:MM:SS' (UTC) or a Date, got ${JSON.stringify(value)}`);
    case 'date':
      return typeof value === 'string' && DATE.test(value) ? value : bad(`expected 'YYYY-MM-DD', got ${JSON.stringify(value)}`);
    default:
      return typeof value === 'string' ? value : bad(`expected a string, got ${typeof value}`);
  }
}

/** Reads a PHP-serialized column; `null` for SQL NULL. */
export function decodePhpArray(table: string, id: unknown, column: string, raw: unknown): PhpValue {
  if (raw === null || raw === undefined) return null;
  try {
    return unserializePhp(typeof raw === 'string' ? raw : String(raw));
  } catch (err) {
    const why = isCodecError(err) ? err.message : String(err);
    throw rowInvalid(table, id, column, `is not PHP-serialized (${why})`, err);
  }
}

/**
 * Decodes a raw row of `def` (columns it does not know, e.g. custom fields on `leads`,
 * are passed through as read).
 * @throws DbError `DB_ROW_INVALID` naming table, row id and column for a value that cannot be read.
 */
export function decodeRow<T>(def: TableDef, raw: Row): T {
  const out: Record<string, unknown> = { ...raw };
  const id = raw.id ?? def.primaryKey.map((k) => raw[k]).join('/');
  for (const c of def.columns) {
    if (!(c.name in raw)) continue;
    out[c.name] = decodeColumn(def.name, id, c, raw[c.name]);
  }
  return out as T;
}

function decodeColumn(table: string, id: unknown, c: ColumnDef, raw: unknown): unknown {
  if (c.kind === 'array') return decodePhpArray(table, id, c.name, raw);
  if (raw === null || raw === undefined) return null;
  const fail = (why: string): never => {
    throw rowInvalid(table, id, c.name, why);
  };
  switch (c.kind) {
    case 'bool':
      return Number(raw) === 1 ? true : Number(raw) === 0 ? false : fail(`holds ${JSON.stringify(raw)}, not 0 or 1`);
    case 'int':
      return typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : fail(`holds ${String(raw)}, outside the safe integer range`);
    case 'float':
      return typeof raw === 'number' ? raw : Number.isFinite(Number(raw)) ? Number(raw) : fail(`holds ${String(raw)}, not a number`);
    case 'json':
      try {
        return JSON.parse(String(raw));
      } catch (err) {
        throw rowInvalid(table, id, c.name, `is not JSON (${(err as Error).message})`, err);
      }
    case 'datetime':
      return typeof raw === 'string' && DATETIME.test(raw) ? raw : fail(`holds ${JSON.stringify(raw)}, not a DATETIME`);
    default:
      return raw;
  }
}

function rowInvalid(table: string, id: unknown, column: string, why: string, cause?: unknown): DbError {
  const rowId = typeof id === 'number' || typeof id === 'string' ? id : String(id);
  return new DbError('DB_ROW_INVALID', `${table} #${rowId}: column ${column} ${why}`, { table, id: rowId, column }, cause);
}
