/**
 * Shared facts of the form cases: forms written through the forms repository as Mautic's form
 * builder saves them (results tables included), the request bodies, the cookies, and the
 * clean-up between cases (results tables are dropped: each case makes its own).
 */
import { insertLead, insertLeadDevice } from '../../../legacy-adapter/src/data/contacts.ts';
import type { Writable } from '../../../legacy-adapter/src/data/contacts.ts';
import { createFormResultsTableFor } from '../../../legacy-adapter/src/data/form-results.ts';
import { insertForm, insertFormField } from '../../../legacy-adapter/src/data/forms.ts';
import type { Form as FormRow, FormField as FieldRow } from '../../../legacy-adapter/src/data/forms.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { BROWSER_UA, TEST_NOW_TEXT, clearTrackingTables } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';

export { BROWSER_UA, TEST_NOW_TEXT };

/** A field as a case writes it. */
export type FieldSpec = Writable<FieldRow> & Pick<FieldRow, 'label' | 'alias' | 'type'>;

export const EMAIL_FIELD: FieldSpec = { label: 'Email', alias: 'email', type: 'email', is_required: true, mapped_object: 'contact', mapped_field: 'email' };

/** The "Contact us" form's fields: mapped, list, URL, honeypot, hidden and a button. */
export const CONTACT_FIELDS: FieldSpec[] = [
  EMAIL_FIELD,
  { label: 'First name', alias: 'first_name', type: 'text', mapped_object: 'contact', mapped_field: 'firstname' },
  { label: 'Interests', alias: 'interests', type: 'checkboxgrp', properties: { list: { list: [{ label: 'A', value: 'a' }, { label: 'B', value: 'b' }] } } },
  { label: 'Website', alias: 'website', type: 'url' },
  { label: 'Leave empty', alias: 'hp', type: 'captcha', properties: { captcha: '' } },
  { label: 'Source', alias: 'src', type: 'hidden' },
  { label: 'Submit', alias: 'submit', type: 'button' },
];

/**
 * Writes a form, its fields (in order) and its results table.
 *
 * @returns the form id and, by alias, the field ids
 */
export async function givenForm(db: Db, values: Writable<FormRow> & { name: string; alias: string }, fields: FieldSpec[] = CONTACT_FIELDS): Promise<{ formId: number; fieldIds: Record<string, number> }> {
  const formId = await insertForm(db, values);
  const fieldIds: Record<string, number> = {};
  let order = 1;
  for (const field of fields) fieldIds[field.alias] = await insertFormField(db, { form_id: formId, field_order: order++, ...field });
  await createFormResultsTableFor(db, formId);
  return { formId, fieldIds };
}

/** The "Contact us" form (post action: message). */
export async function givenContactForm(db: Db, values: Partial<Writable<FormRow>> = {}): Promise<number> {
  return (await givenForm(db, { name: 'Contact us', alias: 'contactus', post_action: 'message', post_action_property: 'Thanks for contacting us!', ...values })).formId;
}

/** A known visitor: an anonymous contact with a tracked device. Fixture keys: leadId, trackingId. */
export async function givenTrackedVisitor(db: Db, extra: Writable<Parameters<typeof insertLead>[1] & object> = {}): Promise<{ leadId: number; trackingId: string }> {
  const leadId = await insertLead(db, { date_added: TEST_NOW_TEXT, ...extra });
  const trackingId = 'abcdefghijklmnopqrstuvw';
  await insertLeadDevice(db, { lead_id: leadId, date_added: TEST_NOW_TEXT, device: 'desktop', device_os_name: 'Windows', tracking_id: trackingId, client_info: { type: 'browser', name: 'Chrome' } });
  return { leadId, trackingId };
}

/** A `mauticform[…]` urlencoded body: lists are sent as `name[]`. */
export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(`mauticform[${key}]${Array.isArray(value) ? '[]' : ''}`, v);
  }
  return params.toString();
}

/** Headers of a browser's urlencoded form post. */
export const formHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
  'user-agent': BROWSER_UA, 'content-type': 'application/x-www-form-urlencoded', ...extra,
});

/** The cookies a tracked contact gets at the fixed clock (§2.2). */
export const DEVICE_COOKIE = 'mautic_device_id=*; expires=Fri, 24-Oct-2025 10:00:00 GMT; Max-Age=31536000; path=/; secure; samesite=none';
export const MTC_ID_COOKIE = 'mtc_id=*; path=/; secure; samesite=none';

/** The tables a submission reads or writes (a dry run must leave them all as they were). */
export const FORM_TABLES = [
  'leads', 'lead_devices', 'ip_addresses', 'lead_ips_xref', 'lead_event_log', 'form_submissions', 'forms', 'form_fields', 'form_actions',
  'contact_merge_records', 'lead_tags', 'lead_tags_xref', 'lead_points_change_log', 'lead_lists_leads', 'companies', 'companies_leads',
  'lead_companies_change_log', 'campaign_leads', 'point_lead_action_log',
] as const;

/** The names of every results table (prefixed). */
export async function resultsTables(db: Db): Promise<string[]> {
  const like = `${db.prefix}form_results_%`;
  const found = db.dialect === 'sqlite'
    ? await db.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ?`, [like])
    : await db.query<{ name: string }>('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ?', [like]);
  return found.map((r) => r.name);
}

/** Empties what a submission writes and reads, children first, and drops the results tables. */
export async function clearFormsContract(db: Db): Promise<void> {
  await db.execute(`DELETE FROM ${db.table('form_submissions')}`);
  for (const table of ['lead_tags_xref', 'lead_points_change_log', 'lead_lists_leads', 'companies_leads', 'lead_companies_change_log', 'campaign_leads', 'contact_merge_records', 'point_lead_action_log']) {
    await db.execute(`DELETE FROM ${db.table(table)}`);
  }
  await clearTrackingTables(db);
  for (const table of ['form_actions', 'form_fields', 'campaign_form_xref', 'campaigns', 'forms', 'lead_fields', 'lead_tags', 'lead_lists', 'companies', 'points']) await db.execute(`DELETE FROM ${db.table(table)}`);
  const quote = db.dialect === 'mysql' ? '`' : '"';
  for (const table of await resultsTables(db)) await db.execute(`DROP TABLE ${quote}${table}${quote}`);
}
