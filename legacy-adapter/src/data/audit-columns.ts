/**
 * The FormEntity audit columns most Mautic tables carry (docs/mautic/schema.md §0.4).
 * `*_by` are plain user ids (not foreign keys); `*_by_user` the user's display name.
 */
export interface AuditColumns {
  is_published: boolean;
  date_added: string | null;
  created_by: number | null;
  created_by_user: string | null;
  date_modified: string | null;
  modified_by: number | null;
  modified_by_user: string | null;
  checked_out: string | null;
  checked_out_by: number | null;
  checked_out_by_user: string | null;
}

/** The value type of a decoded `(DC2Type:array)` column. */
export type { PhpValue, PhpArray } from '../codecs/php-serialize.ts';
