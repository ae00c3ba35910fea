import bcrypt from 'bcryptjs';
import { createTestDb, forEachDialect } from '../../../test-support/databases.ts';
import { insertLead } from '../data/contacts.ts';
import { findFormResult } from '../data/form-results.ts';
import { findLeadFieldByAlias } from '../data/lead-fields.ts';
import { findEmailById, findEmailStatByHash, listEmailSegmentIds } from '../data/emails.ts';
import { findRedirectByRedirectId } from '../data/pages.ts';
import { listSegmentLeadIds } from '../data/segments.ts';
import { findAccessToken, findOAuth2ClientByPublicId, findUserByUsername } from '../data/users.ts';
import { findSeed } from './find-seed.ts';
import { SEED_API_USER, SEED_OAUTH2, seed, seedIfEmpty, type SeedResult } from './seed.ts';
import type { Db } from '../db/types.ts';

const count = async (db: Db, table: string): Promise<number> => Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${db.table(table)}`))[0]?.n);

forEachDialect('seed', (getDb) => {
  let result: SeedResult;
  const now = new Date('2025-01-15T12:00:00Z');

  beforeAll(async () => {
    result = await seed(getDb(), { now });
  });

  it('writes the documented row counts', async () => {
    const db = getDb();
    const expected: Record<string, number> = {
      leads: 7, lead_lists: 2, lead_lists_leads: 7, lead_devices: 2, ip_addresses: 2, lead_ips_xref: 2, lead_fields: 28,
      roles: 1, users: 1, oauth2_clients: 1, oauth2_accesstokens: 1,
      emails: 3, email_list_xref: 1, page_redirects: 6, channel_url_trackables: 6, email_stats: 1, email_copies: 1,
      forms: 2, form_fields: 9, form_submissions: 0,
    };
    const actual: Record<string, number> = {};
    for (const table of Object.keys(expected)) actual[table] = await count(db, table);
    expect(actual).toEqual(expected);
  });

  it('creates an API user whose known password verifies with bcrypt, stored the way PHP writes it', async () => {
    const user = await findUserByUsername(getDb(), SEED_API_USER.username);
    expect(user?.password).toMatch(/^\$2y\$13\$.{53}$/);
    expect(bcrypt.compareSync(SEED_API_USER.password, user!.password)).toBe(true);
    expect(bcrypt.compareSync('wrong-password', user!.password)).toBe(false);
    expect(user).toMatchObject({ is_published: true, role_id: result.roleId });
  });

  it('creates an OAuth2 client and an access token valid for a year', async () => {
    const db = getDb();
    expect(result.clientPublicId).toBe(`${result.clientId}_${SEED_OAUTH2.randomId}`);
    expect(await findOAuth2ClientByPublicId(db, result.clientPublicId)).toMatchObject({ secret: SEED_OAUTH2.secret, allowed_grant_types: expect.arrayContaining(['client_credentials']) });
    const token = await findAccessToken(db, SEED_OAUTH2.accessToken);
    expect(token).toMatchObject({ client_id: result.clientId, user_id: result.userId, expires_at: now.getTime() / 1000 + 365 * 24 * 3600 });
  });

  it('puts contacts in segments and targets the segment email at the newsletter segment', async () => {
    const db = getDb();
    expect(await listSegmentLeadIds(db, result.segmentIds.newsletter)).toEqual(result.leadIds.slice(0, 5));
    expect(await listSegmentLeadIds(db, result.segmentIds.customers)).toEqual(result.leadIds.slice(0, 2));
    expect(await listEmailSegmentIds(db, result.emailIds.newsletter)).toEqual([result.segmentIds.newsletter]);
  });

  it('publishes emails whose links are tracked redirects of that email', async () => {
    const db = getDb();
    const welcome = await findEmailById(db, result.emailIds.welcome);
    expect(welcome).toMatchObject({ is_published: true, email_type: 'template', sent_count: 1 });
    expect((await findEmailById(db, result.emailIds.draft))?.is_published).toBe(false);
    const links = result.redirects.filter((r) => r.emailId === result.emailIds.welcome);
    expect(links).toHaveLength(3);
    for (const link of links) {
      expect(welcome?.custom_html).toContain(`href="${link.url}"`);
      expect(await findRedirectByRedirectId(db, link.redirectId)).toMatchObject({ id: link.id, url: link.url, hits: 0 });
    }
    expect(await findEmailStatByHash(db, result.stat.trackingHash)).toMatchObject({ email_id: result.emailIds.welcome, lead_id: result.leadIds[0], email_address: 'ana.silva@example.com' });
  });

  it('creates forms with their results tables and a publicly updatable email mapped to the contact', async () => {
    const db = getDb();
    const { contactUs } = result.forms;
    expect(contactUs.resultsTable).toBe(`${db.prefix}form_results_${contactUs.id}_contactus`);
    const columns = await resultColumns(db, contactUs.resultsTable);
    expect(columns).toEqual(['submission_id', 'form_id', 'email', 'firstname', 'topic', 'interests', 'f_message', 'source']);
    expect(await findFormResult(db, contactUs, 1)).toBeUndefined();
    expect(await findLeadFieldByAlias(db, 'email')).toMatchObject({ is_publicly_updatable: true, is_unique_identifer: true, type: 'email' });
    const [field] = await db.query(`SELECT mapped_object, mapped_field, is_required FROM ${db.table('form_fields')} WHERE form_id = ? AND alias = 'email'`, [contactUs.id]);
    expect(field).toEqual({ mapped_object: 'contact', mapped_field: 'email', is_required: 1 });
  });

  it('seeding a seeded tenant again writes nothing and answers the same ids', async () => {
    const db = getDb();
    const leadsBefore = await count(db, 'leads');
    const again = await seed(db, { bcryptCost: 4 });
    expect(again).toEqual({ ...result, created: false, leadFieldsCreated: 0 });
    expect(await seedIfEmpty(db, { bcryptCost: 4 })).toEqual(again);
    expect(await count(db, 'leads')).toBe(leadsBefore);
    expect(await count(db, 'users')).toBe(1);
  });

  it('adds another tenant beside it, and finds each tenant\'s own rows again', async () => {
    const db = getDb();
    const acme = await seed(db, { tenant: 'acme', bcryptCost: 4, now });
    expect(acme).toMatchObject({ created: true, leadFieldsCreated: 0, credentials: { username: 'api-acme' } });
    expect(await count(db, 'leads')).toBe(14);
    expect((await findUserByUsername(db, 'api-acme'))?.email).toBe('api@acme.example.com');
    // Both tenants have a "Welcome" email and a "contactus" form: each must get its own back.
    expect(await findSeed(db, 'acme')).toEqual({ ...acme, created: false });
    expect((await findSeed(db, 'default'))?.forms.contactUs.id).toBe(result.forms.contactUs.id);
    await expect(seed(db, { tenant: 'Bad Name!' })).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
  });

  it('says which seeded row is gone rather than seeding over it', async () => {
    const db = getDb();
    await db.execute(`UPDATE ${db.table('emails')} SET created_by = NULL WHERE id = ?`, [result.emailIds.draft]);
    try {
      await expect(seed(db, { bcryptCost: 4 })).rejects.toMatchObject({ code: 'DB_SEED_INCOMPLETE', status: 409, message: expect.stringContaining('email "Draft" is missing') });
    } finally {
      await db.execute(`UPDATE ${db.table('emails')} SET created_by = ? WHERE id = ?`, [result.userId, result.emailIds.draft]);
    }
  });
});

async function resultColumns(db: Db, table: string): Promise<string[]> {
  const rows =
    db.dialect === 'sqlite'
      ? await db.query<{ name: string }>('SELECT name FROM pragma_table_info(?)', [table])
      : await db.query<{ name: string }>('SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [table]);
  return rows.map((r) => r.name);
}

describe('seedIfEmpty on an empty database', () => {
  it('seeds the default tenant, with a table prefix', async () => {
    const t = await createTestDb('sqlite', { prefix: 'mt_' });
    try {
      const r = await seedIfEmpty(t.db, { bcryptCost: 4 });
      expect(r?.tenant).toBe('default');
      expect(r?.forms.newsletter.resultsTable).toBe(`mt_form_results_${r?.forms.newsletter.id}_newsletter`);
      expect(await count(t.db, 'leads')).toBe(7);
    } finally {
      await t.drop();
    }
  });

  it('leaves a database that holds data other than the seed alone', async () => {
    const t = await createTestDb('sqlite');
    try {
      await insertLead(t.db, { firstname: 'Someone' });
      expect(await seedIfEmpty(t.db, { bcryptCost: 4 })).toBeNull();
      expect(await count(t.db, 'users')).toBe(0);
    } finally {
      await t.drop();
    }
  });
});
