import { forEachDialect } from '../../../test-support/databases.ts';
import { LEAD_LISTS, LEAD_LISTS_LEADS, OAUTH2_ACCESSTOKENS, OAUTH2_CLIENTS, ROLES, USERS } from '../db/schema/index.ts';
import { insertLead } from './contacts.ts';
import { addLeadToSegment, findSegmentByAlias, findSegmentById, insertSegment, listSegmentLeadIds, removeLeadFromSegment } from './segments.ts';
import { nullNotNullColumns, rawRow } from './test-fixtures/row-checks.ts';
import {
  findAccessToken,
  findOAuth2ClientByPublicId,
  findUserById,
  findUserByUsername,
  insertAccessToken,
  insertOAuth2Client,
  insertPermission,
  insertRole,
  insertUser,
  listRolePermissions,
} from './users.ts';

forEachDialect('segments repository', (getDb) => {
  it('creates a segment with Mautic initial values and manages membership', async () => {
    const db = getDb();
    const id = await insertSegment(db, { name: 'Newsletter', alias: 'newsletter' });
    const raw = await rawRow(db, LEAD_LISTS, { id });
    expect(nullNotNullColumns(LEAD_LISTS, raw)).toEqual([]);
    // docs/mautic/schema.md "lead_lists": filters initial [] stored 'a:0:{}', is_global 1, is_preference_center 0.
    expect(raw).toMatchObject({ filters: 'a:0:{}', is_global: 1, is_preference_center: 0, is_published: 1, public_name: 'Newsletter' });
    expect(await findSegmentById(db, id)).toMatchObject({ filters: [], is_global: true, is_preference_center: false });
    expect((await findSegmentByAlias(db, 'newsletter'))?.id).toBe(id);

    const [a, b] = [await insertLead(db), await insertLead(db)];
    expect(await addLeadToSegment(db, id, b)).toBe(true);
    expect(await addLeadToSegment(db, id, a, { manually_added: true })).toBe(true);
    expect(await addLeadToSegment(db, id, a)).toBe(false);
    expect(nullNotNullColumns(LEAD_LISTS_LEADS, await rawRow(db, LEAD_LISTS_LEADS, { leadlist_id: id, lead_id: a }))).toEqual([]);
    expect(await listSegmentLeadIds(db, id)).toEqual([a, b]);
    expect(await removeLeadFromSegment(db, id, a)).toBe(1);
    expect(await listSegmentLeadIds(db, id)).toEqual([b]);
  });

  it('stores filters PHP-serialized', async () => {
    const db = getDb();
    const filters = [{ glue: 'and', field: 'email', object: 'lead', type: 'email', operator: '!empty', properties: { filter: null } }];
    const id = await insertSegment(db, { name: 'Has email', alias: 'has_email', filters });
    expect((await rawRow(db, LEAD_LISTS, { id })).filters).toBe(
      'a:1:{i:0;a:6:{s:4:"glue";s:3:"and";s:5:"field";s:5:"email";s:6:"object";s:4:"lead";s:4:"type";s:5:"email";s:8:"operator";s:6:"!empty";s:10:"properties";a:1:{s:6:"filter";N;}}}',
    );
    expect((await findSegmentById(db, id))?.filters).toEqual(filters);
  });
});

forEachDialect('users and OAuth2 repository', (getDb) => {
  it('round-trips a role, a user, a client and an access token', async () => {
    const db = getDb();
    const roleId = await insertRole(db, { name: 'Administrator', is_admin: true, description: 'Full system access' });
    expect(await rawRow(db, ROLES, { id: roleId })).toMatchObject({ readable_permissions: 'N;', is_admin: 1 });
    const hash = '$2y$13$abcdefghijklmnopqrstuu5dGx3Qm9qv8N2vY3mV1l0x4hE3u8nWy';
    const userId = await insertUser(db, { role_id: roleId, username: 'api', password: hash, first_name: 'Api', last_name: 'User', email: 'api@example.com' });
    expect(nullNotNullColumns(USERS, await rawRow(db, USERS, { id: userId }))).toEqual([]);
    expect(await findUserByUsername(db, 'api')).toMatchObject({ id: userId, password: hash, is_published: true, preferences: null });
    expect((await findUserById(db, userId))?.username).toBe('api');
    expect(await findUserByUsername(db, 'nobody')).toBeUndefined();

    const clientId = await insertOAuth2Client(db, { name: 'CRM sync', random_id: 'r4nd0m', secret: 's3cr3t', role_id: roleId });
    const rawClient = await rawRow(db, OAUTH2_CLIENTS, { id: clientId });
    expect(rawClient).toMatchObject({ redirect_uris: 'a:0:{}', allowed_grant_types: 'a:2:{i:0;s:18:"authorization_code";i:1;s:13:"refresh_token";}' });
    expect(await findOAuth2ClientByPublicId(db, `${clientId}_r4nd0m`)).toMatchObject({ id: clientId, allowed_grant_types: ['authorization_code', 'refresh_token'] });
    expect(await findOAuth2ClientByPublicId(db, `${clientId}_wrong`)).toBeUndefined();
    expect(await findOAuth2ClientByPublicId(db, 'garbage')).toBeUndefined();

    const expiresAt = 1_900_000_000;
    const tokenId = await insertAccessToken(db, { client_id: clientId, user_id: userId, token: 'tok123', expires_at: expiresAt, scope: null });
    expect(nullNotNullColumns(OAUTH2_ACCESSTOKENS, await rawRow(db, OAUTH2_ACCESSTOKENS, { id: tokenId }))).toEqual([]);
    expect(await findAccessToken(db, 'tok123')).toEqual({ id: tokenId, client_id: clientId, user_id: userId, token: 'tok123', expires_at: expiresAt, scope: null });
  });

  // docs/mautic/public-http.md §5.1: a limited role's rights are its permissions rows.
  it('grants a role permissions, one row per bundle:name', async () => {
    const db = getDb();
    const roleId = await insertRole(db, { name: 'Viewer', readable_permissions: [] });
    await insertPermission(db, { role_id: roleId, bundle: 'email', name: 'emails', bitwise: 4 });
    await insertPermission(db, { role_id: roleId, bundle: 'lead', name: 'leads', bitwise: 6 });
    expect(await listRolePermissions(db, roleId)).toEqual(new Map([['email:emails', 4], ['lead:leads', 6]]));
    await expect(insertPermission(db, { role_id: roleId, bundle: 'email', name: 'emails', bitwise: 2 })).rejects.toMatchObject({ code: 'DB_DUPLICATE_KEY' });
    await expect(insertPermission(db, { role_id: 999_999, bundle: 'email', name: 'emails', bitwise: 2 })).rejects.toMatchObject({ code: 'DB_FOREIGN_KEY' });
  });

  it('refuses a user without the NOT NULL columns Mautic requires', async () => {
    await expect(insertUser(getDb(), { role_id: 1, username: 'x' } as never)).rejects.toMatchObject({
      code: 'DB_INPUT_INVALID',
      message: expect.stringMatching(/password.*first_name.*last_name.*email/),
    });
  });
});
