import { forEachDialect } from '../../../../test-support/databases.ts';
import { serializePhp, unserializePhp } from '../../codecs/php-serialize.ts';
import { insertLead } from '../../data/contacts.ts';
import { insertEmail, insertEmailStat } from '../../data/emails.ts';
import type { RunningStandin } from '../server.ts';
import { BROWSER_UA, TEST_NOW_TEXT, clearTrackingTables, cookieValues, count, rows, startTestStandin } from '../standin-test-kit.ts';

const GIF_HEX = '47494638396101000100900000ff000000000021f90405100000002c00000000010001000002020401003b';
const HASH = '65f1c0a2b3c4d812345678';

forEachDialect('stand-in /email/{idHash}.gif', (getDb) => {
  let standin: RunningStandin;
  beforeAll(async () => {
    standin = await startTestStandin(getDb());
  });
  afterAll(() => standin.close());
  beforeEach(() => clearTrackingTables(getDb()));

  const open = (hash: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> =>
    fetch(`${standin.url}/email/${hash}.gif`, { method, headers: { 'user-agent': BROWSER_UA, ...headers } });

  async function seed(variant = false): Promise<{ leadId: number; emailId: number }> {
    const db = getDb();
    const leadId = await insertLead(db, { email: 'ana@example.test' });
    const parent = variant ? await insertEmail(db, { name: 'A' }) : null;
    const emailId = await insertEmail(db, { name: 'B', variant_parent_id: parent });
    await insertEmailStat(db, { email_id: emailId, lead_id: leadId, email_address: 'ana@example.test', tracking_hash: HASH });
    return { leadId, emailId };
  }

  it('marks the stat read, counts the first open once and every open in open_count (§3.6)', async () => {
    const db = getDb();
    const { leadId, emailId } = await seed();
    const first = await open(HASH);
    expect(first.status).toBe(200);
    expect(Buffer.from(await first.arrayBuffer()).toString('hex')).toBe(GIF_HEX);
    expect(first.headers.get('content-type')).toBe('image/gif');
    const [ip] = await rows(db, 'ip_addresses');
    const [device] = await rows(db, 'lead_devices');
    let [stat] = await rows(db, 'email_stats');
    expect(stat).toMatchObject({ is_read: 1, date_read: TEST_NOW_TEXT, last_opened: TEST_NOW_TEXT, open_count: 1, ip_id: ip!.id });
    expect(stat!.open_details).toBe(serializePhp([{ datetime: TEST_NOW_TEXT, useragent: BROWSER_UA, inBrowser: false }]));
    expect(cookieValues(first)).toEqual({ mautic_device_id: device!.tracking_id, mtc_id: String(leadId) });
    expect(device!.lead_id).toBe(leadId);

    await open(HASH, { 'user-agent': 'Googlebot/2.1' }); // no bot filtering on opens in 5.1 (§2.4)
    [stat] = await rows(db, 'email_stats');
    expect(stat!.open_count).toBe(2);
    expect(unserializePhp(String(stat!.open_details))).toHaveLength(2);
    expect((await rows(db, 'emails')).find((e) => e.id === emailId)).toMatchObject({ read_count: 1 });
    const statDevices = await rows(db, 'email_stats_devices');
    expect(statDevices).toHaveLength(2);
    expect(statDevices[0]).toMatchObject({ stat_id: stat!.id, device_id: device!.id, ip_id: ip!.id, date_opened: TEST_NOW_TEXT });
    expect(await count(db, 'page_hits')).toBe(0);
    expect(await count(db, 'leads')).toBe(1);
  });

  it('counts variant_read_count for an A/B variant (§3.6 step 3)', async () => {
    const { emailId } = await seed(true);
    await open(HASH);
    expect((await rows(getDb(), 'emails')).find((e) => e.id === emailId)).toMatchObject({ read_count: 1, variant_read_count: 1 });
  });

  it('answers the GIF for an unknown or odd hash and writes nothing (§3.6)', async () => {
    for (const hash of ['unknownhash', 'a'.repeat(400), '%FF%FE', 'x%20y']) {
      const res = await open(hash);
      expect([res.status, res.headers.get('content-type')]).toEqual([200, 'image/gif']);
    }
    expect(await count(getDb(), 'ip_addresses')).toBe(0);
  });

  it('answers a POST with one space (§2.6) and still records the open', async () => {
    await seed();
    const res = await open(HASH, {}, 'POST');
    expect([res.status, await res.text()]).toEqual([200, ' ']);
    expect((await rows(getDb(), 'email_stats'))[0]).toMatchObject({ is_read: 1 });
  });

  it('is not the route without a hash or with a dot in it: 404 (§1.5)', async () => {
    expect((await open('')).status).toBe(404);
    expect((await fetch(`${standin.url}/email/a.b.gif`)).status).toBe(404);
  });
}, { realMautic: true });
