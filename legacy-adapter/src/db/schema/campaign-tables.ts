import { AUDIT_COLUMNS, autoIdx, col, fk, idx, table } from './define.ts';

/** `campaigns` — only what a form submission reads: published, not deleted, in its window. */
export const CAMPAIGNS = table(
  'campaigns',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'category_id INT UNSIGNED',
    ...AUDIT_COLUMNS,
    'name VARCHAR(191) NOT NULL',
    'description LONGTEXT',
    'publish_up DATETIME',
    'publish_down DATETIME',
    'canvas_settings ARRAY',
    'allow_restart TINYINT(1) NOT NULL',
    'deleted DATETIME',
    // The one NOT NULL column with a DB default outside lead_fields (Mautic's own DDL).
    { ...col('version INT UNSIGNED NOT NULL'), defaultValue: 1 },
  ],
  { indexes: [autoIdx('category_id')], foreignKeys: [fk('category_id', 'categories', 'SET NULL')] },
);

/** `campaign_form_xref` — the forms a campaign starts from. */
export const CAMPAIGN_FORM_XREF = table('campaign_form_xref', ['campaign_id INT UNSIGNED NOT NULL', 'form_id INT UNSIGNED NOT NULL'], {
  primaryKey: ['campaign_id', 'form_id'],
  indexes: [autoIdx('form_id')],
  foreignKeys: [fk('campaign_id', 'campaigns', 'CASCADE'), fk('form_id', 'forms', 'CASCADE')],
});

/** `campaign_leads` — a campaign's contacts. */
export const CAMPAIGN_LEADS = table(
  'campaign_leads',
  [
    'campaign_id INT UNSIGNED NOT NULL',
    'lead_id BIGINT UNSIGNED NOT NULL',
    'date_added DATETIME NOT NULL',
    'manually_removed TINYINT(1) NOT NULL',
    'manually_added TINYINT(1) NOT NULL',
    'date_last_exited DATETIME',
    'rotation INT NOT NULL',
  ],
  {
    primaryKey: ['campaign_id', 'lead_id'],
    indexes: [
      autoIdx('lead_id'),
      idx('campaign_leads_date_added', 'date_added'),
      idx('campaign_leads_date_exited', 'date_last_exited'),
      idx('campaign_leads', 'campaign_id', 'manually_removed', 'lead_id', 'rotation'),
    ],
    foreignKeys: [fk('campaign_id', 'campaigns', 'CASCADE'), fk('lead_id', 'leads', 'CASCADE')],
  },
);
