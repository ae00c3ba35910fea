/**
 * Reads an earlier seed back from its rows, so seeding a seeded tenant again answers with the
 * same ids instead of failing (`npm run seed` twice, `npm start` on a kept database, the compose
 * seed service on every `docker compose up`).
 */
import { findDeviceByTrackingId, findLeadByEmail } from '../data/contacts.ts';
import { listEmailsCreatedBy, listEmailStats } from '../data/emails.ts';
import { formResultsTable } from '../data/form-results.ts';
import { listFormsCreatedBy } from '../data/forms.ts';
import { findRedirectByRedirectId } from '../data/pages.ts';
import { findSegmentByAlias } from '../data/segments.ts';
import { findAccessToken, findUserByUsername } from '../data/users.ts';
import { DbError } from '../db/errors.ts';
import type { Db } from '../db/types.ts';
import {
  CONTACT_FORM_FIELDS, deviceTrackingId, EMAIL_LINK_PATHS, NEWSLETTER_FORM_FIELDS, redirectIdOf, SEED_CONTACTS,
  SEED_EMAIL_NAMES, SEED_FORM_ALIASES, segmentAlias, tenantDomain, type SeedFormField,
} from './seed-data.ts';
import { seedCredentials, type SeededForm, type SeededRedirect, type SeedResult } from './seeded.ts';

/**
 * The ids of tenant `tenant`'s earlier seed (`created: false`), or null when the tenant has no
 * seeded API user. Forms and emails are found by their creator, the seeded user, since their
 * names and aliases are the same in every tenant.
 *
 * @throws DbError `DB_SEED_INCOMPLETE` when the API user exists but a seeded row is gone.
 * @example const earlier = await findSeed(db, 'acme');
 */
export async function findSeed(db: Db, tenant = 'default'): Promise<SeedResult | null> {
  const credentials = seedCredentials(tenant);
  const user = await findUserByUsername(db, credentials.username);
  if (!user) return null;
  const need = <T>(row: T | undefined, what: string): T => {
    if (row !== undefined) return row;
    throw new DbError('DB_SEED_INCOMPLETE', `Tenant "${tenant}" was seeded (user ${credentials.username} exists) but its ${what} is missing; seed a fresh database`, { tenant, missing: what });
  };
  const token = need(await findAccessToken(db, credentials.accessToken), 'OAuth2 access token');
  const leadIds: number[] = [];
  for (const [, , local] of SEED_CONTACTS) leadIds.push(need(await findLeadByEmail(db, `${local}@${tenantDomain(tenant)}`), `contact ${local}`).id);
  const deviceTrackingIds = [0, 1].map((n) => deviceTrackingId(tenant, n));
  const anonymous = need(await findDeviceByTrackingId(db, deviceTrackingIds[1]!), 'anonymous visitor device');
  const segment = async (name: 'newsletter' | 'customers') => need(await findSegmentByAlias(db, segmentAlias(tenant, name)), `segment ${name}`).id;
  const emails = await listEmailsCreatedBy(db, user.id);
  const email = (name: string) => need(emails.find((e) => e.name === name), `email "${name}"`).id;
  const emailIds = { welcome: email(SEED_EMAIL_NAMES.welcome), newsletter: email(SEED_EMAIL_NAMES.newsletter), draft: email(SEED_EMAIL_NAMES.draft) };
  const stat = need((await listEmailStats(db, emailIds.welcome)).find((s) => s.lead_id === leadIds[0]), 'sent welcome email');
  return {
    tenant, created: false, credentials, roleId: need(user.role_id ?? undefined, 'role'), userId: user.id,
    clientId: token.client_id, clientPublicId: `${token.client_id}_${credentials.clientRandomId}`, accessTokenExpiresAt: need(token.expires_at ?? undefined, 'token expiry'),
    leadIds, anonymousLeadId: need(anonymous.lead_id, 'anonymous visitor'), deviceTrackingIds,
    segmentIds: { newsletter: await segment('newsletter'), customers: await segment('customers') },
    emailIds, redirects: await findRedirects(db, tenant, [emailIds.welcome, emailIds.newsletter], need),
    stat: { id: stat.id, trackingHash: need(stat.tracking_hash ?? undefined, 'tracking hash') },
    forms: await findForms(db, user.id, need), leadFieldsCreated: 0,
  };
}

type Need = <T>(row: T | undefined, what: string) => T;

async function findRedirects(db: Db, tenant: string, emailIds: readonly number[], need: Need): Promise<SeededRedirect[]> {
  const redirects: SeededRedirect[] = [];
  for (const emailId of emailIds) {
    for (const path of EMAIL_LINK_PATHS) {
      const redirectId = redirectIdOf(tenant, emailId, path);
      const row = need(await findRedirectByRedirectId(db, redirectId), `tracked link /r/${redirectId}`);
      redirects.push({ id: row.id, redirectId, url: row.url, emailId });
    }
  }
  return redirects;
}

async function findForms(db: Db, userId: number, need: Need): Promise<{ contactUs: SeededForm; newsletter: SeededForm }> {
  const forms = await listFormsCreatedBy(db, userId);
  const form = (alias: string, fields: readonly SeedFormField[]): SeededForm => {
    const { id } = need(forms.find((f) => f.alias === alias), `form "${alias}"`);
    return { id, alias, resultsTable: formResultsTable(db, { id, alias }), fields };
  };
  return { contactUs: form(SEED_FORM_ALIASES.contactUs, CONTACT_FORM_FIELDS), newsletter: form(SEED_FORM_ALIASES.newsletter, NEWSLETTER_FORM_FIELDS) };
}
