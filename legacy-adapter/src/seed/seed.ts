import bcrypt from 'bcryptjs';
import type { PhpValue } from '../codecs/php-serialize.ts';
import { insertLead, insertLeadDevice, getOrCreateIpAddressId, linkLeadIp } from '../data/contacts.ts';
import { addEmailSegment, insertEmail, insertEmailStat, saveEmailCopy } from '../data/emails.ts';
import { insertLeadField, listLeadFields } from '../data/lead-fields.ts';
import { toUtcDateTime } from '../data/row-codec.ts';
import { addLeadToSegment, insertSegment } from '../data/segments.ts';
import { insertAccessToken, insertOAuth2Client, insertRole, insertUser } from '../data/users.ts';
import { DbError } from '../db/errors.ts';
import type { Db } from '../db/types.ts';
import { findSeed } from './find-seed.ts';
import {
  deviceTrackingId, INSTALLER_CONTACT_FIELDS, PUBLICLY_UPDATABLE_FIELDS, SEED_CONTACTS, SEED_EMAIL_NAMES, seedHash, segmentAlias, tenantDomain,
} from './seed-data.ts';
import { createSeedFormTables, seedEmailLinks, seedForms, type SeedCreator } from './seed-parts.ts';
import { MAUTIC_BCRYPT_COST, seedCredentials, type SeedCredentials, type SeedResult } from './seeded.ts';

export { SEED_API_USER, SEED_OAUTH2 } from './seeded.ts';
export type { SeedResult } from './seeded.ts';

/** Tenant names: lower-case letters, digits and `-` (they end up in usernames, domains, aliases). */
const TENANT = /^[a-z0-9][a-z0-9-]{0,30}$/;

/** Options of `seed`. */
export interface SeedOptions {
  /** Tenant whose data to add (default `default`). */
  tenant?: string;
  /** bcrypt cost of the API user's password (default 13, as Mautic). */
  bcryptCost?: number;
  /** The clock (default: now); dates and the token expiry derive from it. */
  now?: Date;
}

/**
 * Adds one tenant's realistic data set (see seed-data.ts) to a migrated database:
 * contact field definitions (once per database), an admin role, the API user with a
 * known bcrypt password, an OAuth2 client and a valid access token, contacts in two
 * segments, emails with tracked links, a sent email, and two forms with their results
 * tables. Rows go in one transaction; the results tables are created after it (DDL).
 * A tenant seeded already is left as it is: its ids are read back (`created: false`).
 *
 * @throws DbError `DB_INPUT_INVALID` for a bad tenant name; `DB_SEED_INCOMPLETE` when an
 *   earlier seed of this tenant lost rows (see `findSeed`).
 * @example const result = await seed(db, { tenant: 'acme' });
 */
export async function seed(db: Db, options: SeedOptions = {}): Promise<SeedResult> {
  const tenant = options.tenant ?? 'default';
  if (!TENANT.test(tenant)) throw new DbError('DB_INPUT_INVALID', `Tenant name "${tenant}" must be lower-case letters, digits or - (at most 31)`);
  const earlier = await findSeed(db, tenant);
  if (earlier) return earlier;
  const credentials = seedCredentials(tenant);
  const now = options.now ?? new Date();
  const passwordHash = (await bcrypt.hash(credentials.password, options.bcryptCost ?? MAUTIC_BCRYPT_COST)).replace(/^\$2b\$/, '$2y$');
  const result = await db.transaction(async (tx) => {
    const leadFieldsCreated = await seedLeadFields(tx);
    const access = await seedAccess(tx, tenant, credentials, passwordHash, now);
    const creator: SeedCreator = { created_by: access.userId, created_by_user: 'API User' };
    const contacts = await seedContacts(tx, tenant, now);
    const emails = await seedEmails(tx, { tenant, creator, contacts, now });
    const forms = await seedForms(tx, tenant, creator);
    return { tenant, created: true, credentials, leadFieldsCreated, ...access, ...contacts, ...emails, forms };
  });
  await createSeedFormTables(db, result.forms);
  return result;
}

/**
 * What `npm start` does: seeds the tenant when the database holds no users and no contacts,
 * reads its ids back when it was seeded before, and leaves any other database (a real Mautic's,
 * say) alone.
 * @returns the seed result, or null when the database holds data that is not this tenant's seed.
 */
export async function seedIfEmpty(db: Db, options: SeedOptions = {}): Promise<SeedResult | null> {
  const earlier = await findSeed(db, options.tenant);
  if (earlier) return earlier;
  const [row] = await db.query<{ n: number }>(
    `SELECT (SELECT COUNT(*) FROM ${db.table('users')}) + (SELECT COUNT(*) FROM ${db.table('leads')}) AS n`,
  );
  if (Number(row?.n ?? 0) > 0) return null;
  return seed(db, options);
}

async function seedLeadFields(db: Db): Promise<number> {
  if ((await listLeadFields(db)).length > 0) return 0;
  let order = 0;
  for (const [alias, label, type, group, fixed, shortVisible, uniqueId, properties] of INSTALLER_CONTACT_FIELDS) {
    await insertLeadField(db, {
      alias, label, type, field_group: group, is_fixed: fixed === 1, is_short_visible: shortVisible === 1,
      is_unique_identifer: uniqueId === 1, is_index: uniqueId === 1, default_value: alias === 'points' ? '0' : null,
      field_order: ++order, is_publicly_updatable: PUBLICLY_UPDATABLE_FIELDS.includes(alias), properties: (properties ?? []) as PhpValue,
    });
  }
  return order;
}

