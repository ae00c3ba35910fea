import { ASSETS, EMAIL_ASSETS_XREF } from './asset-tables.ts';
import { CHANNEL_URL_TRACKABLES, PAGE_HITS, PAGE_REDIRECTS } from './page-tables.ts';
import { EMAIL_COPIES, EMAIL_LIST_EXCLUDED, EMAIL_LIST_XREF, EMAIL_STAT_REPLIES, EMAIL_STATS, EMAIL_STATS_DEVICES, EMAILS } from './email-tables.ts';
import { FORM_ACTIONS, FORM_FIELDS, FORM_SUBMISSIONS, FORMS } from './form-tables.ts';
import { IP_ADDRESSES, LEAD_DEVICES, LEAD_DONOTCONTACT, LEAD_EVENT_LOG, LEAD_FIELDS, LEAD_IPS_XREF, LEADS } from './contact-tables.ts';
import { LEAD_LISTS, LEAD_LISTS_LEADS } from './segment-tables.ts';
import { COMPANIES, COMPANIES_LEADS, LEAD_COMPANIES_CHANGE_LOG } from './company-tables.ts';
import { LEAD_TAGS, LEAD_TAGS_XREF } from './tag-tables.ts';
import { CONTACT_MERGE_RECORDS, LEAD_POINTS_CHANGE_LOG, POINT_LEAD_ACTION_LOG, POINTS } from './contact-history-tables.ts';
import { CAMPAIGN_FORM_XREF, CAMPAIGN_LEADS, CAMPAIGNS } from './campaign-tables.ts';
import {
  OAUTH2_ACCESSTOKENS,
  OAUTH2_AUTHCODES,
  OAUTH2_CLIENTS,
  OAUTH2_REFRESHTOKENS,
  OAUTH2_USER_CLIENT_XREF,
  PERMISSIONS,
  ROLES,
  USERS,
} from './user-tables.ts';
import type { TableDef } from './define.ts';

export type { ColumnDef, ColumnKind, ForeignKeyDef, IndexDef, MysqlType, TableDef } from './define.ts';
export { doctrineName } from './doctrine-names.ts';

/**
 * Every Mautic 5 table this project creates and reads: the 28 tables of docs/mautic/schema.md
 * Appendix A plus `email_list_xref` and `email_list_excluded` (segments a segment email targets
 * and skips), `email_stat_replies` (replies), `assets` and `email_assets_xref` (attachments), and, from
 * Mautic's own DDL, what a form submission's contact merge, actions and campaigns write (tags, companies,
 * points and merge logs, campaign members, point actions and their log). Order = creation order; foreign keys are added after all tables exist.
 */
export const MAUTIC_TABLES: readonly TableDef[] = [
  ROLES, PERMISSIONS, USERS,
  OAUTH2_CLIENTS, OAUTH2_ACCESSTOKENS, OAUTH2_REFRESHTOKENS, OAUTH2_AUTHCODES, OAUTH2_USER_CLIENT_XREF,
  LEADS, LEAD_DEVICES, IP_ADDRESSES, LEAD_IPS_XREF, LEAD_EVENT_LOG, LEAD_DONOTCONTACT, LEAD_FIELDS,
  LEAD_LISTS, LEAD_LISTS_LEADS,
  PAGE_REDIRECTS, CHANNEL_URL_TRACKABLES, PAGE_HITS,
  EMAILS, EMAIL_LIST_XREF, EMAIL_LIST_EXCLUDED, EMAIL_COPIES, EMAIL_STATS, EMAIL_STATS_DEVICES, EMAIL_STAT_REPLIES,
  ASSETS, EMAIL_ASSETS_XREF,
  FORMS, FORM_FIELDS, FORM_ACTIONS, FORM_SUBMISSIONS,
  LEAD_TAGS, LEAD_TAGS_XREF, COMPANIES, COMPANIES_LEADS, LEAD_COMPANIES_CHANGE_LOG, LEAD_POINTS_CHANGE_LOG, CONTACT_MERGE_RECORDS,
  CAMPAIGNS, CAMPAIGN_FORM_XREF, CAMPAIGN_LEADS, POINTS, POINT_LEAD_ACTION_LOG,
];

const BY_NAME = new Map(MAUTIC_TABLES.map((t) => [t.name, t]));

/** The definition of a covered table by its unprefixed name, or undefined. */
export function tableDef(name: string): TableDef | undefined {
  return BY_NAME.get(name);
}

/**
 * Mautic tables that covered tables point at but this project does not create
 * (`categories`, `stages`, `pages`, `point_groups`). Their foreign keys are left out; the columns stay.
 */
export const UNCOVERED_REFERENCES: readonly string[] = ['categories', 'stages', 'pages', 'point_groups'];

export {
  CAMPAIGN_FORM_XREF, CAMPAIGN_LEADS, CAMPAIGNS, COMPANIES, COMPANIES_LEADS, CONTACT_MERGE_RECORDS, LEAD_COMPANIES_CHANGE_LOG, LEAD_POINTS_CHANGE_LOG, LEAD_TAGS, LEAD_TAGS_XREF, POINT_LEAD_ACTION_LOG, POINTS,
  ASSETS, CHANNEL_URL_TRACKABLES, EMAIL_ASSETS_XREF, EMAIL_COPIES, EMAIL_LIST_EXCLUDED, EMAIL_LIST_XREF, EMAIL_STAT_REPLIES, EMAIL_STATS, EMAIL_STATS_DEVICES, EMAILS, FORM_ACTIONS, FORM_FIELDS, FORM_SUBMISSIONS, FORMS,
  IP_ADDRESSES, LEAD_DEVICES, LEAD_DONOTCONTACT, LEAD_EVENT_LOG, LEAD_FIELDS, LEAD_IPS_XREF, LEAD_LISTS, LEAD_LISTS_LEADS, LEADS,
  OAUTH2_ACCESSTOKENS, OAUTH2_AUTHCODES, OAUTH2_CLIENTS, OAUTH2_REFRESHTOKENS, OAUTH2_USER_CLIENT_XREF, PAGE_HITS, PAGE_REDIRECTS,
  PERMISSIONS, ROLES, USERS,
};
