import { AUDIT_COLUMNS, autoIdx, fk, idx, table } from './define.ts';

/** `forms` (docs/mautic/schema.md "forms"); each has a `form_results_{id}_{alias}` table too. */
export const FORMS = table(
  'forms',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'category_id INT UNSIGNED',
    ...AUDIT_COLUMNS,
    'name VARCHAR(191) NOT NULL',
    'description LONGTEXT',
    'alias VARCHAR(191) NOT NULL',
    'lang VARCHAR(191)',
    'form_attr VARCHAR(191)',
    'cached_html LONGTEXT',
    'post_action VARCHAR(191) NOT NULL',
    'post_action_property LONGTEXT',
    'publish_up DATETIME',
    'publish_down DATETIME',
    'template VARCHAR(191)',
    'in_kiosk_mode TINYINT(1)',
    'render_style TINYINT(1)',
    'form_type VARCHAR(191)',
    'no_index TINYINT(1)',
    'progressive_profiling_limit INT',
  ],
  { indexes: [autoIdx('category_id')], foreignKeys: [fk('category_id', 'categories', 'SET NULL')] },
);

/** `form_fields`. */
export const FORM_FIELDS = table(
  'form_fields',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'form_id INT UNSIGNED NOT NULL',
    'label LONGTEXT NOT NULL',
    'show_label TINYINT(1)',
    'alias VARCHAR(191) NOT NULL',
    'type VARCHAR(191) NOT NULL',
    'is_custom TINYINT(1) NOT NULL',
    'custom_parameters ARRAY',
    'default_value LONGTEXT',
    'is_required TINYINT(1) NOT NULL',
    'validation_message LONGTEXT',
    'help_message LONGTEXT',
    'field_order INT',
    'properties ARRAY',
    'validation JSON',
    'parent_id VARCHAR(191)',
    'conditions JSON',
    'label_attr VARCHAR(191)',
    'input_attr VARCHAR(191)',
    'container_attr VARCHAR(191)',
    'lead_field VARCHAR(191)',
    'save_result TINYINT(1)',
    'is_auto_fill TINYINT(1)',
    'show_when_value_exists TINYINT(1)',
    'show_after_x_submissions INT',
    'always_display TINYINT(1)',
    'mapped_object VARCHAR(191)',
    'mapped_field VARCHAR(191)',
  ],
  { indexes: [autoIdx('form_id'), idx('form_field_type_search', 'type')], foreignKeys: [fk('form_id', 'forms', 'CASCADE')] },
);

/** `form_actions`. */
export const FORM_ACTIONS = table(
  'form_actions',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'form_id INT UNSIGNED NOT NULL',
    'name VARCHAR(191) NOT NULL',
    'description LONGTEXT',
    'type VARCHAR(50) NOT NULL',
    'action_order INT NOT NULL',
    'properties ARRAY NOT NULL',
  ],
  { indexes: [autoIdx('form_id'), idx('form_action_type_search', 'type')], foreignKeys: [fk('form_id', 'forms', 'CASCADE')] },
);

/** `form_submissions`. */
export const FORM_SUBMISSIONS = table(
  'form_submissions',
  [
    'id BIGINT UNSIGNED AUTO_INCREMENT',
    'form_id INT UNSIGNED NOT NULL',
    'ip_id INT UNSIGNED',
    'lead_id BIGINT UNSIGNED',
    'page_id INT UNSIGNED',
    'tracking_id VARCHAR(191)',
    'date_submitted DATETIME NOT NULL',
    'referer LONGTEXT NOT NULL',
  ],
  {
    indexes: [
      ...['form_id', 'ip_id', 'lead_id', 'page_id'].map((c) => autoIdx(c)),
      idx('form_submission_tracking_search', 'tracking_id'),
      idx('form_date_submitted', 'date_submitted'),
    ],
    foreignKeys: [fk('form_id', 'forms', 'CASCADE'), fk('ip_id', 'ip_addresses', 'SET NULL'), fk('lead_id', 'leads', 'SET NULL'), fk('page_id', 'pages', 'SET NULL')],
  },
);
