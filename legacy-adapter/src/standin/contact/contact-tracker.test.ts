import { forEachDialect } from '../../../../test-support/databases.ts';
import { encodeClickthrough } from '../../codecs/ct.ts';
import { insertLead, insertLeadDevice } from '../../data/contacts.ts';
import { insertEmail, insertEmailStat } from '../../data/emails.ts';
import { insertLeadField } from '../../data/lead-fields.ts';
import type { RunningStandin } from '../server.ts';
import { BROWSER_UA, TEST_NOW_TEXT, clearTrackingTables, cookieValues, count, rows, startTestStandin } from '../standin-test-kit.ts';

forEachDialect('contact tracking (docs/mautic/public-http.md §2.1, §2.4)', (getDb) => {
  let standin: RunningStandin;
  let strict: RunningStandin;
  beforeAll(async () => {
    standin = await startTestStandin(getDb());
    strict = await startTestStandin(getDb(), { anonymizeIp: true, doNotTrackIps: ['198.51.100.0/24'] });
  });
  afterAll(async () => {
    await standin.close();
    await strict.close();
  });
  beforeEach(async () => {
    await clearTrackingTables(getDb());
    await getDb().execute(`DELETE FROM ${getDb().table('lead_fields')}`);
  });

  const whoAmI = async (base: RunningStandin, query = '', headers: Record<string, string> = {}): Promise<{ id: number | null; res: Response }> => {
    const res = await fetch(`${base.url}/mtc${query}`, { headers: { 'user-agent': BROWSER_UA, ...headers } });
    return { id: ((await res.json()) as { id: number | null }).id, res };
  };
  /** A page view (hitPage), which identifies from the query; /mtc does not. */
  const pageView = async (body: string): Promise<number | null> => {
    const res = await fetch(`${standin.url}/mtc/event`, {
      method: 'POST', body, headers: { 'user-agent': BROWSER_UA, 'content-type': 'application/x-www-form-urlencoded' },
    });
    return ((await res.json()) as { id: number | null }).id;
  };

  it('identifies the contact of ct.stat (step 2) and rejects a stat of another email (channel.email)', async () => {
    const db = getDb();
    const leadId = await insertLead(db, { email: 'ana@example.test' });
    const emailId = await insertEmail(db, { name: 'News' });
    await insertEmailStat(db, { email_id: emailId, lead_id: leadId, email_address: 'ana@example.test', tracking_hash: 'h1' });
    const good = encodeClickthrough({ stat: 'h1', channel: { email: emailId } });
    expect(await pageView(`ct=${good}`)).toBe(leadId);
    const other = encodeClickthrough({ stat: 'h1', channel: { email: emailId + 1 } });
    expect(await pageView(`ct=${other}`)).not.toBe(leadId);
    expect((await whoAmI(standin, `?ct=${good}`)).id).not.toBe(leadId); // getContact alone ignores ct
  });

  it('resumes a legacy mtc_id contact only while it has no tracked device (step 5)', async () => {
    const db = getDb();
    const bare = await insertLead(db, {});
    expect((await whoAmI(standin, `?mtc_id=${bare}`)).id).toBe(bare);
    const withDevice = await insertLead(db, {});
    await insertLeadDevice(db, { lead_id: withDevice, tracking_id: 'abcdefghijklmnopqrstuvw' });
    expect((await whoAmI(standin, `?mtc_id=${withDevice}`)).id).not.toBe(withDevice);
    expect((await whoAmI(standin, '?mtc_id=abc')).id).not.toBeNull();
  });

  it('looks contacts up by publicly updatable unique fields and writes their values (step 3)', async () => {
    const db = getDb();
    await insertLeadField(db, { label: 'Email', alias: 'email', type: 'email', is_publicly_updatable: true, is_unique_identifer: true });
    await insertLeadField(db, { label: 'City', alias: 'city', is_publicly_updatable: true });
    const leadId = await insertLead(db, { email: 'ana@example.test' });
    expect(await pageView('email=ana%40example.test&city=Oslo&firstname=Eve')).toBe(leadId);
    const [lead] = await rows(db, 'leads');
    expect(lead).toMatchObject({ city: 'Oslo', firstname: null, last_active: TEST_NOW_TEXT });
  });

  it('reuses the device of the cookie and re-issues the same cookies (step 4)', async () => {
    const first = await whoAmI(standin);
    const c = cookieValues(first.res);
    const again = await whoAmI(standin, '', { cookie: `mautic_device_id=${c.mautic_device_id}` });
    expect(again.id).toBe(first.id);
    expect(cookieValues(again.res)).toEqual(c);
    expect(await count(getDb(), 'lead_devices')).toBe(1);
  });

  it('gives the same contact a second device for another kind of device', async () => {
    const first = await whoAmI(standin);
    const c = cookieValues(first.res);
    const phone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Version/17.1 Mobile/15E148 Safari/604.1';
    const second = await whoAmI(standin, '', { cookie: `mautic_device_id=${c.mautic_device_id}`, 'user-agent': phone });
    expect(second.id).toBe(first.id);
    expect(cookieValues(second.res).mautic_device_id).not.toBe(c.mautic_device_id);
    expect((await rows(getDb(), 'lead_devices')).map((d) => d.device)).toEqual(['desktop', 'smartphone']);
  });

  it('records the first public X-Forwarded-For address and links it once (§2.4)', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' };
    const { res } = await whoAmI(standin, '', headers);
    await whoAmI(standin, '', { ...headers, cookie: `mautic_device_id=${cookieValues(res).mautic_device_id}` });
    expect((await rows(getDb(), 'ip_addresses')).map((r) => r.ip_address)).toEqual(['203.0.113.7']);
    expect(await count(getDb(), 'lead_ips_xref')).toBe(1);
  });

  it('stores *.*.*.* with anonymize_ip and tracks nobody from a do-not-track IP (§2.4)', async () => {
    await whoAmI(strict, '', { 'x-forwarded-for': '203.0.113.7' });
    expect((await rows(getDb(), 'ip_addresses')).map((r) => r.ip_address)).toEqual(['*.*.*.*']);
    const blocked = await whoAmI(strict, '', { 'x-forwarded-for': '198.51.100.20' });
    expect(blocked.id).toBeNull();
    expect(blocked.res.headers.getSetCookie()).toEqual([]);
    expect(await count(getDb(), 'leads')).toBe(1);
  });

  it('ignores a device cookie that names no device, and an absurd one (step 4)', async () => {
    expect((await whoAmI(standin, '', { cookie: 'mautic_device_id=doesnotexist0000000000000' })).id).not.toBeNull();
    expect((await whoAmI(standin, `?mautic_device_id=${'z'.repeat(3000)}`)).id).not.toBeNull();
    expect(await count(getDb(), 'leads')).toBe(2);
  });
}, { realMautic: true });
