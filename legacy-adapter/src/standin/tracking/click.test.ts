import { forEachDialect } from '../../../../test-support/databases.ts';
import { encodeClickthrough } from '../../codecs/ct.ts';
import { insertLead } from '../../data/contacts.ts';
import { insertEmail, insertEmailStat } from '../../data/emails.ts';
import { insertRedirect, insertTrackable } from '../../data/pages.ts';
import type { Db } from '../../db/types.ts';
import type { RunningStandin } from '../server.ts';
import { BROWSER_UA, TEST_NOW_TEXT, clearTrackingTables, cookieValues, count, rows, startTestStandin } from '../standin-test-kit.ts';

const REDIRECT_ID = '0123456789abcdef012345678';
const HASH = '65f1c0a2b3c4d812345678';

async function seed(db: Db, url = 'https://shop.test/landing?ref=mail&amp;x=1#top'): Promise<{ leadId: number; emailId: number; redirectPk: number; ct: string }> {
  const leadId = await insertLead(db, { email: 'ana@example.test', firstname: 'Ana' });
  const emailId = await insertEmail(db, { name: 'News', subject: 'Hi' });
  await insertEmailStat(db, { email_id: emailId, lead_id: leadId, email_address: 'ana@example.test', tracking_hash: HASH });
  const redirectPk = await insertRedirect(db, { redirect_id: REDIRECT_ID, url });
  await insertTrackable(db, { redirect_id: redirectPk, channel: 'email', channel_id: emailId });
  const ct = encodeClickthrough({ source: ['email', emailId], email: emailId, stat: HASH, lead: String(leadId), channel: { email: emailId } });
  return { leadId, emailId, redirectPk, ct };
}

