import { AUDIT_COLUMNS, autoIdx, fk, idx, table, type IndexDef } from './define.ts';

/** Indexes the installer adds to `companies` for its non-fixed fields, with bare names as on `leads` (docs/mautic/schema.md §0.2). */
const INSTALLER_COMPANY_INDEXES: IndexDef[] = ['companynumber_of_employees', 'companyfax', 'companyannual_revenue']
  .map((column) => ({ name: `${column}_search`, columns: [column], bare: true }));

/** `companies`, with the installer's company fields as columns (docs/mautic/schema.md "Default lead_fields rows"). */
export const COMPANIES = table(
  'companies',
  [
    'id INT AUTO_INCREMENT',
    'owner_id INT UNSIGNED',
    ...AUDIT_COLUMNS,
    'social_cache ARRAY',
    'score INT',
    ...['companyemail', 'companyaddress1', 'companyaddress2', 'companyphone', 'companycity', 'companystate', 'companyzipcode', 'companycountry', 'companyname', 'companywebsite', 'companyindustry']
      .map((c) => `${c} VARCHAR(191)`),
    'companydescription LONGTEXT',
    'companynumber_of_employees DOUBLE PRECISION',
    'companyfax VARCHAR(191)',
    'companyannual_revenue DOUBLE PRECISION',
  ],
  {
    indexes: [
      autoIdx('owner_id'),
      ...INSTALLER_COMPANY_INDEXES,
      idx('company_filter', 'companyname', 'companyemail'),
      idx('company_match', 'companyname', 'companycity', 'companycountry', 'companystate'),
    ],
    foreignKeys: [fk('owner_id', 'users', 'SET NULL')],
  },
);

/** `companies_leads` — a contact's companies, one of them primary. */
export const COMPANIES_LEADS = table(
  'companies_leads',
  ['company_id INT NOT NULL', 'lead_id BIGINT UNSIGNED NOT NULL', 'date_added DATETIME NOT NULL', 'is_primary TINYINT(1)'],
  {
    primaryKey: ['company_id', 'lead_id'],
    indexes: [autoIdx('lead_id')],
    foreignKeys: [fk('company_id', 'companies', 'CASCADE'), fk('lead_id', 'leads', 'CASCADE')],
  },
);

/** `lead_companies_change_log` — when a contact joined or left a company, and through what. */
export const LEAD_COMPANIES_CHANGE_LOG = table(
  'lead_companies_change_log',
  [
    'id INT UNSIGNED AUTO_INCREMENT',
    'lead_id BIGINT UNSIGNED NOT NULL',
    'type TINYTEXT NOT NULL',
    'event_name VARCHAR(191) NOT NULL',
    'action_name VARCHAR(191) NOT NULL',
    'company_id INT NOT NULL',
    'date_added DATETIME NOT NULL',
  ],
  { indexes: [autoIdx('lead_id'), idx('company_date_added', 'date_added')], foreignKeys: [fk('lead_id', 'leads', 'CASCADE')] },
);
