import { insertFormField, insertForm } from '../data/forms.ts';
import { createFormResultsTable, formResultsTable } from '../data/form-results.ts';
import { insertRedirect, insertTrackable } from '../data/pages.ts';
import { updateRows } from '../data/table-access.ts';
import { EMAILS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import { CONTACT_FORM_FIELDS, EMAIL_LINK_PATHS, NEWSLETTER_FORM_FIELDS, redirectIdOf, SEED_FORM_ALIASES, tenantDomain, type SeedFormField } from './seed-data.ts';
import type { SeededForms, SeededRedirect } from './seeded.ts';

/**
 * Gives an email HTML and text bodies linking to the tenant's site, one `page_redirects`
 * row per link and its `channel_url_trackables` row (channel 'email').
 */
export async function seedEmailLinks(db: Db, tenant: string, emailId: number, site: string): Promise<SeededRedirect[]> {
  const redirects: SeededRedirect[] = [];
  for (const path of EMAIL_LINK_PATHS) {
    const url = `${site}${path}`;
    const redirectId = redirectIdOf(tenant, emailId, path);
    const id = await insertRedirect(db, { redirect_id: redirectId, url });
    await insertTrackable(db, { redirect_id: id, channel: 'email', channel_id: emailId });
    redirects.push({ id, redirectId, url, emailId });
  }
  const links = redirects.map((r) => `<li><a href="${r.url.replace(/&/g, '&amp;')}">${r.url}</a></li>`).join('');
  const html = `<!DOCTYPE html><html><body><p>Hello {contactfield=firstname},</p><ul>${links}</ul><p><a href="{unsubscribe_url}">Unsubscribe</a></p></body></html>`;
  const text = `Hello {contactfield=firstname},\n${redirects.map((r) => r.url).join('\n')}\n`;
  await updateRows(db, EMAILS, { id: emailId }, { custom_html: html, plain_text: text, content: [] });
  return redirects;
}

/** Who made a seeded row (Mautic's audit columns); how a later run finds the tenant's forms and emails again. */
export interface SeedCreator {
  created_by: number;
  created_by_user: string;
}

async function seedForm(db: Db, creator: SeedCreator, name: string, alias: string, fields: readonly SeedFormField[], extra: Record<string, string>) {
  const id = await insertForm(db, { name, alias, form_type: 'standalone', lang: 'en', ...creator, ...extra });
  for (const [n, f] of fields.entries()) {
    await insertFormField(db, {
      form_id: id, label: f.label, alias: f.alias, type: f.type, is_required: f.is_required ?? false, field_order: n + 1,
      show_label: true, save_result: true, default_value: f.default_value ?? null, validation_message: f.validation_message ?? null,
      properties: (f.properties ?? []) as never, mapped_object: f.mapped_field ? 'contact' : null, mapped_field: f.mapped_field ?? null,
      lead_field: f.mapped_field ?? null, is_auto_fill: false,
    });
  }
  return { id, alias, resultsTable: formResultsTable(db, { id, alias }), fields };
}

/** Makes the tenant's two forms and their fields (rows only; see `createSeedFormTables`). */
export async function seedForms(db: Db, tenant: string, creator: SeedCreator): Promise<SeededForms> {
  const thanks = `https://${tenantDomain(tenant)}/thanks`;
  return {
    contactUs: await seedForm(db, creator, 'Contact us', SEED_FORM_ALIASES.contactUs, CONTACT_FORM_FIELDS, { post_action: 'message', post_action_property: 'Thanks, we will get back to you.' }),
    newsletter: await seedForm(db, creator, 'Newsletter', SEED_FORM_ALIASES.newsletter, NEWSLETTER_FORM_FIELDS, { post_action: 'redirect', post_action_property: thanks }),
  };
}

/** Creates the `form_results_{id}_{alias}` tables of the seeded forms (DDL: outside any transaction). */
export async function createSeedFormTables(db: Db, forms: SeededForms): Promise<void> {
  for (const form of [forms.contactUs, forms.newsletter]) await createFormResultsTable(db, form, form.fields);
}
