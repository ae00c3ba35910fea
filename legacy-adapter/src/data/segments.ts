import type { PhpValue } from '../codecs/php-serialize.ts';
import { LEAD_LISTS, LEAD_LISTS_LEADS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import type { AuditColumns } from './audit-columns.ts';
import type { Writable } from './contact-rows.ts';
import { utcNow } from './row-codec.ts';
import { insertRow, selectOne, selectRows, updateRows } from './table-access.ts';

/** A `lead_lists` row (a segment). */
export interface Segment extends AuditColumns {
  id: number;
  category_id: number | null;
  name: string;
  description: string | null;
  alias: string;
  public_name: string;
  /** Segment filter definition (PHP array). */
  filters: PhpValue;
  is_global: boolean;
  is_preference_center: boolean;
  last_built_date: string | null;
  last_built_time: number | null;
}

/** A `lead_lists_leads` row (segment membership). */
export interface SegmentMember {
  leadlist_id: number;
  lead_id: number;
  date_added: string;
  manually_removed: boolean;
  manually_added: boolean;
}

/**
 * Inserts a segment with Mautic's initial values: published, `filters` `a:0:{}`, global,
 * not a preference center, `public_name` = `name`, `date_added` now.
 * @returns the new `lead_lists.id`.
 */
export function insertSegment(db: Db, values: Writable<Segment> & { name: string; alias: string }): Promise<number> {
  return insertRow(db, LEAD_LISTS, {
    is_published: true,
    filters: [],
    is_global: true,
    is_preference_center: false,
    public_name: values.name,
    date_added: utcNow(),
    ...values,
  });
}

/** The segment with this id, or undefined. */
export function findSegmentById(db: Db, id: number): Promise<Segment | undefined> {
  return selectOne<Segment>(db, LEAD_LISTS, { id });
}

/** The segment with this alias, or undefined. */
export function findSegmentByAlias(db: Db, alias: string): Promise<Segment | undefined> {
  return selectOne<Segment>(db, LEAD_LISTS, { alias });
}

/**
 * Adds a contact to a segment (`manually_added` / `manually_removed` 0 unless given,
 * `date_added` now); a contact already in it is left as it is.
 * @returns true if a membership row was added.
 */
export async function addLeadToSegment(db: Db, segmentId: number, leadId: number, values: Writable<SegmentMember> = {}): Promise<boolean> {
  if (await selectOne(db, LEAD_LISTS_LEADS, { leadlist_id: segmentId, lead_id: leadId })) return false;
  await insertRow(db, LEAD_LISTS_LEADS, {
    date_added: utcNow(),
    manually_removed: false,
    manually_added: false,
    ...values,
    leadlist_id: segmentId,
    lead_id: leadId,
  });
  return true;
}

/** Marks a contact as manually removed from a segment. @returns rows changed. */
export function removeLeadFromSegment(db: Db, segmentId: number, leadId: number): Promise<number> {
  return updateRows(db, LEAD_LISTS_LEADS, { leadlist_id: segmentId, lead_id: leadId }, { manually_removed: true });
}

/** Ids of the contacts in a segment (not manually removed), ascending. */
export async function listSegmentLeadIds(db: Db, segmentId: number): Promise<number[]> {
  const rows = await selectRows<SegmentMember>(db, LEAD_LISTS_LEADS, { leadlist_id: segmentId, manually_removed: 0 }, 'ORDER BY lead_id');
  return rows.map((r) => r.lead_id);
}