forEachDialect('stand-in /r/{redirectId}', (getDb) => {
  let standin: RunningStandin;
  beforeAll(async () => {
    standin = await startTestStandin(getDb());
  });
  afterAll(() => standin.close());
  beforeEach(() => clearTrackingTables(getDb()));

  const click = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${standin.url}${path}`, { redirect: 'manual', headers: { 'user-agent': BROWSER_UA, ...headers } });

  it('302s to the stored URL with the whole query appended before the fragment (§3.5 steps 2, 3, 6, 8)', async () => {
    const { ct } = await seed(getDb());
    const res = await click(`/r/${REDIRECT_ID}?ct=${ct}&utm_source=news+letter`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`https://shop.test/landing?ref=mail&x=1&ct=${ct}&utm_source=news+letter#top`);
    expect(await res.text()).toContain('Redirecting to <a href="https://shop.test/landing?ref=mail&amp;x=1&amp;ct=');
  });

  it('records the click for the ct contact: hit, counters, email read on a click before any open (§3.5, §2.8)', async () => {
    const db = getDb();
    const { ct, leadId, emailId, redirectPk } = await seed(db);
    const res = await click(`/r/${REDIRECT_ID}?ct=${ct}`);
    const [hit] = await rows(db, 'page_hits');
    expect(hit).toMatchObject({
      lead_id: leadId, redirect_id: redirectPk, email_id: emailId, source: 'email', source_id: emailId, code: 200,
      url: 'https://shop.test/landing?ref=mail&amp;x=1#top',
    });
    expect(await count(db, 'leads')).toBe(1); // identified by ct.stat, no anonymous contact
    expect(cookieValues(res).mtc_id).toBe(String(leadId));
    expect((await rows(db, 'page_redirects'))[0]).toMatchObject({ hits: 1, unique_hits: 1 });
    expect((await rows(db, 'channel_url_trackables', 'redirect_id'))[0]).toMatchObject({ hits: 1, unique_hits: 1 });
    expect((await rows(db, 'email_stats'))[0]).toMatchObject({ is_read: 1, date_read: TEST_NOW_TEXT, open_count: 1 });
    expect((await rows(db, 'emails'))[0]).toMatchObject({ read_count: 1 });
    expect(await count(db, 'lead_event_log')).toBe(0);

    await click(`/r/${REDIRECT_ID}?ct=${ct}`, { cookie: `mautic_device_id=${cookieValues(res).mautic_device_id}` });
    expect((await rows(db, 'page_redirects'))[0]).toMatchObject({ hits: 2, unique_hits: 1 });
    expect((await rows(db, 'channel_url_trackables', 'redirect_id'))[0]).toMatchObject({ hits: 2, unique_hits: 1 });
    expect((await rows(db, 'emails'))[0]).toMatchObject({ read_count: 1 });
  });

  it('also answers on the legacy alias /redirect/{redirectId} (§1.4)', async () => {
    await seed(getDb(), 'https://shop.test/');
    const res = await click(`/redirect/${REDIRECT_ID}`);
    expect([res.status, res.headers.get('location')]).toEqual([302, 'https://shop.test/']);
  });

  it('records no hit without ct (§3.5 step 5)', async () => {
    await seed(getDb());
    expect((await click(`/r/${REDIRECT_ID}`)).status).toBe(302);
    expect(await count(getDb(), 'page_hits')).toBe(0);
  });

  it('still redirects with a bad ct and records the hit for the cookie-tracked contact (testThatInvalidClickTroughGetsProcessed)', async () => {
    await seed(getDb(), 'https://shop.test/');
    const res = await click(`/r/${REDIRECT_ID}?ct=dummy_click_through`);
    expect([res.status, res.headers.get('location')]).toEqual([302, 'https://shop.test/?ct=dummy_click_through']);
    const [hit] = await rows(getDb(), 'page_hits');
    expect(hit!.lead_id).not.toBeNull();
    expect(await count(getDb(), 'leads')).toBe(2); // the seeded contact and the new anonymous one
    expect(String(hit!.query)).toContain('s:2:"ct";s:0:"";');
  });

  it('redirects a bot but records nothing and replaces no tokens (§2.4, §3.5)', async () => {
    const { ct } = await seed(getDb(), 'https://shop.test/?e={contactfield=email}');
    const res = await click(`/r/${REDIRECT_ID}?ct=${ct}`, { 'user-agent': 'facebookexternalhit/1.1' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/shop\.test\/\?e=%7Bcontactfield%3Demail%7D&ct=/);
    expect([await count(getDb(), 'page_hits'), (await rows(getDb(), 'page_redirects'))[0]!.hits]).toEqual([0, 0]);
  });

  it('replaces contact field tokens for a tracked click (§3.5 step 4)', async () => {
    const { ct } = await seed(getDb(), 'https://shop.test/?e={contactfield=email}');
    const res = await click(`/r/${REDIRECT_ID}?ct=${ct}`);
    expect(res.headers.get('location')).toBe(`https://shop.test/?e=ana%40example.test&ct=${ct}`);
  });

  it('answers 404 for an unknown or unpublished redirect, HTML or JSON (§3.5 step 1, §2.7)', async () => {
    const db = getDb();
    const unknown = await click('/r/ffffffffffffffffffffffff0');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(await unknown.text()).toContain('Requested URL not found: n/a');
    const json = await click('/r/nope', { accept: 'application/json' });
    expect([json.status, await json.json()]).toEqual([404, { errors: [{ message: 'Requested URL not found: n/a', code: 404, type: null }] }]);
    await insertRedirect(db, { redirect_id: 'aaaaaaaaaaaaaaaaaaaaaaaaa', url: 'https://shop.test/', is_published: false });
    expect((await click('/r/aaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
    expect((await click(`/r/${'x'.repeat(5000)}`)).status).toBe(404);
    expect((await click('/r/%E0%A4%A')).status).toBe(404);
    expect(await count(db, 'page_hits')).toBe(0);
  });

  it('answers 404 when the stored URL is not a valid URL (§3.5 step 7)', async () => {
    await insertRedirect(getDb(), { redirect_id: REDIRECT_ID, url: 'http://bad host/' });
    expect((await click(`/r/${REDIRECT_ID}`)).status).toBe(404);
  });
}, { realMautic: true });
