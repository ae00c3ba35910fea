/**
 * The contact cache (README § Contact cache, issue #12 "returning contacts cost no database
 * read"): a returning device's pixel reads neither its device, its contact, its IP row nor
 * its IP link; and a contact that another writer deleted or merged since is never served
 * stale — the hit's own `last_active` UPDATE finds the entry wrong and the hit is identified
 * from the database (docs/mautic/public-http.md §2.1 step 4). On SQLite, MariaDB and the real
 * Mautic 5 schema, with every statement the service sends written down. The cache also keeps
 * the visitor's `ip_addresses` id (checked by the IP link's foreign key) and the publicly
 * updatable fields.
 */
import { mergeContactInto } from '../../../legacy-adapter/src/data/contact-merge.ts';
import { findLeadById, insertLead } from '../../../legacy-adapter/src/data/contacts.ts';
import type { PublicContactField } from '../../../legacy-adapter/src/data/contacts.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { TEST_NOW } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { forEachDialect } from '../../../test-support/databases.ts';
import { recordingDb } from '../../../test-support/recording-db.ts';
import type { RecordingDb } from '../../../test-support/recording-db.ts';
import type { ContractResponse } from '../../contract/contract-case.ts';
import { cookieHeaderFrom, sendRaw } from '../../contract/send-raw.ts';
import { browser } from '../../contract/tracking/fixtures.ts';
import { ContactCache } from '../../service-kit/visitor/contact-cache.ts';
import { trackingConfig } from '../src/config.ts';
import { startTracking } from '../src/server.ts';
import type { RunningTracking } from '../src/server.ts';

const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';

const cookieValue = (res: ContractResponse, name: string): string | undefined =>
  res.cookies.map((c) => c.split(';')[0]!).find((pair) => pair.startsWith(`${name}=`))?.slice(name.length + 1);

