import { forEachDialect } from '../../../test-support/databases.ts';
import { EMAIL_COPIES, EMAIL_STATS, EMAIL_STATS_DEVICES, EMAILS, PAGE_HITS, PAGE_REDIRECTS } from '../db/schema/index.ts';
import { insertLead, insertLeadDevice, insertIpAddress } from './contacts.ts';
import {
  countEmail,
  emailCopyId,
  findEmailById,
  findEmailCopy,
  findEmailStatByHash,
  insertEmail,
  insertEmailStat,
  insertEmailStatDevice,
  listEmailStatDevices,
  listEmailStats,
  saveEmailCopy,
  updateEmailStat,
} from './emails.ts';
import {
  countRedirectHit,
  countTrackableHit,
  findPageHitById,
  findRedirectByRedirectId,
  findTrackable,
  insertPageHit,
  insertRedirect,
  insertTrackable,
  landingPageExists,
  landingPageUrls,
  listPageHitsForLead,
  listTrackables,
} from './pages.ts';
import { nullNotNullColumns, rawRow } from './test-fixtures/row-checks.ts';

forEachDialect('emails repository', (getDb) => {
  it('inserts an email with Mautic initial values', async () => {
    const db = getDb();
    const id = await insertEmail(db, { name: 'Welcome', subject: 'Hi {contactfield=firstname}', custom_html: '<p>Hi</p>', email_type: 'template', utm_tags: { utmSource: 'mautic' } });
    const raw = await rawRow(db, EMAILS, { id });
    expect(nullNotNullColumns(EMAILS, raw)).toEqual([]);
    // docs/mautic/schema.md "emails": counters 0, revision 1, lang 'en', headers '[]'.
    expect(raw).toMatchObject({ read_count: 0, sent_count: 0, variant_sent_count: 0, variant_read_count: 0, revision: 1, lang: 'en', headers: '[]', is_published: 1 });
    expect(raw.utm_tags).toBe('a:1:{s:9:"utmSource";s:6:"mautic";}');
    await countEmail(db, id, 'sent_count', 2);
    expect(await findEmailById(db, id)).toMatchObject({ sent_count: 2, headers: [], utm_tags: { utmSource: 'mautic' }, is_published: true });
  });

  it('records a send, a stored copy, an open and the opening device', async () => {
    const db = getDb();
    const emailId = await insertEmail(db, { name: 'Promo' });
    const lead = await insertLead(db, { email: 'reader@example.com' });
    const copyId = await saveEmailCopy(db, { subject: 'Promo', body: '<b>Hi</b>', body_text: 'Hi' });
    expect(copyId).toBe(emailCopyId('Promo', '<b>Hi</b>'));
    expect(await saveEmailCopy(db, { subject: 'Promo', body: '<b>Hi</b>' })).toBe(copyId);
    expect(nullNotNullColumns(EMAIL_COPIES, await rawRow(db, EMAIL_COPIES, { id: copyId }))).toEqual([]);
    expect((await findEmailCopy(db, copyId))?.body_text).toBe('Hi');

    const statId = await insertEmailStat(db, { email_id: emailId, lead_id: lead, email_address: 'reader@example.com', tracking_hash: '6650a1b2c3d4e5f6a7b8c9', copy_id: copyId, source: 'email', source_id: emailId, tokens: { '{unsubscribe_url}': 'https://m.example/u' } });
    const raw = await rawRow(db, EMAIL_STATS, { id: statId });
    expect(nullNotNullColumns(EMAIL_STATS, raw)).toEqual([]);
    expect(raw).toMatchObject({ is_read: 0, is_failed: 0, viewed_in_browser: 0, open_details: 'N;' });
    const stat = await findEmailStatByHash(db, '6650a1b2c3d4e5f6a7b8c9');
    expect(stat).toMatchObject({ id: statId, is_read: false, tokens: { '{unsubscribe_url}': 'https://m.example/u' } });
    expect(stat?.generated_sent_date).toBe(stat?.date_sent.slice(0, 10));

    const ip = await insertIpAddress(db, '198.51.100.7');
    await updateEmailStat(db, statId, { is_read: true, date_read: '2024-06-01 08:00:00', open_count: 1, last_opened: '2024-06-01 08:00:00', open_details: [{ datetime: '2024-06-01 08:00:00', useragent: 'UA', inBrowser: false }], ip_id: ip });
    expect((await listEmailStats(db, emailId))[0]).toMatchObject({ is_read: true, open_count: 1, open_details: [{ datetime: '2024-06-01 08:00:00', useragent: 'UA', inBrowser: false }] });

    const device = await insertLeadDevice(db, { lead_id: lead, tracking_id: 'zyxwvutsrqponmlkjihgfed' });
    const sd = await insertEmailStatDevice(db, { stat_id: statId, device_id: device, ip_id: ip });
    expect(nullNotNullColumns(EMAIL_STATS_DEVICES, await rawRow(db, EMAIL_STATS_DEVICES, { id: sd }))).toEqual([]);
    expect(await listEmailStatDevices(db, statId)).toEqual([expect.objectContaining({ id: sd, device_id: device, ip_id: ip })]);
  });
});

