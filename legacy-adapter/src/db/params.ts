import { DbError } from './errors.ts';
import type { SqlValue } from './types.ts';

const TABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;

/**
 * `prefix + name` after checking both are plain identifiers, because table names are
 * spliced into SQL text (they cannot be bound as `?`).
 *
 * @throws DbError `DB_INPUT_INVALID` for anything but letters, digits and `_` (at most 64 characters).
 */
export function prefixedTable(prefix: string, name: string): string {
  const full = prefix + name;
  if (!TABLE_NAME.test(full)) {
    throw new DbError('DB_INPUT_INVALID', `Table name "${full}" must be 1-64 letters, digits or _`, { table: full });
  }
  return full;
}

/** Checks a Mautic table prefix (`db_table_prefix`): '' or letters, digits and `_`. */
export function checkPrefix(prefix: string): string {
  if (!/^[A-Za-z0-9_]{0,40}$/.test(prefix)) {
    throw new DbError('DB_INPUT_INVALID', `Table prefix "${prefix}" must be letters, digits or _ (at most 40)`, { prefix });
  }
  return prefix;
}

/**
 * Bind values as both drivers accept them: booleans become 1/0, bigints inside the safe
 * range become numbers (others decimal strings), `undefined` is refused.
 *
 * @throws DbError `DB_INPUT_INVALID` naming the position of an `undefined` or unsupported value.
 */
export function normaliseParams(params: readonly SqlValue[] | undefined): (string | number | null | Uint8Array)[] {
  if (params === undefined) return [];
  return params.map((value, index) => {
    if (value === null || typeof value === 'string' || typeof value === 'number') return value;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'bigint') {
      const safe = value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER);
      return safe ? Number(value) : value.toString();
    }
    if (value instanceof Uint8Array) return value;
    throw new DbError('DB_INPUT_INVALID', `SQL parameter #${index + 1} is ${value === undefined ? 'undefined' : typeof value}`, {
      index: index + 1,
    });
  });
}
