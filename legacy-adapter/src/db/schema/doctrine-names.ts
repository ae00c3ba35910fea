import { crc32 } from 'node:zlib';

/** MySQL's identifier length limit, which Doctrine cuts auto names to (docs/mautic/schema.md §0.5). */
const MAX_IDENTIFIER_LENGTH = 64;

/**
 * The name Doctrine DBAL generates for an unnamed index or foreign key:
 * `{kind}_` + upper-case hex crc32 of the (prefixed) table name and of each column,
 * concatenated without zero padding, cut to 64 characters (docs/mautic/schema.md §0.5).
 *
 * @example doctrineName('IDX', 'leads', ['owner_id'])    // 'IDX_179045527E3C61F9'
 * @example doctrineName('IDX', 'mt_leads', ['owner_id']) // 'IDX_1A8196567E3C61F9'
 */
export function doctrineName(kind: 'IDX' | 'UNIQ' | 'FK', prefixedTable: string, columns: readonly string[]): string {
  const hash = [prefixedTable, ...columns].map((part) => crc32(part).toString(16)).join('');
  return `${kind}_${hash}`.toUpperCase().slice(0, MAX_IDENTIFIER_LENGTH);
}

/**
 * The name an index gets in a database with table prefix `prefix` (docs/mautic/schema.md §0.2):
 * named entity indexes are prefixed, the installer's `leads` indexes keep their bare names,
 * and Doctrine auto names are re-hashed over the prefixed table name.
 */
export function indexName(
  tableName: string,
  index: { columns: readonly string[]; unique?: boolean; name?: string; bare?: boolean },
  prefix: string,
): string {
  if (index.name !== undefined) return index.bare ? index.name : prefix + index.name;
  return doctrineName(index.unique ? 'UNIQ' : 'IDX', prefix + tableName, index.columns);
}
