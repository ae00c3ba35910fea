import { forEachDialect } from '../../../test-support/databases.ts';
import { IP_ADDRESSES, LEAD_DEVICES, LEAD_DONOTCONTACT, LEAD_EVENT_LOG, LEADS } from '../db/schema/index.ts';
import {
  DNC_REASON,
  findDeviceByTrackingId,
  findIpAddress,
  findLeadByAnyValue,
  findLeadByEmail,
  findLeadById,
  findLeadByIpId,
  getOrCreateIpAddressId,
  insertDoNotContact,
  insertLead,
  insertLeadDevice,
  insertLeadEvent,
  linkLeadIp,
  listDoNotContact,
  listLeadDevices,
  listLeadEvents,
  listLeadIpIds,
  updateLead,
} from './contacts.ts';
import { nullNotNullColumns, rawRow } from './test-fixtures/row-checks.ts';

forEachDialect('contacts repository', (getDb) => {
  it('inserts a contact with Mautic initial values and reads it back decoded', async () => {
    const db = getDb();
    const id = await insertLead(db, { email: 'ana@example.com', firstname: 'Ana', date_added: '2024-05-01 10:00:00' });
    const raw = await rawRow(db, LEADS, { id });
    expect(nullNotNullColumns(LEADS, raw)).toEqual([]);
    // docs/mautic/schema.md "leads": points INT NOT NULL (Mautic writes 0), arrays stored PHP-serialized (§0.3).
    expect(raw).toMatchObject({ is_published: 1, points: 0, internal: 'a:0:{}', social_cache: 'a:0:{}', date_identified: '2024-05-01 10:00:00' });
    const lead = await findLeadById(db, id);
    expect(lead).toMatchObject({ id, email: 'ana@example.com', firstname: 'Ana', is_published: true, points: 0, internal: [], generated_email_domain: 'example.com' });
    expect((await findLeadByEmail(db, 'ana@example.com'))?.id).toBe(id);
    expect(await findLeadByEmail(db, 'nobody@example.com')).toBeUndefined();
  });

  it('leaves an anonymous contact unidentified and updates it', async () => {
    const db = getDb();
    const id = await insertLead(db);
    expect((await findLeadById(db, id))?.date_identified).toBeNull();
    expect(await updateLead(db, id, { lastname: 'Bo', internal: { lastSeen: 3 }, points: 5 })).toBe(1);
    const lead = await findLeadById(db, id);
    expect(lead).toMatchObject({ lastname: 'Bo', internal: { lastSeen: 3 }, points: 5 });
    expect(lead?.date_modified).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect((await rawRow(db, LEADS, { id })).internal).toBe('a:1:{s:8:"lastSeen";i:3;}');
  });

  it('refuses unknown columns, generated columns and wrong value types with DB_INPUT_INVALID', async () => {
    const db = getDb();
    await expect(insertLead(db, { generated_email_domain: 'x' } as never)).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
    await expect(insertLead(db, {}, { 'bad name': 'x' })).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
    await expect(insertLead(db, { points: 1.5 })).rejects.toMatchObject({ code: 'DB_INPUT_INVALID', message: expect.stringContaining('leads.points') });
    await expect(insertLead(db, { date_added: '2024-05-01T10:00:00Z' })).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
  });

  it('stores IP addresses once and links them to contacts', async () => {
    const db = getDb();
    const lead = await insertLead(db, { email: 'ip@example.com' });
    const ipId = await getOrCreateIpAddressId(db, '203.0.113.9');
    expect(await getOrCreateIpAddressId(db, '203.0.113.9')).toBe(ipId);
    expect(await rawRow(db, IP_ADDRESSES, { id: ipId })).toEqual({ id: ipId, ip_address: '203.0.113.9', ip_details: 'N;' });
    expect(await findIpAddress(db, '203.0.113.9')).toEqual({ id: ipId, ip_address: '203.0.113.9', ip_details: null });
    expect(await linkLeadIp(db, lead, ipId)).toBe(true);
    expect(await linkLeadIp(db, lead, ipId)).toBe(false);
    expect(await listLeadIpIds(db, lead)).toEqual([ipId]);
  });

  it('round-trips devices with their serialized client info', async () => {
    const db = getDb();
    const lead = await insertLead(db);
    const clientInfo = { type: 'browser', name: 'Firefox', short_name: 'FF', version: '126.0', engine: 'Gecko' };
    const id = await insertLeadDevice(db, { lead_id: lead, tracking_id: 'abcdefghijklmnopqrstuvw', device: 'desktop', device_os_name: 'GNU/Linux', client_info: clientInfo });
    expect(nullNotNullColumns(LEAD_DEVICES, await rawRow(db, LEAD_DEVICES, { id }))).toEqual([]);
    expect(await findDeviceByTrackingId(db, 'abcdefghijklmnopqrstuvw')).toMatchObject({ id, lead_id: lead, client_info: clientInfo, device: 'desktop' });
    expect((await listLeadDevices(db, lead)).map((d) => d.id)).toEqual([id]);
    await expect(insertLeadDevice(db, { lead_id: lead, tracking_id: 'abcdefghijklmnopqrstuvw' })).rejects.toMatchObject({ code: 'DB_DUPLICATE_KEY' });
  });

  it('writes timeline events with JSON properties and do-not-contact entries', async () => {
    const db = getDb();
    const lead = await insertLead(db);
    const ev = await insertLeadEvent(db, { lead_id: lead, bundle: 'lead', object: 'form', action: 'submitted', object_id: 4, properties: { url: 'https://example.com/é' } });
    expect(nullNotNullColumns(LEAD_EVENT_LOG, await rawRow(db, LEAD_EVENT_LOG, { id: ev }))).toEqual([]);
    // Doctrine's JsonType writes PHP json_encode: '/' escaped, non-ASCII as \u.
    expect((await rawRow(db, LEAD_EVENT_LOG, { id: ev })).properties).toBe('{"url":"https:\\/\\/example.com\\/\\u00e9"}');
    expect((await listLeadEvents(db, lead))[0]).toMatchObject({ action: 'submitted', properties: { url: 'https://example.com/é' } });
    const dnc = await insertDoNotContact(db, { lead_id: lead, channel: 'email', channel_id: 3, reason: DNC_REASON.UNSUBSCRIBED, comments: 'User unsubscribed.' });
    expect(nullNotNullColumns(LEAD_DONOTCONTACT, await rawRow(db, LEAD_DONOTCONTACT, { id: dnc }))).toEqual([]);
    expect(await listDoNotContact(db, lead, 'email')).toEqual([expect.objectContaining({ id: dnc, reason: 1, channel_id: 3 })]);
  });

  // docs/mautic/public-http.md §4.2: a submission matches the oldest contact holding any submitted unique identifier.
  it('finds the oldest contact holding any of several column values', async () => {
    const db = getDb();
    const first = await insertLead(db, { email: 'any-1@example.com', phone: '+100' });
    const second = await insertLead(db, { email: 'any-2@example.com', phone: '+200' });
    expect((await findLeadByAnyValue(db, { email: 'any-2@example.com', phone: '+100' }))?.id).toBe(first);
    expect(await findLeadByAnyValue(db, { email: 'any-2@example.com' })).toMatchObject({ id: second, phone: '+200', internal: [] });
    expect(await findLeadByAnyValue(db, { email: 'nobody@example.com', phone: '+999' })).toBeUndefined();
    expect(await findLeadByAnyValue(db, {})).toBeUndefined();
    await expect(findLeadByAnyValue(db, { 'email = email OR 1': 'x' })).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
  });

  // docs/mautic/public-http.md §2.1 step 6: track_contact_by_ip takes the first contact linked to the IP.
  it('finds the contact with the lowest id linked to an IP', async () => {
    const db = getDb();
    const ipId = await getOrCreateIpAddressId(db, '198.51.100.77');
    expect(await findLeadByIpId(db, ipId)).toBeUndefined();
    const older = await insertLead(db, { email: 'ip-old@example.com' });
    const newer = await insertLead(db, { email: 'ip-new@example.com' });
    await linkLeadIp(db, newer, ipId);
    expect((await findLeadByIpId(db, ipId))?.id).toBe(newer);
    await linkLeadIp(db, older, ipId);
    expect(await findLeadByIpId(db, ipId)).toMatchObject({ id: older, email: 'ip-old@example.com' });
  });

  it('works inside a transaction and leaves nothing after a dry run', async () => {
    const db = getDb();
    const id = await db.transaction((tx) => insertLead(tx, { email: 'dry@example.com' }), { rollbackOnly: true });
    expect(id).toBeGreaterThan(0);
    expect(await findLeadById(db, id)).toBeUndefined();
  });
});
