/**
 * The repositories on a real Mautic 5 schema (Mautic's own DDL from
 * ../shared/reference/mautic5-schema-mariadb.sql, foreign keys, JSON CHECKs and generated
 * columns included), loaded WITHOUT our migrations — plain and with db_table_prefix `mt_`.
 */
import { createTestDb, type TestDb } from '../../../test-support/databases.ts';
import { describeWithMysql } from '../../../test-support/services.ts';
import type { Db } from '../db/types.ts';
import { findDeviceByTrackingId, findLeadById, getOrCreateIpAddressId, insertDoNotContact, insertLead, insertLeadDevice, insertLeadEvent, linkLeadIp, listLeadEvents } from './contacts.ts';
import { findEmailStatByHash, insertEmail, insertEmailStat, insertEmailStatDevice, saveEmailCopy } from './emails.ts';
import { createFormResultsTable, findFormResult, insertFormResult } from './form-results.ts';
import { findFormSubmissionById, insertForm, insertFormField, insertFormSubmission } from './forms.ts';
import { countTrackableHit, findPageHitById, findTrackable, insertPageHit, insertRedirect, insertTrackable } from './pages.ts';
import { addLeadToSegment, insertSegment, listSegmentLeadIds } from './segments.ts';
import { findAccessToken, findUserByUsername, insertAccessToken, insertOAuth2Client, insertRole, insertUser } from './users.ts';

for (const prefix of ['', 'mt_']) {
  describeWithMysql(`repositories on a real Mautic 5 database (prefix '${prefix}')`, () => {
    let real: TestDb;
    let db: Db;
    beforeAll(async () => {
      real = await createTestDb('real-mautic', { prefix });
      db = real.db;
    });
    afterAll(() => real?.drop());

    it("holds Mautic's 98 tables, all named with the prefix", async () => {
      const names = (await db.query<{ n: string }>('SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')).map((r) => r.n);
      expect(names).toHaveLength(98);
      expect(names.filter((n) => !n.startsWith(prefix))).toEqual([]);
      expect(names).toContain(`${prefix}leads`);
    });

    it('writes and reads a contact with its IP, device, timeline and do-not-contact rows', async () => {
      const lead = await insertLead(db, { email: 'real@example.com', firstname: 'Real', internal: { x: 1 } });
      const ip = await getOrCreateIpAddressId(db, '203.0.113.77');
      expect(await linkLeadIp(db, lead, ip)).toBe(true);
      await insertLeadDevice(db, { lead_id: lead, tracking_id: 'real0device0tracking0id', client_info: { name: 'Firefox' } });
      await insertLeadEvent(db, { lead_id: lead, bundle: 'page', object: 'hit', action: 'visited', properties: { a: [1, 2] } });
      await insertDoNotContact(db, { lead_id: lead, channel: 'email', reason: 1 });
      expect(await findLeadById(db, lead)).toMatchObject({ email: 'real@example.com', internal: { x: 1 }, points: 0, generated_email_domain: 'example.com' });
      expect(await findDeviceByTrackingId(db, 'real0device0tracking0id')).toMatchObject({ lead_id: lead, client_info: { name: 'Firefox' } });
      expect((await listLeadEvents(db, lead))[0]?.properties).toEqual({ a: [1, 2] });
    });

    it('writes and reads a page hit through a tracked link of an email', async () => {
      const lead = await insertLead(db);
      const email = await insertEmail(db, { name: 'Real email', subject: 'Hello' });
      const redirect = await insertRedirect(db, { redirect_id: 'r3a1r3d1r3ct0000000000001', url: 'https://example.com/' });
      await insertTrackable(db, { redirect_id: redirect, channel: 'email', channel_id: email });
      await countTrackableHit(db, redirect, 'email', email, true);
      const device = await insertLeadDevice(db, { lead_id: lead, tracking_id: 'real0device0tracking0i2' });
      const hit = await insertPageHit(db, { lead_id: lead, email_id: email, redirect_id: redirect, device_id: device, tracking_id: 'real0device0tracking0i2', code: 302, query: { ct: 'x' }, source: 'email', source_id: email });
      expect(await findPageHitById(db, hit)).toMatchObject({ code: 302, query: { ct: 'x' }, redirect_id: redirect, device_id: device });
      expect(await findTrackable(db, redirect, 'email', email)).toMatchObject({ hits: 1, unique_hits: 1 });
    });

    it('writes and reads an email stat with its copy and open device', async () => {
      const lead = await insertLead(db, { email: 'open@example.com' });
      const email = await insertEmail(db, { name: 'Stat email', headers: { 'X-Campaign': 'real' } });
      const copy = await saveEmailCopy(db, { subject: 'S', body: 'B' });
      const stat = await insertEmailStat(db, { email_id: email, lead_id: lead, email_address: 'open@example.com', tracking_hash: 'real0hash0000000000001', copy_id: copy, tokens: { '{x}': 'y' } });
      const device = await insertLeadDevice(db, { lead_id: lead });
      await insertEmailStatDevice(db, { stat_id: stat, device_id: device });
      const read = await findEmailStatByHash(db, 'real0hash0000000000001');
      expect(read).toMatchObject({ id: stat, copy_id: copy, tokens: { '{x}': 'y' }, is_read: false });
      expect(read?.generated_sent_date).toBe(read?.date_sent.slice(0, 10));
    });

    it('writes a form submission and its results row', async () => {
      const formId = await insertForm(db, { name: 'Real form', alias: 'realform' });
      await insertFormField(db, { form_id: formId, label: 'Email', alias: 'email', type: 'email', validation: { x: 1 }, conditions: [] });
      await insertFormField(db, { form_id: formId, label: 'Go', alias: 'go', type: 'button' });
      const form = { id: formId, alias: 'realform' };
      expect(await createFormResultsTable(db, form, [{ alias: 'email', type: 'email' }, { alias: 'go', type: 'button' }])).toEqual(['email']);
      const ip = await getOrCreateIpAddressId(db, '203.0.113.78');
      const sub = await insertFormSubmission(db, { form_id: formId, ip_id: ip, tracking_id: 't', referer: 'https://example.com/form' });
      await insertFormResult(db, form, sub, { email: 'form@example.com' });
      expect(await findFormSubmissionById(db, sub)).toMatchObject({ form_id: formId, ip_id: ip });
      expect(await findFormResult(db, form, sub)).toEqual({ submission_id: sub, form_id: formId, email: 'form@example.com' });
    });

    it('writes segments, users and OAuth2 tokens', async () => {
      const segment = await insertSegment(db, { name: 'Real segment', alias: 'real_segment' });
      const lead = await insertLead(db);
      await addLeadToSegment(db, segment, lead);
      expect(await listSegmentLeadIds(db, segment)).toEqual([lead]);
      const role = await insertRole(db, { name: 'API', is_admin: true });
      const user = await insertUser(db, { role_id: role, username: 'real_api', password: '$2y$13$x', first_name: 'A', last_name: 'B', email: 'real_api@example.com' });
      const client = await insertOAuth2Client(db, { name: 'c', random_id: 'rid', secret: 'sec', role_id: role });
      await insertAccessToken(db, { client_id: client, user_id: user, token: 'real-token', expires_at: 2_000_000_000 });
      expect((await findUserByUsername(db, 'real_api'))?.id).toBe(user);
      expect(await findAccessToken(db, 'real-token')).toMatchObject({ client_id: client, user_id: user });
    });
  });
}