forEachDialect('tracking contact cache', (getDb) => {
  let recording: RecordingDb;
  let tracking: RunningTracking;
  let uncached: RunningTracking;
  let db: Db;
  beforeAll(async () => {
    db = getDb();
    recording = recordingDb(db);
    tracking = await startTracking({ db: recording.db, config: trackingConfig(), now: () => TEST_NOW }, { port: 0 });
    uncached = await startTracking({ db: recording.db, config: trackingConfig({ contactCache: { maxEntries: 0 } }), now: () => TEST_NOW }, { port: 0 });
  });
  afterAll(async () => {
    await tracking?.close();
    await uncached?.close();
  });

  /** A new visitor's first pixel; its cookies make the next request a returning one. */
  async function firstVisit(server = tracking, headers = browser()): Promise<{ cookie: string; leadId: number; deviceId: string }> {
    const res = await sendRaw(server.url, { path: '/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2Fa', headers });
    expect(res.status).toBe(200);
    return { cookie: cookieHeaderFrom(res.cookies), leadId: Number(cookieValue(res, 'mtc_id')), deviceId: cookieValue(res, 'mautic_device_id')! };
  }

  async function returningVisit(server: RunningTracking, cookie: string, headers = browser()): Promise<ContractResponse> {
    recording.statements.length = 0;
    const res = await sendRaw(server.url, { path: '/mtracking.gif?page_url=https%3A%2F%2Fshop.test%2Fb', headers: { ...headers, cookie } });
    expect(res.status).toBe(200);
    return res;
  }

  const lastHit = async () => (await db.query<{ lead_id: number; device_id: number; tracking_id: string; ip_id: number }>(
    `SELECT lead_id, device_id, tracking_id, ip_id FROM ${db.table('page_hits')} ORDER BY id DESC LIMIT 1`))[0]!;

  async function metric(outcome: string): Promise<number> {
    const text = await (await fetch(`${tracking.url}/metrics`)).text();
    return Number(new RegExp(`^tracking_contact_cache_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  }

  it('a returning device: no SELECT of the device, contact, IP or IP link; the same rows and cookies', async () => {
    const first = await firstVisit();
    const hitsBefore = await metric('hit');
    const res = await returningVisit(tracking, first.cookie);
    // The checked `last_active` UPDATE, the hit, and the `date_left` of the previous hit; no read.
    const t = (name: string) => db.table(name);
    expect(recording.shapes()).toEqual([`UPDATE ${t('leads')}`, `INSERT ${t('page_hits')}`, `UPDATE ${t('page_hits')}`]);
    expect([cookieValue(res, 'mautic_device_id'), Number(cookieValue(res, 'mtc_id'))]).toEqual([first.deviceId, first.leadId]);
    expect(await lastHit()).toMatchObject({ lead_id: first.leadId, tracking_id: first.deviceId });
    expect(await metric('hit')).toBe(hitsBefore + 1);
  });

  it('without the cache the same request reads them all, and writes the same rows', async () => {
    const first = await firstVisit(uncached);
    await returningVisit(uncached, first.cookie);
    expect(recording.selects()).toEqual(expect.arrayContaining([db.table('lead_devices'), db.table('leads'), db.table('ip_addresses'), db.table('lead_ips_xref')]));
    expect(await lastHit()).toMatchObject({ lead_id: first.leadId, tracking_id: first.deviceId });
  });

  it('a contact deleted by another writer is not served: the device is unknown, a new contact is made', async () => {
    const first = await firstVisit();
    const stalesBefore = await metric('stale');
    await db.execute(`DELETE FROM ${db.table('lead_devices')} WHERE lead_id = ?`, [first.leadId]);
    await db.execute(`DELETE FROM ${db.table('lead_ips_xref')} WHERE lead_id = ?`, [first.leadId]);
    await db.execute(`DELETE FROM ${db.table('leads')} WHERE id = ?`, [first.leadId]);
    const res = await returningVisit(tracking, first.cookie);
    const newLead = Number(cookieValue(res, 'mtc_id'));
    expect(newLead).not.toBe(first.leadId);
    expect(cookieValue(res, 'mautic_device_id')).not.toBe(first.deviceId);
    expect(await lastHit()).toMatchObject({ lead_id: newLead, tracking_id: cookieValue(res, 'mautic_device_id') });
    expect(await metric('stale')).toBe(stalesBefore + 1);
  });

  it('a contact merged into another (its device moved, the loser deleted) is served as the winner', async () => {
    const first = await firstVisit();
    const winner = await insertLead(db, { email: 'winner@example.com' });
    await db.execute(`UPDATE ${db.table('lead_devices')} SET lead_id = ? WHERE lead_id = ?`, [winner, first.leadId]);
    await db.execute(`DELETE FROM ${db.table('lead_ips_xref')} WHERE lead_id = ?`, [first.leadId]);
    await db.execute(`DELETE FROM ${db.table('leads')} WHERE id = ?`, [first.leadId]);
    const res = await returningVisit(tracking, first.cookie);
    expect([cookieValue(res, 'mautic_device_id'), Number(cookieValue(res, 'mtc_id'))]).toEqual([first.deviceId, winner]);
    expect(await lastHit()).toMatchObject({ lead_id: winner, tracking_id: first.deviceId });
    // The winner's entry serves the next hit without a read.
    await returningVisit(tracking, first.cookie);
    expect(recording.selects()).toEqual([]);
    expect(await lastHit()).toMatchObject({ lead_id: winner });
  });

  it('an anonymous contact merged by a form submission (the forms service\'s merge) is served as the survivor', async () => {
    const first = await firstVisit();
    const survivorId = await insertLead(db, { email: 'ida@example.com' });
    await db.transaction(async (tx) => {
      await mergeContactInto(tx, (await findLeadById(tx, survivorId))!, (await findLeadById(tx, first.leadId))!, '2024-10-24 10:00:00');
    });
    const res = await returningVisit(tracking, first.cookie);
    expect([cookieValue(res, 'mautic_device_id'), Number(cookieValue(res, 'mtc_id'))]).toEqual([first.deviceId, survivorId]);
    expect(await lastHit()).toMatchObject({ lead_id: survivorId, tracking_id: first.deviceId });
  });

  it('a device moved to another contact that still exists is served as that contact', async () => {
    const first = await firstVisit();
    const other = await insertLead(db, {});
    await db.execute(`UPDATE ${db.table('lead_devices')} SET lead_id = ? WHERE lead_id = ?`, [other, first.leadId]);
    const res = await returningVisit(tracking, first.cookie);
    expect(Number(cookieValue(res, 'mtc_id'))).toBe(other);
    expect(await lastHit()).toMatchObject({ lead_id: other, tracking_id: first.deviceId });
  });

  it('another User-Agent (another device kind) is not served from the entry: the contact gets a second device', async () => {
    const first = await firstVisit();
    const res = await returningVisit(tracking, first.cookie, { 'user-agent': ANDROID_UA });
    expect(recording.selects()).toContain(db.table('lead_devices'));
    expect(Number(cookieValue(res, 'mtc_id'))).toBe(first.leadId);
    expect(cookieValue(res, 'mautic_device_id')).not.toBe(first.deviceId);
    const devices = await db.query<{ device: string; device_brand: string | null }>(`SELECT device, device_brand FROM ${db.table('lead_devices')} WHERE lead_id = ? ORDER BY id`, [first.leadId]);
    expect(devices).toEqual([{ device: 'desktop', device_brand: null }, { device: 'smartphone', device_brand: 'Samsung' }]);
  });

  it('a dry run neither reads nor fills the cache', async () => {
    const first = await firstVisit();
    const dry = await returningVisit(tracking, first.cookie, browser({ 'x-strangler-mode': 'shadow' }));
    expect(dry.headers['x-strangler-dry-run']).toBe('1');
    expect(recording.selects()).toContain(db.table('lead_devices'));
    await returningVisit(tracking, first.cookie);
    expect(recording.selects()).toEqual([]);
  });

  it('a new visitor from a known IP reads nothing: the contact, its IP link, device, hit and timeline are inserted', async () => {
    await firstVisit();
    recording.statements.length = 0;
    await firstVisit();
    const t = (name: string) => db.table(name);
    expect(recording.shapes()).toEqual([`INSERT ${t('leads')}`, `INSERT ${t('lead_ips_xref')}`, `INSERT ${t('lead_devices')}`, `INSERT ${t('page_hits')}`, `INSERT ${t('lead_event_log')}`]);
  });

  it('an IP row deleted since (mautic:unusedip:delete) is looked up again, not linked dangling', async () => {
    await firstVisit();
    const known = await firstVisit(); // this one found the IP row, so its id is kept
    const [oldIp] = await db.query<{ id: number }>(`SELECT id FROM ${db.table('ip_addresses')} WHERE ip_address = ?`, ['127.0.0.1']);
    await db.execute(`DELETE FROM ${db.table('lead_ips_xref')} WHERE ip_id = ?`, [oldIp!.id]);
    await db.execute(`UPDATE ${db.table('page_hits')} SET ip_id = NULL WHERE ip_id = ?`, [oldIp!.id]);
    await db.execute(`DELETE FROM ${db.table('ip_addresses')} WHERE id = ?`, [oldIp!.id]);
    const fresh = await firstVisit();
    const [newIp] = await db.query<{ id: number }>(`SELECT id FROM ${db.table('ip_addresses')} WHERE ip_address = ?`, ['127.0.0.1']);
    expect(newIp!.id).not.toBe(oldIp!.id);
    expect(await db.query(`SELECT ip_id FROM ${db.table('lead_ips_xref')} WHERE lead_id = ?`, [fresh.leadId])).toEqual([{ ip_id: newIp!.id }]);
    expect(await lastHit()).toMatchObject({ lead_id: fresh.leadId, ip_id: newIp!.id });
    // A returning device whose entry names the deleted IP is identified again and linked to the new row.
    await returningVisit(tracking, known.cookie);
    expect(await lastHit()).toMatchObject({ lead_id: known.leadId, ip_id: newIp!.id });
  });
}, { realMautic: true });

describe('the contact cache keeps the publicly updatable fields for fieldsTtlMs', () => {
  const EMAIL: PublicContactField[] = [{ alias: 'email', isUniqueIdentifier: true }];
  afterEach(() => jest.restoreAllMocks());

  it('loads them once within the TTL and again after it', async () => {
    const clock = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const cache = new ContactCache({ maxEntries: 10, ttlMs: 60_000, fieldsTtlMs: 10_000 });
    const load = jest.fn(async () => EMAIL);
    await cache.publicFields(load);
    clock.mockReturnValue(1_009_999);
    expect(await cache.publicFields(load)).toBe(EMAIL);
    expect(load).toHaveBeenCalledTimes(1);
    clock.mockReturnValue(1_010_000);
    await cache.publicFields(load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('loads them for every hit with a TTL of 0', async () => {
    const cache = new ContactCache({ maxEntries: 10, ttlMs: 60_000, fieldsTtlMs: 0 });
    const load = jest.fn(async () => EMAIL);
    await cache.publicFields(load);
    await cache.publicFields(load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
