import { AUDIT_COLUMNS, autoIdx, fk, idx, table } from './define.ts';

/** `lead_points_change_log` — every change of `leads.points`, with its delta and cause. */
export const LEAD_POINTS_CHANGE_LOG = table(
  'lead_points_change_log',
  [
    'id BIGINT UNSIGNED AUTO_INCREMENT',
    'lead_id BIGINT UNSIGNED NOT NULL',
    'ip_id INT UNSIGNED',
    'group_id INT UNSIGNED',
    'type TINYTEXT NOT NULL',
    'event_name VARCHAR(191) NOT NULL',
    'action_name VARCHAR(191) NOT NULL',
    'delta INT NOT NULL',
    'date_added DATETIME NOT NULL',
  ],
  {
    indexes: [autoIdx('lead_id'), autoIdx('ip_id'), autoIdx('group_id'), idx('point_date_added', 'date_added')],
    foreignKeys: [fk('lead_id', 'leads', 'CASCADE'), fk('ip_id', 'ip_addresses', 'SET NULL'), fk('group_id', 'point_groups', 'CASCADE')],
  },
);

/** `contact_merge_records` — a contact merged into another: the survivor, the merged id and its name. */
export const CONTACT_MERGE_RECORDS = table(
  'contact_merge_records',
  ['id INT AUTO_INCREMENT', 'contact_id BIGINT UNSIGNED NOT NULL', 'date_added DATETIME NOT NULL', 'merged_id INT NOT NULL', 'name VARCHAR(191) NOT NULL'],
  {
    indexes: [autoIdx('contact_id'), idx('contact_merge_date_added', 'date_added'), idx('contact_merge_ids', 'merged_id')],
    foreignKeys: [fk('contact_id', 'leads', 'CASCADE')],
  },
);

/** `points` — point actions: a delta a contact earns for doing something (e.g. `form.submit`). */
export const POINTS = table(
  'points',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'category_id INT UNSIGNED',
    'group_id INT UNSIGNED',
    ...AUDIT_COLUMNS,
    'name VARCHAR(191) NOT NULL',
    'description LONGTEXT',
    'type VARCHAR(50) NOT NULL',
    'publish_up DATETIME',
    'publish_down DATETIME',
    'repeatable TINYINT(1) NOT NULL',
    'delta INT NOT NULL',
    'properties ARRAY NOT NULL',
  ],
  {
    indexes: [autoIdx('category_id'), autoIdx('group_id'), idx('point_type_search', 'type')],
    foreignKeys: [fk('category_id', 'categories', 'SET NULL'), fk('group_id', 'point_groups', 'CASCADE')],
  },
);

/** `point_lead_action_log` — which point actions a contact was given, so a non-repeatable one is given once. */
export const POINT_LEAD_ACTION_LOG = table(
  'point_lead_action_log',
  ['point_id INT UNSIGNED NOT NULL', 'lead_id BIGINT UNSIGNED NOT NULL', 'ip_id INT UNSIGNED', 'date_fired DATETIME NOT NULL'],
  {
    primaryKey: ['point_id', 'lead_id'],
    indexes: [autoIdx('lead_id'), autoIdx('ip_id')],
    foreignKeys: [fk('point_id', 'points', 'CASCADE'), fk('lead_id', 'leads', 'CASCADE'), fk('ip_id', 'ip_addresses', 'SET NULL')],
  },
);
