import { LEAD_TAGS, LEAD_TAGS_XREF } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import { insertRow, selectOne, selectRows } from './table-access.ts';

/** A `lead_tags` row. */
export interface Tag {
  id: number;
  tag: string;
  description: string | null;
}

/** Inserts a tag. @returns its id. */
export function insertTag(db: Db, tag: string, description: string | null = null): Promise<number> {
  return insertRow(db, LEAD_TAGS, { tag: tag.slice(0, 191), description });
}

/** The tag with this id, or undefined. */
export function findTagById(db: Db, id: number): Promise<Tag | undefined> {
  return selectOne<Tag>(db, LEAD_TAGS, { id });
}

/** The oldest tag with this name, or undefined. */
export async function findTagByName(db: Db, tag: string): Promise<Tag | undefined> {
  const [found] = await selectRows<Tag>(db, LEAD_TAGS, { tag }, 'ORDER BY id LIMIT 1');
  return found;
}

/** Tags a contact; a tag it has already is left as it is. @returns true if a link was added. */
export async function tagContact(db: Db, leadId: number, tagId: number): Promise<boolean> {
  if (await selectOne(db, LEAD_TAGS_XREF, { lead_id: leadId, tag_id: tagId })) return false;
  await insertRow(db, LEAD_TAGS_XREF, { lead_id: leadId, tag_id: tagId });
  return true;
}

/** Removes a tag from a contact. @returns true if it had it. */
export async function untagContact(db: Db, leadId: number, tagId: number): Promise<boolean> {
  const { affectedRows } = await db.execute(`DELETE FROM ${db.table('lead_tags_xref')} WHERE lead_id = ? AND tag_id = ?`, [leadId, tagId]);
  return affectedRows > 0;
}
