import { AUDIT_COLUMNS, autoIdx, autoUniq, col, fk, generated, idx, table, type ColumnDef, type IndexDef } from './define.ts';

/** Indexes the installer adds to `leads` with bare (never prefixed) names, docs/mautic/schema.md §0.2. */
const INSTALLER_LEAD_INDEXES: IndexDef[] = [
  ['fax_search', 'fax'],
  ['preferred_locale_search', 'preferred_locale'],
  ['attribution_date_search', 'attribution_date'],
  ['attribution_search', 'attribution'],
  ['website_search', 'website'],
  ['facebook_search', 'facebook'],
  ['foursquare_search', 'foursquare'],
  ['instagram_search', 'instagram'],
  ['linkedin_search', 'linkedin'],
  ['skype_search', 'skype'],
  ['twitter_search', 'twitter'],
  ['contact_attribution', 'attribution', 'attribution_date'],
  ['date_added_country_index', 'date_added', 'country'],
].map(([name = '', ...columns]) => ({ name, columns, bare: true }));

/** The 15 fixed core fields mapped on the entity, then the 11 the installer adds (all VARCHAR(191) but two). */
const CORE_FIELD_COLUMNS = [
  ...['title', 'firstname', 'lastname', 'company', 'position', 'email', 'phone', 'mobile', 'address1', 'address2', 'city', 'state', 'zipcode', 'timezone', 'country', 'fax', 'preferred_locale'].map((c) => `${c} VARCHAR(191)`),
  'attribution_date DATETIME',
  'attribution DOUBLE PRECISION',
  ...['website', 'facebook', 'foursquare', 'instagram', 'linkedin', 'skype', 'twitter'].map((c) => `${c} VARCHAR(191)`),
];

/** `leads` — contacts (docs/mautic/schema.md "leads"). */
export const LEADS = table(
  'leads',
  [
    'id BIGINT UNSIGNED AUTO_INCREMENT',
    'owner_id INT UNSIGNED',
    'stage_id INT UNSIGNED',
    ...AUDIT_COLUMNS,
    'points INT NOT NULL',
    'last_active DATETIME',
    'internal ARRAY',
    'social_cache ARRAY',
    'date_identified DATETIME',
    'preferred_profile_image VARCHAR(191)',
    ...CORE_FIELD_COLUMNS,
    generated('generated_email_domain', 'VARCHAR(255)', 'string', "SUBSTRING(email, LOCATE('@', email) + 1)", "substr(email, instr(email, '@') + 1)"),
  ],
  {
    indexes: [
      autoIdx('owner_id'),
      autoIdx('stage_id'),
      idx('lead_date_added', 'date_added'),
      idx('date_identified', 'date_identified'),
      ...INSTALLER_LEAD_INDEXES,
      idx('generated_email_domain', 'generated_email_domain'),
    ],
    foreignKeys: [fk('owner_id', 'users', 'SET NULL'), fk('stage_id', 'stages', 'SET NULL')],
  },
);

/** `lead_devices`. */
export const LEAD_DEVICES = table(
  'lead_devices',
  [
    'id BIGINT UNSIGNED AUTO_INCREMENT',
    'lead_id BIGINT UNSIGNED NOT NULL',
    'date_added DATETIME NOT NULL',
    'client_info ARRAY',
    ...['device', 'device_os_name', 'device_os_shortname', 'device_os_version', 'device_os_platform', 'device_brand', 'device_model', 'tracking_id'].map((c) => `${c} VARCHAR(191)`),
  ],
  {
    indexes: [
      autoUniq('tracking_id'),
      autoIdx('lead_id'),
      idx('date_added_search', 'date_added'),
      ...['device', 'device_os_name', 'device_os_shortname', 'device_os_version', 'device_os_platform', 'device_brand', 'device_model'].map((c) => idx(`${c}_search`, c)),
    ],
    foreignKeys: [fk('lead_id', 'leads', 'CASCADE')],
  },
);

