import { createTestDb, type TestDb } from '../../../test-support/databases.ts';
import { REAL_MAUTIC_TABLE_COUNT } from '../../../test-support/real-mautic-schema.ts';
import { describeWithMysql } from '../../../test-support/services.ts';
import { decodeClickthrough } from '../codecs/ct.ts';
import { serializePhp } from '../codecs/php-serialize.ts';
import { seed, SEED_API_USER, type SeedResult } from '../seed/seed.ts';
import { MAUTIC_TABLES } from '../db/schema/index.ts';
import type { Db, Row } from '../db/types.ts';
import type { RunningStandin } from './server.ts';
import { BROWSER_UA, TEST_NOW, TEST_NOW_TEXT, cookieValues, insertLandingPage, memoryMailer, startTestStandin } from './standin-test-kit.ts';

/**
 * The whole stand-in over HTTP on a database shaped like a real Mautic 5 install with
 * db_table_prefix `mt_` (../shared/reference/mautic5-schema-mariadb.sql, never migrated),
 * seeded through the repositories: a pixel hit, a form submission on a landing page, an
 * API send, its open and its click, each checked in the `mt_` rows it writes.
 */

const SITE = 'https://mautic.example.com';
const PREFIX = 'mt_';

describeWithMysql('stand-in end to end on a real Mautic 5 schema with table prefix mt_', () => {
  let t: TestDb;
  let db: Db;
  let seeded: SeedResult;
  let standin: RunningStandin;
  const mailer = memoryMailer();
  beforeAll(async () => {
    t = await createTestDb('real-mautic', { prefix: PREFIX });
    db = t.db;
    seeded = await seed(db, { bcryptCost: 4, now: TEST_NOW });
    standin = await startTestStandin(db, { siteUrl: SITE }, mailer);
  });
  afterAll(async () => {
    await standin?.close();
    await t?.drop();
  });

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${standin.url}${path}`, { redirect: 'manual', headers: { 'user-agent': BROWSER_UA, ...headers } });
  const where = (table: string, column: string, value: number | string, orderBy = 'id'): Promise<Row[]> =>
    db.query(`SELECT * FROM ${db.table(table)} WHERE ${column} = ? ORDER BY ${orderBy}`, [value]);
  const tableNames = async (): Promise<string[]> =>
    (await db.query<{ n: string }>('SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY n')).map((r) => r.n);

  it("holds only Mautic's mt_ tables (plus the seed's form results tables): nothing of ours was added", async () => {
    const names = await tableNames();
    const results = [`${PREFIX}form_results_${seeded.forms.contactUs.id}_contactus`, `${PREFIX}form_results_${seeded.forms.newsletter.id}_newsletter`];
    expect(names.filter((n) => !n.startsWith(PREFIX))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(results));
    expect(names).toHaveLength(REAL_MAUTIC_TABLE_COUNT + results.length);
    // Every table the stand-in and the repositories use exists in a fresh Mautic 5 install.
    expect(MAUTIC_TABLES.map((d) => `${PREFIX}${d.name}`).filter((n) => !names.includes(n))).toEqual([]);
  });

  it('records a pixel hit in mt_leads, mt_lead_devices, mt_ip_addresses, mt_page_hits and mt_lead_event_log (§2.8)', async () => {
    const res = await get('/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2Fpricing&page_title=Pricing');
    expect([res.status, res.headers.get('content-type'), res.headers.get('content-length')]).toEqual([200, 'image/gif', '43']);
    const c = cookieValues(res);
    const leadId = Number(c.mtc_id);
    const [hit] = await where('page_hits', 'id', Number(c.mautic_referer_id));
    const [device] = await where('lead_devices', 'tracking_id', c.mautic_device_id!);
    expect(device).toMatchObject({ lead_id: leadId, device: 'desktop', date_added: TEST_NOW_TEXT });
    expect(hit).toMatchObject({ lead_id: leadId, device_id: device!.id, tracking_id: c.mautic_device_id, code: 200, url: 'https://shop.test/pricing', url_title: 'Pricing', date_hit: TEST_NOW_TEXT });
    expect(hit!.query).toBe(serializePhp(new Map([['page_url', 'https://shop.test/pricing'], ['page_title', 'Pricing']])));
    expect(await where('lead_ips_xref', 'lead_id', leadId, 'ip_id')).toEqual([{ lead_id: leadId, ip_id: hit!.ip_id }]);
    const events = await where('lead_event_log', 'lead_id', leadId);
    expect(events.map((e) => [e.bundle, e.object, e.action, e.object_id])).toEqual([['page', 'hit', 'created_contact', hit!.id]]);
  });

  it('saves a form submission on a landing page: page_id only for an existing mt_pages row (§4.2, FK → pages)', async () => {
    const pageId = await insertLandingPage(db, 'spring-offer');
    const pixel = cookieValues(await get('/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2Fspring-offer'));
    const submit = (email: string, page: number) => fetch(`${standin.url}/form/submit?ajax=1`, {
      method: 'POST',
      headers: { 'user-agent': BROWSER_UA, 'content-type': 'application/x-www-form-urlencoded', cookie: `mautic_device_id=${pixel.mautic_device_id}` },
      body: new URLSearchParams({ 'mauticform[formId]': String(seeded.forms.contactUs.id), 'mauticform[email]': email, 'mauticform[source]': 'landing', 'mauticform[mauticpage]': String(page) }).toString(),
    });
    const ok = await submit('lena@example.net', pageId);
    expect([ok.status, ((await ok.json()) as { success: number }).success]).toEqual([200, 1]);
    const missing = await submit('lena@example.net', pageId + 1000);
    expect(missing.status).toBe(200);

    const subs = await where('form_submissions', 'form_id', seeded.forms.contactUs.id);
    expect(subs.map((s) => [s.lead_id, s.page_id, s.tracking_id, s.date_submitted])).toEqual([
      [Number(pixel.mtc_id), pageId, pixel.mautic_device_id, TEST_NOW_TEXT],
      [Number(pixel.mtc_id), null, pixel.mautic_device_id, TEST_NOW_TEXT],
    ]);
    const results = await db.query(`SELECT submission_id, form_id, email, source FROM ${db.table(`form_results_${seeded.forms.contactUs.id}_contactus`)} ORDER BY submission_id`);
    expect(results).toEqual(subs.map((s) => ({ submission_id: s.id, form_id: seeded.forms.contactUs.id, email: 'lena@example.net', source: 'landing' })));
    expect((await where('leads', 'id', Number(pixel.mtc_id)))[0]).toMatchObject({ email: 'lena@example.net', generated_email_domain: 'example.net' });
  });

  it('sends through the API, then records its open and the click on its tracked link (§5.3, §3.6, §3.5)', async () => {
    const leadId = seeded.leadIds[1]!;
    const basic = `Basic ${Buffer.from(`${SEED_API_USER.username}:${SEED_API_USER.password}`).toString('base64')}`;
    const send = await fetch(`${standin.url}/api/emails/${seeded.emailIds.welcome}/contact/${leadId}/send`, { method: 'POST', headers: { authorization: basic } });
    expect([send.status, await send.json()]).toEqual([200, { success: true }]);
    const [stat] = await db.query(`SELECT * FROM ${db.table('email_stats')} WHERE email_id = ? AND lead_id = ?`, [seeded.emailIds.welcome, leadId]);
    const [lead] = await where('leads', 'id', leadId);
    expect(stat).toMatchObject({ email_address: lead!.email, date_sent: TEST_NOW_TEXT, is_read: 0, source: 'api', source_id: 0 });
    expect(await where('email_copies', 'id', String(stat!.copy_id))).toHaveLength(1);
    const message = mailer.sent.at(-1)!;
    expect(message.to.address).toBe(lead!.email);

    const open = await get(`/email/${stat!.tracking_hash}.gif`);
    expect(open.status).toBe(200);
    expect((await where('email_stats', 'id', Number(stat!.id)))[0]).toMatchObject({ is_read: 1, date_read: TEST_NOW_TEXT, open_count: 1 });
    expect(await where('email_stats_devices', 'stat_id', Number(stat!.id))).toHaveLength(1);

    const link = new RegExp(`href="${SITE}(/r/([0-9a-z]+)\\?ct=[A-Za-z0-9%]+)"`).exec(message.html);
    expect(link).not.toBeNull();
    const ct = decodeURIComponent(/ct=([^&"]+)/.exec(link![1]!)![1]!);
    expect(decodeClickthrough(ct)).toMatchObject({ stat: stat!.tracking_hash, channel: { email: seeded.emailIds.welcome } });
    const click = await get(link![1]!);
    expect(click.status).toBe(302);
    const [redirect] = await where('page_redirects', 'redirect_id', link![2]!);
    expect(redirect).toMatchObject({ hits: 1, unique_hits: 1 });
    const hits = await where('page_hits', 'redirect_id', Number(redirect!.id));
    expect(hits.map((h) => [h.lead_id, h.email_id, h.source, h.source_id])).toEqual([[leadId, seeded.emailIds.welcome, 'email', seeded.emailIds.welcome]]);
  });
});
