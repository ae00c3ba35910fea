import { unserializePhp } from '../../codecs/php-serialize.ts';

/**
 * Reading and writing column values the way both drivers hand them over
 * (db/types.ts): DATETIME as UTC `YYYY-MM-DD HH:MM:SS`, booleans as 0/1,
 * JSON as text (MariaDB and SQLite) or an object (MySQL), PHP-serialized arrays as text.
 */

/** A `Date` as a DATETIME value (UTC, no fractional seconds). */
export function toDbDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** A DATETIME value as a `Date`, or null. */
export function fromDbDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value;
  const date = new Date(`${String(value).replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A TINYINT(1) value as a boolean; null stays null. */
export function fromDbBool(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  return Number(value) === 1 || value === true;
}

/** A JSON column as an object; malformed or non-object JSON gives `{}`. */
export function fromDbJsonObject(value: unknown): Record<string, unknown> {
  if (value && typeof value === 'object') return value as Record<string, unknown>;
  if (typeof value !== 'string' || value === '') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A `(DC2Type:array)` column as an object; null, `N;` or an unreadable value gives `{}`. */
export function fromDbPhpArray(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string' || value === '') return {};
  try {
    const parsed = unserializePhp(value);
    if (Array.isArray(parsed)) return { ...parsed };
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
