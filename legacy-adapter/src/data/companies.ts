import { COMPANIES, COMPANIES_LEADS, LEAD_COMPANIES_CHANGE_LOG } from '../db/schema/index.ts';
import { decodeRow } from './row-codec.ts';
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

/** Inserts a company (published, `date_added` now unless given; any company field column). @returns its id. */
export function insertCompany(db: Db, values: Writable<Company> & Record<string, string | number | boolean | null> & { companyname: string }): Promise<number> {
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

/** `companies` field columns a form may write (the installer's company fields), by name. */
const COMPANY_FIELDS = new Map(COMPANIES.columns.filter((c) => c.name.startsWith('company')).map((c) => [c.name, c]));

/**
 * Form values mapped to company fields (`mapped_object` company) as `companies` column values:
 * the installer's fields only, numbers for number fields (unreadable ones dropped), text cut to
 * the column's length.
 */
export function toCompanyValues(values: Readonly<Record<string, string>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [alias, value] of Object.entries(values)) {
    const column = COMPANY_FIELDS.get(alias);
    if (!column || value === '') continue;
    if (column.kind === 'float') {
      if (Number.isFinite(Number(value))) out[alias] = Number(value);
    } else {
      const length = /^VARCHAR\((\d+)\)$/.exec(column.type)?.[1];
      out[alias] = length ? value.slice(0, Number(length)) : value;
    }
  }
  return out;
}

/** The oldest company with this name, compared case-insensitively on every dialect, or undefined. */
export async function findCompanyByName(db: Db, name: string): Promise<Company | undefined> {
  const [row] = await db.query(`SELECT * FROM ${db.table('companies')} WHERE LOWER(companyname) = LOWER(?) ORDER BY id LIMIT 1`, [name]);
  return row ? decodeRow<Company>(COMPANIES, row) : undefined;
}

/**
 * The company a submission names through its company-mapped fields (docs/mautic/public-http.md
 * §4.2 "Otherwise" step 1): found by `companyname`, else created with the submitted values,
 * then made the contact's primary company (`addContactToCompany`). Without a `companyname`
 * nothing happens. An existing company's fields are left as they are.
 *
 * @returns the company, or undefined when none was named
 */
export async function linkSubmittedCompany(db: Db, leadId: number, values: Record<string, string | number>, change: CompanyChange): Promise<Company | undefined> {
  const name = typeof values.companyname === 'string' ? values.companyname.trim() : '';
  if (!name) return undefined;
  const found = await findCompanyByName(db, name);
  const company = found ?? (await findCompanyById(db, await insertCompany(db, { ...values, companyname: name, date_added: change.when })))!;
  await addContactToCompany(db, company, leadId, change);
  return company;
}