async function seedAccess(db: Db, tenant: string, c: SeedCredentials, passwordHash: string, now: Date) {
  const roleId = await insertRole(db, { name: tenant === 'default' ? 'Administrator' : `Administrator (${tenant})`, description: 'Full system access', is_admin: true });
  const userId = await insertUser(db, { role_id: roleId, username: c.username, password: passwordHash, first_name: 'API', last_name: 'User', email: c.email, timezone: 'UTC', locale: 'en_US' });
  const clientId = await insertOAuth2Client(db, {
    name: 'Strangler seed client', random_id: c.clientRandomId, secret: c.clientSecret, role_id: roleId,
    redirect_uris: [`https://${tenantDomain(tenant)}/oauth/callback`],
    allowed_grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
  });
  // A year, not Mautic's 60 minutes, so the seeded token stays usable during development.
  const accessTokenExpiresAt = Math.floor(now.getTime() / 1000) + 365 * 24 * 3600;
  await insertAccessToken(db, { client_id: clientId, user_id: userId, token: c.accessToken, expires_at: accessTokenExpiresAt });
  return { roleId, userId, clientId, clientPublicId: `${clientId}_${c.clientRandomId}`, accessTokenExpiresAt };
}

async function seedContacts(db: Db, tenant: string, now: Date) {
  const segmentIds = {
    newsletter: await insertSegment(db, { name: 'Newsletter', alias: segmentAlias(tenant, 'newsletter'), description: 'Everyone who gets the monthly newsletter' }),
    customers: await insertSegment(db, { name: 'Customers', alias: segmentAlias(tenant, 'customers') }),
  };
  const dateAdded = toUtcDateTime(now);
  const leadIds: number[] = [];
  for (const [firstname, lastname, local, city, country, segments] of SEED_CONTACTS) {
    const id = await insertLead(db, { firstname, lastname, email: `${local}@${tenantDomain(tenant)}`, city, country, date_added: dateAdded });
    for (const s of segments) await addLeadToSegment(db, segmentIds[s], id, { date_added: dateAdded });
    leadIds.push(id);
  }
  const anonymousLeadId = await insertLead(db, { date_added: dateAdded, last_active: dateAdded });
  const deviceTrackingIds: string[] = [];
  for (const [n, leadId] of [leadIds[0]!, anonymousLeadId].entries()) {
    const trackingId = deviceTrackingId(tenant, n);
    await insertLeadDevice(db, { lead_id: leadId, tracking_id: trackingId, device: 'desktop', device_os_name: 'GNU/Linux', device_os_shortname: 'LIN', client_info: { type: 'browser', name: 'Firefox', short_name: 'FF', version: '126.0', engine: 'Gecko' }, date_added: dateAdded });
    await linkLeadIp(db, leadId, await getOrCreateIpAddressId(db, `203.0.113.${10 + n}`));
    deviceTrackingIds.push(trackingId);
  }
  return { segmentIds, leadIds, anonymousLeadId, deviceTrackingIds };
}

interface EmailSeedInput {
  tenant: string;
  creator: SeedCreator;
  contacts: { leadIds: number[]; segmentIds: { newsletter: number } };
  now: Date;
}

async function seedEmails(db: Db, { tenant, creator, contacts, now }: EmailSeedInput) {
  const site = `https://${tenantDomain(tenant)}`;
  const from = { from_address: `news@${tenantDomain(tenant)}`, from_name: tenant === 'default' ? 'Example' : `Example ${tenant}`, ...creator };
  const welcome = await insertEmail(db, { name: SEED_EMAIL_NAMES.welcome, subject: 'Welcome, {contactfield=firstname}!', email_type: 'template', ...from, custom_html: '' });
  const newsletter = await insertEmail(db, { name: SEED_EMAIL_NAMES.newsletter, subject: 'What is new this month', email_type: 'list', ...from, custom_html: '' });
  const draft = await insertEmail(db, { name: SEED_EMAIL_NAMES.draft, subject: 'Not ready', email_type: 'template', is_published: false, custom_html: '<p>Draft</p>', ...creator });
  await addEmailSegment(db, newsletter, contacts.segmentIds.newsletter);
  const redirects = [...(await seedEmailLinks(db, tenant, welcome, site)), ...(await seedEmailLinks(db, tenant, newsletter, site))];
  const lead = contacts.leadIds[0]!;
  const welcomeHtml = await db.query<{ custom_html: string; subject: string }>(`SELECT custom_html, subject FROM ${db.table('emails')} WHERE id = ?`, [welcome]);
  const copyId = await saveEmailCopy(db, { subject: 'Welcome, Ana!', body: welcomeHtml[0]?.custom_html ?? '', body_text: 'Welcome, Ana!', date_created: toUtcDateTime(now) });
  const trackingHash = `${Math.floor(now.getTime() / 1000).toString(16).padStart(8, '0')}00000${String(parseInt(seedHash(tenant, 'stat', 8), 16) % 1e9).padStart(9, '0')}`;
  const statId = await insertEmailStat(db, { email_id: welcome, lead_id: lead, email_address: `${SEED_CONTACTS[0]![2]}@${tenantDomain(tenant)}`, date_sent: toUtcDateTime(now), tracking_hash: trackingHash, copy_id: copyId, source: 'email', source_id: welcome });
  await db.execute(`UPDATE ${db.table('emails')} SET sent_count = 1 WHERE id = ?`, [welcome]);
  return { emailIds: { welcome, newsletter, draft }, redirects, stat: { id: statId, trackingHash } };
}
