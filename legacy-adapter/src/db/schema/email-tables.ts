import { AUDIT_COLUMNS, autoIdx, fk, generated, idx, table } from './define.ts';

/** `emails` (docs/mautic/schema.md "emails"). */
export const EMAILS = table(
  'emails',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'category_id INT UNSIGNED',
    'translation_parent_id INT UNSIGNED',
    'variant_parent_id INT UNSIGNED',
    'unsubscribeform_id INT UNSIGNED',
    'preference_center_id INT UNSIGNED',
    ...AUDIT_COLUMNS,
    'name VARCHAR(191) NOT NULL',
    'description LONGTEXT',
    'subject LONGTEXT',
    'preheader_text VARCHAR(191)',
    'from_address VARCHAR(191)',
    'from_name VARCHAR(191)',
    'reply_to_address VARCHAR(191)',
    'bcc_address VARCHAR(191)',
    'use_owner_as_mailer TINYINT(1)',
    'template VARCHAR(191)',
    'content ARRAY',
    'utm_tags ARRAY',
    'plain_text LONGTEXT',
    'custom_html LONGTEXT',
    'email_type LONGTEXT',
    'publish_up DATETIME',
    'publish_down DATETIME',
    ...['read_count', 'sent_count', 'variant_sent_count', 'variant_read_count', 'revision'].map((c) => `${c} INT NOT NULL`),
    'lang VARCHAR(191) NOT NULL',
    'variant_settings ARRAY',
    'variant_start_date DATETIME',
    'dynamic_content ARRAY',
    'headers JSON NOT NULL',
    'public_preview TINYINT(1)',
  ],
  {
    indexes: ['category_id', 'translation_parent_id', 'variant_parent_id', 'unsubscribeform_id', 'preference_center_id'].map((c) => autoIdx(c)),
    foreignKeys: [
      fk('category_id', 'categories', 'SET NULL'),
      fk('translation_parent_id', 'emails', 'CASCADE'),
      fk('variant_parent_id', 'emails', 'CASCADE'),
      fk('unsubscribeform_id', 'forms', 'SET NULL'),
      fk('preference_center_id', 'pages', 'SET NULL'),
    ],
  },
);

/** `email_stats` — one row per email sent to a contact. */
export const EMAIL_STATS = table(
  'email_stats',
  [
    'id BIGINT UNSIGNED AUTO_INCREMENT',
    'email_id INT UNSIGNED',
    'lead_id BIGINT UNSIGNED',
    'list_id INT UNSIGNED',
    'ip_id INT UNSIGNED',
    'copy_id VARCHAR(32)',
    'email_address VARCHAR(191) NOT NULL',
    'date_sent DATETIME NOT NULL',
    'is_read TINYINT(1) NOT NULL',
    'is_failed TINYINT(1) NOT NULL',
    'viewed_in_browser TINYINT(1) NOT NULL',
    'date_read DATETIME',
    'tracking_hash VARCHAR(191)',
    'retry_count INT',
    'source VARCHAR(191)',
    'source_id INT',
    'tokens ARRAY',
    'open_count INT',
    'last_opened DATETIME',
    'open_details ARRAY',
    generated(
      'generated_sent_date',
      'DATE',
      'date',
      "CONCAT(YEAR(date_sent), '-', LPAD(MONTH(date_sent), 2, '0'), '-', LPAD(DAY(date_sent), 2, '0'))",
      'date(date_sent)',
    ),
  ],
  {
    indexes: [
      ...['email_id', 'lead_id', 'list_id', 'ip_id', 'copy_id'].map((c) => autoIdx(c)),
      idx('stat_email_search', 'email_id', 'lead_id'),
      idx('stat_email_search2', 'lead_id', 'email_id'),
      idx('stat_email_failed_search', 'is_failed'),
      idx('is_read_date_sent', 'is_read', 'date_sent'),
      idx('stat_email_hash_search', 'tracking_hash'),
      idx('stat_email_source_search', 'source', 'source_id'),
      idx('email_date_sent', 'date_sent'),
      idx('email_date_read_lead', 'date_read', 'lead_id'),
      idx('stat_email_lead_id_date_sent', 'lead_id', 'date_sent'),
      idx('stat_email_email_id_is_read', 'email_id', 'is_read'),
      idx('generated_sent_date_email_id', 'generated_sent_date', 'email_id'),
    ],
    foreignKeys: [
      fk('email_id', 'emails', 'SET NULL'),
      fk('lead_id', 'leads', 'SET NULL'),
      fk('list_id', 'lead_lists', 'SET NULL'),
      fk('ip_id', 'ip_addresses', 'SET NULL'),
      fk('copy_id', 'email_copies', 'SET NULL'),
    ],
  },
);

