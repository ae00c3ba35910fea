import { autoIdx, fk, idx, table } from './define.ts';

/** `lead_tags` — the tag names. */
export const LEAD_TAGS = table('lead_tags', ['id INT UNSIGNED AUTO_INCREMENT', 'tag VARCHAR(191) NOT NULL', 'description LONGTEXT'], {
  indexes: [idx('lead_tag_search', 'tag')],
});

/** `lead_tags_xref` — a contact's tags (deleting a tag in use is refused: no ON DELETE rule). */
export const LEAD_TAGS_XREF = table('lead_tags_xref', ['lead_id BIGINT UNSIGNED NOT NULL', 'tag_id INT UNSIGNED NOT NULL'], {
  primaryKey: ['lead_id', 'tag_id'],
  indexes: [autoIdx('tag_id')],
  foreignKeys: [fk('lead_id', 'leads', 'CASCADE'), fk('tag_id', 'lead_tags')],
});
