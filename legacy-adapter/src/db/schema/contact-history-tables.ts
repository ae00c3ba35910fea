import { autoIdx, fk, idx, table } from './define.ts';

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
