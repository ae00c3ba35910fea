import bcrypt from 'bcryptjs';
import type { Db } from '../../db/types.ts';
import { ensureSendingTables } from './sending-tables.ts';

/**
 * Rows the sending tests run against: an admin and a limited API user, OAuth2
 * tokens (valid, expired, client-credentials), emails of each kind, a segment
 * with three members (one with a DNC) and a contact without an address.
 * Plain SQL with every NOT NULL column, as Mautic's entities would write them.
 */

export const ADMIN = { username: 'api-admin', password: 'S3cret!pw' };
export const LIMITED = { username: 'api-viewer', password: 'viewer-pw' };
export const TOKENS = { valid: 'valid-token-abc', expired: 'expired-token-def', client: 'client-cred-token' };
export const SITE_URL = 'https://m.example.com';

/** Ids of what `seedSending` inserted. */
export interface SendingSeed {
  listEmail: number;
  /** A second list email on the same segment, for `limit`. */
  limitEmail: number;
  templateEmail: number;
  unpublishedEmail: number;
  segment: number;
  members: { ann: number; bob: number; dnc: number };
  noAddress: number;
}


async function insert(db: Db, table: string, row: Record<string, string | number | null>): Promise<number> {
  const names = Object.keys(row);
  const sql = `INSERT INTO ${db.table(table)} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  return (await db.execute(sql, Object.values(row))).insertId;
}

async function seedAuth(db: Db, nowSeconds: number): Promise<void> {
  const admin = await insert(db, 'roles', { is_published: 1, name: 'Administrator', is_admin: 1, readable_permissions: 'N;' });
  const viewer = await insert(db, 'roles', { is_published: 1, name: 'Viewer', is_admin: 0, readable_permissions: 'a:0:{}' });
  await insert(db, 'permissions', { role_id: viewer, bundle: 'email', name: 'emails', bitwise: 4 });
  const user = (username: string, password: string, role: number) =>
    insert(db, 'users', {
      role_id: role, is_published: 1, username, password: bcrypt.hashSync(password, 4), first_name: username, last_name: 'Api',
      email: `${username}@example.com`,
    });
  const adminId = await user(ADMIN.username, ADMIN.password, admin);
  await user(LIMITED.username, LIMITED.password, viewer);
  const client = await insert(db, 'oauth2_clients', {
    role_id: admin, name: 'Tests', random_id: 'r4nd0m', secret: 's3cr3t', redirect_uris: 'a:0:{}',
    allowed_grant_types: 'a:3:{i:0;s:18:"authorization_code";i:1;s:13:"refresh_token";i:2;s:18:"client_credentials";}',
  });
  await insert(db, 'oauth2_accesstokens', { client_id: client, user_id: adminId, token: TOKENS.valid, expires_at: nowSeconds + 3600 });
  await insert(db, 'oauth2_accesstokens', { client_id: client, user_id: adminId, token: TOKENS.expired, expires_at: nowSeconds - 1 });
  await insert(db, 'oauth2_accesstokens', { client_id: client, user_id: null, token: TOKENS.client, expires_at: nowSeconds + 3600 });
}

async function email(db: Db, name: string, type: string, published: number): Promise<number> {
  return insert(db, 'emails', {
    is_published: published, date_added: '2024-01-01 00:00:00', name, subject: `Hello {contactfield=firstname|friend} — ${name}`,
    from_address: 'news@example.com', from_name: 'Example News', reply_to_address: 'reply@example.com',
    custom_html: '<html><body><p>Hi {contactfield=firstname}</p><a href="https://shop.test/offer?a=1&amp;b=2">Offer</a>'
      + ' <a href="{unsubscribe_url}">Unsubscribe</a> {promo}</body></html>',
    plain_text: 'Offer: https://shop.test/offer?a=1&amp;b=2',
    email_type: type, read_count: 0, sent_count: 0, variant_sent_count: 0, variant_read_count: 0, revision: 1, lang: 'en',
    utm_tags: 'a:2:{s:9:"utmSource";s:10:"newsletter";s:11:"utmCampaign";s:6:"spring";}',
    headers: '{"X-Campaign":"spring"}',
  });
}

async function contact(db: Db, email: string | null, firstname: string | null): Promise<number> {
  return insert(db, 'leads', { is_published: 1, points: 0, date_added: '2024-01-01 00:00:00', email, firstname });
}

/** Seeds every row the sending tests use. */
export async function seedSending(db: Db, now: Date): Promise<SendingSeed> {
  await ensureSendingTables(db);
  await seedAuth(db, Math.floor(now.getTime() / 1000));
  const listEmail = await email(db, 'Spring list', 'list', 1);
  const limitEmail = await email(db, 'Limited list', 'list', 1);
  const templateEmail = await email(db, 'Receipt', 'template', 1);
  const unpublishedEmail = await email(db, 'Draft', 'list', 0);
  const segment = await insert(db, 'lead_lists', {
    is_published: 1, name: 'Customers', alias: 'customers', public_name: 'Customers', filters: 'a:0:{}', is_global: 1,
    is_preference_center: 0,
  });
  const members = { ann: await contact(db, 'ann@example.org', 'Ann'), bob: await contact(db, 'bob@example.org', null), dnc: await contact(db, 'dnc@example.org', 'Dee') };
  for (const id of Object.values(members)) {
    await insert(db, 'lead_lists_leads', { leadlist_id: segment, lead_id: id, date_added: '2024-01-01 00:00:00', manually_removed: 0, manually_added: 1 });
  }
  await insert(db, 'lead_donotcontact', { lead_id: members.dnc, date_added: '2024-01-01 00:00:00', reason: 1, channel: 'email', channel_id: null, comments: 'User unsubscribed.' });
  await insert(db, 'email_list_xref', { email_id: listEmail, leadlist_id: segment });
  await insert(db, 'email_list_xref', { email_id: limitEmail, leadlist_id: segment });
  await insert(db, 'email_list_xref', { email_id: unpublishedEmail, leadlist_id: segment });
  const noAddress = await contact(db, null, 'Nemo');
  return { listEmail, limitEmail, templateEmail, unpublishedEmail, segment, members, noAddress };
}