/** `ip_addresses`. */
export const IP_ADDRESSES = table('ip_addresses', ['id INT UNSIGNED AUTO_INCREMENT', 'ip_address VARCHAR(45) NOT NULL', 'ip_details ARRAY'], {
  indexes: [idx('ip_search', 'ip_address')],
});

/** `lead_ips_xref` — contact ↔ IP join table. */
export const LEAD_IPS_XREF = table('lead_ips_xref', ['lead_id BIGINT UNSIGNED NOT NULL', 'ip_id INT UNSIGNED NOT NULL'], {
  primaryKey: ['lead_id', 'ip_id'],
  indexes: [autoIdx('ip_id')],
  foreignKeys: [fk('lead_id', 'leads', 'CASCADE'), fk('ip_id', 'ip_addresses', 'CASCADE')],
});

/** `lead_event_log`. */
export const LEAD_EVENT_LOG = table(
  'lead_event_log',
  [
    'id BIGINT UNSIGNED AUTO_INCREMENT',
    'lead_id BIGINT UNSIGNED',
    'user_id INT',
    'user_name VARCHAR(191)',
    'bundle VARCHAR(191)',
    'object VARCHAR(191)',
    'action VARCHAR(191)',
    'object_id INT',
    'date_added DATETIME NOT NULL',
    'properties JSON',
  ],
  {
    indexes: [
      idx('lead_id_index', 'lead_id'),
      idx('lead_object_index', 'object', 'object_id'),
      idx('lead_timeline_index', 'bundle', 'object', 'action', 'object_id'),
      idx('IDX_SEARCH', 'bundle', 'object', 'action', 'object_id', 'date_added'),
      idx('lead_timeline_action_index', 'action'),
      idx('lead_date_added_index', 'date_added'),
    ],
    foreignKeys: [fk('lead_id', 'leads', 'CASCADE')],
  },
);

/** `lead_donotcontact`. */
export const LEAD_DONOTCONTACT = table(
  'lead_donotcontact',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'lead_id BIGINT UNSIGNED',
    'date_added DATETIME NOT NULL',
    'reason SMALLINT NOT NULL',
    'channel VARCHAR(191) NOT NULL',
    'channel_id INT',
    'comments LONGTEXT',
  ],
  {
    indexes: [
      autoIdx('lead_id'),
      idx('leadid_reason_channel', 'lead_id', 'channel', 'reason'),
      idx('dnc_reason_search', 'reason'),
      idx('dnc_date_added', 'date_added'),
    ],
    foreignKeys: [fk('lead_id', 'leads', 'CASCADE')],
  },
);

/** `lead_fields` — contact and company field definitions. */
export const LEAD_FIELDS = table(
  'lead_fields',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    ...AUDIT_COLUMNS,
    'label VARCHAR(191) NOT NULL',
    'alias VARCHAR(191) NOT NULL',
    'type VARCHAR(50) NOT NULL',
    'field_group VARCHAR(191)',
    'default_value VARCHAR(191)',
    ...['is_required', 'is_fixed', 'is_visible', 'is_short_visible', 'is_listable', 'is_publicly_updatable'].map((c) => `${c} TINYINT(1) NOT NULL`),
    'is_unique_identifer TINYINT(1)',
    'is_index TINYINT(1)',
    'char_length_limit INT',
    'field_order INT',
    'object VARCHAR(191)',
    'properties ARRAY',
    // The only two NOT NULL columns with a DB default in the covered tables (§0.4).
    tinyintDefaultZero('column_is_not_created'),
    tinyintDefaultZero('original_is_published_value'),
  ],
  { indexes: [idx('idx_object_field_order_is_published', 'object', 'field_order', 'is_published')] },
);

function tinyintDefaultZero(name: string): ColumnDef {
  return { ...col(`${name} TINYINT(1) NOT NULL`), defaultValue: 0 };
}
