import { COMPANIES, COMPANIES_LEADS, LEAD_COMPANIES_CHANGE_LOG } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import type { Writable } from './contact-rows.ts';
import { utcNow } from './row-codec.ts';
import { insertRow, selectOne, updateRows } from './table-access.ts';

/** A `companies` row (the installer's company fields; custom ones stay in the raw row). */
export interface Company {
  id: number;
  is_published: boolean;
  date_added: string | null;
  companyname: string | null;
  companyemail: string | null;
  companycity: string | null;
  companycountry: string | null;
  score: number | null;
}

/** A `companies_leads` row. */
export interface CompanyMember {
  company_id: number;
  lead_id: number;
  date_added: string;
  is_primary: boolean | null;
}

/** What `addContactToCompany` logs in `lead_companies_change_log`. */
export interface CompanyChange {
  type: string;
  eventName: string;
  actionName: string;
  /** UTC `Y-m-d H:i:s`. */
  when: string;
}

/** Inserts a company (published, `date_added` now unless given). @returns its id. */
export function insertCompany(db: Db, values: Writable<Company> & { companyname: string }): Promise<number> {
  return insertRow(db, COMPANIES, { is_published: true, date_added: utcNow(), social_cache: [], ...values });
}

/** The company with this id, or undefined. */
export function findCompanyById(db: Db, id: number): Promise<Company | undefined> {
  return selectOne<Company>(db, COMPANIES, { id });
}

/**
 * Makes `companyId` the contact's primary company: the `companies_leads` link (the contact's
 * other links stop being primary), `leads.company` set to the company's name, and a
 * `lead_companies_change_log` row. A contact already linked to it is left as it is.
 *
 * @returns true if the contact was added
 */
export async function addContactToCompany(db: Db, company: Company, leadId: number, change: CompanyChange): Promise<boolean> {
  if (await selectOne(db, COMPANIES_LEADS, { company_id: company.id, lead_id: leadId })) return false;
  await updateRows(db, COMPANIES_LEADS, { lead_id: leadId }, { is_primary: false });
  await insertRow(db, COMPANIES_LEADS, { company_id: company.id, lead_id: leadId, date_added: change.when, is_primary: true });
  await db.execute(`UPDATE ${db.table('leads')} SET company = ? WHERE id = ?`, [company.companyname, leadId]);
  await insertRow(db, LEAD_COMPANIES_CHANGE_LOG, {
    lead_id: leadId, type: change.type, event_name: change.eventName, action_name: change.actionName, company_id: company.id, date_added: change.when,
  });
  return true;
}
