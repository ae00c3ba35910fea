import bcrypt from 'bcryptjs';
import { DNC_REASON, insertDoNotContact, insertLead } from '../../data/contacts.ts';
import { addEmailSegment, insertEmail } from '../../data/emails.ts';
import { addLeadToSegment, insertSegment } from '../../data/segments.ts';
import { insertAccessToken, insertOAuth2Client, insertPermission, insertRole, insertUser } from '../../data/users.ts';
import type { Db } from '../../db/types.ts';

/**
 * Rows the sending tests run against: an admin and a limited API user, OAuth2
 * tokens (valid, expired, client-credentials), emails of each kind, a segment
 * with three members (one with a DNC) and a contact without an address.
 * Written through the repositories, so every row has Mautic's initial values.
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


const CREATED = '2024-01-01 00:00:00';

async function seedAuth(db: Db, nowSeconds: number): Promise<void> {
  const admin = await insertRole(db, { name: 'Administrator', is_admin: true, readable_permissions: null });
  const viewer = await insertRole(db, { name: 'Viewer', is_admin: false, readable_permissions: [] });
  await insertPermission(db, { role_id: viewer, bundle: 'email', name: 'emails', bitwise: 4 });
  const user = (username: string, password: string, role: number) =>
    insertUser(db, {
      role_id: role, username, password: bcrypt.hashSync(password, 4), first_name: username, last_name: 'Api', email: `${username}@example.com`,
    });
  const adminId = await user(ADMIN.username, ADMIN.password, admin);
  await user(LIMITED.username, LIMITED.password, viewer);
  const client = await insertOAuth2Client(db, {
    role_id: admin, name: 'Tests', random_id: 'r4nd0m', secret: 's3cr3t', redirect_uris: [],
    allowed_grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
  });
  await insertAccessToken(db, { client_id: client, user_id: adminId, token: TOKENS.valid, expires_at: nowSeconds + 3600 });
  await insertAccessToken(db, { client_id: client, user_id: adminId, token: TOKENS.expired, expires_at: nowSeconds - 1 });
  await insertAccessToken(db, { client_id: client, user_id: null, token: TOKENS.client, expires_at: nowSeconds + 3600 });
}

function email(db: Db, name: string, type: string, published: boolean): Promise<number> {
  return insertEmail(db, {
    is_published: published, date_added: CREATED, name, subject: `Hello {contactfield=firstname|friend} — ${name}`,
    from_address: 'news@example.com', from_name: 'Example News', reply_to_address: 'reply@example.com',
    custom_html: '<html><body><p>Hi {contactfield=firstname}</p><a href="https://shop.test/offer?a=1&amp;b=2">Offer</a>'
      + ' <a href="{unsubscribe_url}">Unsubscribe</a> {promo}</body></html>',
    plain_text: 'Offer: https://shop.test/offer?a=1&amp;b=2',
    email_type: type,
    utm_tags: { utmSource: 'newsletter', utmCampaign: 'spring' },
    headers: { 'X-Campaign': 'spring' },
  });
}

function contact(db: Db, address: string | null, firstname: string | null): Promise<number> {
  return insertLead(db, { date_added: CREATED, email: address, firstname });
}

/** Seeds every row the sending tests use. */
export async function seedSending(db: Db, now: Date): Promise<SendingSeed> {
  await seedAuth(db, Math.floor(now.getTime() / 1000));
  const listEmail = await email(db, 'Spring list', 'list', true);
  const limitEmail = await email(db, 'Limited list', 'list', true);
  const templateEmail = await email(db, 'Receipt', 'template', true);
  const unpublishedEmail = await email(db, 'Draft', 'list', false);
  const segment = await insertSegment(db, { name: 'Customers', alias: 'customers' });
  const members = { ann: await contact(db, 'ann@example.org', 'Ann'), bob: await contact(db, 'bob@example.org', null), dnc: await contact(db, 'dnc@example.org', 'Dee') };
  for (const id of Object.values(members)) await addLeadToSegment(db, segment, id, { date_added: CREATED, manually_added: true });
  await insertDoNotContact(db, { lead_id: members.dnc, date_added: CREATED, reason: DNC_REASON.UNSUBSCRIBED, channel: 'email', channel_id: null, comments: 'User unsubscribed.' });
  for (const id of [listEmail, limitEmail, unpublishedEmail]) await addEmailSegment(db, id, segment);
  const noAddress = await contact(db, null, 'Nemo');
  return { listEmail, limitEmail, templateEmail, unpublishedEmail, segment, members, noAddress };
}
