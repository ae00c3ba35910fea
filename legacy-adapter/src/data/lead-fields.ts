import type { PhpValue } from '../codecs/php-serialize.ts';
import { LEAD_FIELDS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import type { AuditColumns } from './audit-columns.ts';
import type { Writable } from './contact-rows.ts';
import { insertRow, selectOne, selectRows } from './table-access.ts';

/** A `lead_fields` row: the definition of a contact (or company) field. */
export interface LeadField extends AuditColumns {
  id: number;
  label: string;
  alias: string;
  type: string;
  field_group: string | null;
  default_value: string | null;
  is_required: boolean;
  is_fixed: boolean;
  is_visible: boolean;
  is_short_visible: boolean;
  is_listable: boolean;
  /** Whether tracking requests (e.g. the pixel's query) may set this field. */
  is_publicly_updatable: boolean;
  is_unique_identifer: boolean | null;
  is_index: boolean | null;
  char_length_limit: number | null;
  field_order: number | null;
  /** 'lead' or 'company'. */
  object: string | null;
  properties: PhpValue;
  column_is_not_created: boolean;
  original_is_published_value: boolean;
}

/**
 * Inserts a field definition with the LeadField entity's initial values (published, type
 * 'text', not required/fixed/publicly updatable, visible, short-visible, listable,
 * `char_length_limit` 64, `properties` `a:0:{}`, object 'lead'). It adds no column to
 * `leads`: that is the caller's business (installer fields already have theirs).
 * @returns its id.
 */
export function insertLeadField(db: Db, values: Writable<LeadField> & { label: string; alias: string }): Promise<number> {
  return insertRow(db, LEAD_FIELDS, {
    is_published: true,
    type: 'text',
    is_required: false,
    is_fixed: false,
    is_visible: true,
    is_short_visible: true,
    is_listable: true,
    is_publicly_updatable: false,
    char_length_limit: 64,
    properties: [],
    object: 'lead',
    ...values,
  });
}

/** The field definitions of an object ('lead' or 'company') in `field_order`. */
export function listLeadFields(db: Db, object: 'lead' | 'company' = 'lead'): Promise<LeadField[]> {
  return selectRows<LeadField>(db, LEAD_FIELDS, { object }, 'ORDER BY field_order, id');
}

/** The field definition with this alias on an object, or undefined. */
export function findLeadFieldByAlias(db: Db, alias: string, object: 'lead' | 'company' = 'lead'): Promise<LeadField | undefined> {
  return selectOne<LeadField>(db, LEAD_FIELDS, { alias, object });
}
