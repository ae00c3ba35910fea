import { AUDIT_COLUMNS, autoIdx, fk, idx, table } from './define.ts';

/** `lead_lists` — segments (docs/mautic/schema.md "lead_lists"). */
export const LEAD_LISTS = table(
  'lead_lists',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'category_id INT UNSIGNED',
    ...AUDIT_COLUMNS,
    'name VARCHAR(191) NOT NULL',
    'description LONGTEXT',
    'alias VARCHAR(191) NOT NULL',
    'public_name VARCHAR(191) NOT NULL',
    'filters ARRAY NOT NULL',
    'is_global TINYINT(1) NOT NULL',
    'is_preference_center TINYINT(1) NOT NULL',
    'last_built_date DATETIME',
    'last_built_time DOUBLE PRECISION',
  ],
  {
    indexes: [autoIdx('category_id'), idx('lead_list_alias', 'alias')],
    foreignKeys: [fk('category_id', 'categories', 'SET NULL')],
  },
);

/** `lead_lists_leads` — segment membership. */
export const LEAD_LISTS_LEADS = table(
  'lead_lists_leads',
  [
    'leadlist_id INT UNSIGNED NOT NULL',
    'lead_id BIGINT UNSIGNED NOT NULL',
    'date_added DATETIME NOT NULL',
    'manually_removed TINYINT(1) NOT NULL',
    'manually_added TINYINT(1) NOT NULL',
  ],
  {
    primaryKey: ['leadlist_id', 'lead_id'],
    indexes: [autoIdx('lead_id'), idx('manually_removed', 'manually_removed')],
    foreignKeys: [fk('leadlist_id', 'lead_lists', 'CASCADE'), fk('lead_id', 'leads', 'CASCADE')],
  },
);