/** `email_copies` — the rendered subject/body, keyed by md5(subject . body). */
export const EMAIL_COPIES = table('email_copies', [
  'id VARCHAR(32) NOT NULL',
  'date_created DATETIME NOT NULL',
  'body LONGTEXT',
  'body_text LONGTEXT',
  'subject LONGTEXT',
]);

/** `email_stats_devices` — which device opened a sent email. */
export const EMAIL_STATS_DEVICES = table(
  'email_stats_devices',
  ['id BIGINT UNSIGNED AUTO_INCREMENT', 'device_id BIGINT UNSIGNED', 'stat_id BIGINT UNSIGNED', 'ip_id INT UNSIGNED', 'date_opened DATETIME NOT NULL'],
  {
    indexes: [autoIdx('device_id'), autoIdx('stat_id'), autoIdx('ip_id'), idx('date_opened_search', 'date_opened')],
    foreignKeys: [fk('device_id', 'lead_devices', 'CASCADE'), fk('stat_id', 'email_stats', 'CASCADE'), fk('ip_id', 'ip_addresses', 'SET NULL')],
  },
);

/**
 * `email_list_xref` — the segments a segment (`list`) email is sent to. Not in docs/mautic/schema.md
 * Appendix A ("joined tables, not detailed"); written from Mautic's own DDL so segment sends work.
 */
export const EMAIL_LIST_XREF = table('email_list_xref', ['email_id INT UNSIGNED NOT NULL', 'leadlist_id INT UNSIGNED NOT NULL'], {
  primaryKey: ['email_id', 'leadlist_id'],
  indexes: [autoIdx('leadlist_id')],
  foreignKeys: [fk('email_id', 'emails', 'CASCADE'), fk('leadlist_id', 'lead_lists', 'CASCADE')],
});

/**
 * `email_list_excluded` — segments whose members a segment email skips (docs/mautic/public-http.md
 * §5.2). Named in docs/mautic/schema.md "emails" (joined tables); shape from Mautic 5's own DDL.
 */
export const EMAIL_LIST_EXCLUDED = table('email_list_excluded', ['email_id INT UNSIGNED NOT NULL', 'leadlist_id INT UNSIGNED NOT NULL'], {
  primaryKey: ['email_id', 'leadlist_id'],
  indexes: [autoIdx('leadlist_id')],
  foreignKeys: [fk('email_id', 'emails', 'CASCADE'), fk('leadlist_id', 'lead_lists', 'CASCADE')],
});

/**
 * `email_stat_replies` — replies to a sent email (reply API, monitored inbox; docs/mautic/public-http.md
 * §5.4). Not in docs/mautic/schema.md; shape from Mautic 5's own DDL: the id is a GUID string.
 */
export const EMAIL_STAT_REPLIES = table(
  'email_stat_replies',
  ['id GUID NOT NULL', 'stat_id BIGINT UNSIGNED NOT NULL', 'date_replied DATETIME NOT NULL', 'message_id VARCHAR(191) NOT NULL'],
  {
    indexes: [autoIdx('stat_id'), idx('email_replies', 'stat_id', 'message_id'), idx('date_email_replied', 'date_replied')],
    foreignKeys: [fk('stat_id', 'email_stats', 'CASCADE')],
  },
);