forEachDialect('pages repository', (getDb) => {
  it('round-trips redirects, trackables and their hit counters', async () => {
    const db = getDb();
    const emailId = await insertEmail(db, { name: 'Links' });
    const id = await insertRedirect(db, { redirect_id: 'a1b2c3d4e5f6a7b8c9d0e1f2a', url: 'https://example.com/offer?x=1' });
    expect(nullNotNullColumns(PAGE_REDIRECTS, await rawRow(db, PAGE_REDIRECTS, { id }))).toEqual([]);
    await insertTrackable(db, { redirect_id: id, channel: 'email', channel_id: emailId });
    await countRedirectHit(db, id, true);
    await countRedirectHit(db, id, false);
    await countTrackableHit(db, id, 'email', emailId, true);
    expect(await findRedirectByRedirectId(db, 'a1b2c3d4e5f6a7b8c9d0e1f2a')).toMatchObject({ id, hits: 2, unique_hits: 1, is_published: true });
    expect(await findTrackable(db, id, 'email', emailId)).toEqual({ redirect_id: id, channel: 'email', channel_id: emailId, hits: 1, unique_hits: 1 });
    expect(await listTrackables(db, 'email', emailId)).toHaveLength(1);
  });

  it('inserts a hit with serialized query and languages', async () => {
    const db = getDb();
    const lead = await insertLead(db);
    const query = { page_url: 'https://example.com/', page_title: 'Home', ct: null };
    const id = await insertPageHit(db, { lead_id: lead, tracking_id: 'trk-1', url: 'https://example.com/', query, browser_languages: ['en-US', 'en'], user_agent: 'UA', source: 'email', source_id: 3 });
    const raw = await rawRow(db, PAGE_HITS, { id });
    expect(nullNotNullColumns(PAGE_HITS, raw)).toEqual([]);
    expect(raw).toMatchObject({ code: 200, browser_languages: 'a:2:{i:0;s:5:"en-US";i:1;s:2:"en";}' });
    expect(await findPageHitById(db, id)).toMatchObject({ query, browser_languages: ['en-US', 'en'], code: 200 });
    expect((await listPageHitsForLead(db, lead)).map((h) => h.id)).toEqual([id]);
    await expect(insertPageHit(db, {} as never)).rejects.toMatchObject({ code: 'DB_INPUT_INVALID', message: expect.stringContaining('tracking_id') });
  });

  it('tells whether a landing page exists: none without a pages table, other errors surface', async () => {
    const db = getDb();
    // migrate() makes no pages table (pages are made in Mautic's admin), so no page exists.
    expect(await landingPageExists(db, 1)).toBe(false);
    // Only the id column matters here; a real Mautic database has the full table.
    await db.execute(`CREATE TABLE ${db.table('pages')} (id INTEGER NOT NULL PRIMARY KEY)`);
    try {
      await db.execute(`INSERT INTO ${db.table('pages')} (id) VALUES (7)`);
      expect(await landingPageExists(db, 7)).toBe(true);
      expect(await landingPageExists(db, 8)).toBe(false);
    } finally {
      await db.execute(`DROP TABLE ${db.table('pages')}`);
    }
    // A pages table without the expected column is a real error, never "no page".
    await db.execute(`CREATE TABLE ${db.table('pages')} (other INTEGER)`);
    try {
      await expect(landingPageExists(db, 7)).rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
    } finally {
      await db.execute(`DROP TABLE ${db.table('pages')}`);
    }
  });

  it('gives the URL of a landing page under site_url: its alias, behind its locale in a translation group', async () => {
    const db = getDb();
    expect(await landingPageUrls(db, [1], 'https://m.test')).toEqual(new Map());
    // The columns a slug needs; a real Mautic database has the full table.
    await db.execute(`CREATE TABLE ${db.table('pages')} (id INTEGER NOT NULL PRIMARY KEY, alias VARCHAR(191) NOT NULL, lang VARCHAR(191) NOT NULL, translation_parent_id INTEGER NULL)`);
    try {
      await db.execute(`INSERT INTO ${db.table('pages')} (id, alias, lang, translation_parent_id) VALUES (1, 'offer', 'en', NULL), (2, 'angebot', 'de', 1), (3, 'alone', 'fr', NULL)`);
      expect(await landingPageUrls(db, [1, 2, 3, 4], 'https://m.test/')).toEqual(new Map([[1, 'https://m.test/en/offer'], [2, 'https://m.test/de/angebot'], [3, 'https://m.test/alone']]));
    } finally {
      await db.execute(`DROP TABLE ${db.table('pages')}`);
    }
  });
});
