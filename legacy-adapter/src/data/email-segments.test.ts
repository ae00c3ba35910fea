import { forEachDialect } from '../../../test-support/databases.ts';
import { EMAIL_STAT_REPLIES } from '../db/schema/index.ts';
import { insertDoNotContact, insertLead } from './contacts.ts';
import { addEmailExcludedSegment, listEmailExcludedSegmentIds, listPendingSegmentLeads } from './email-segments.ts';
import { insertEmail, insertEmailStat, insertEmailStatReply, listEmailStatReplies } from './emails.ts';
import { addLeadToSegment, insertSegment, removeLeadFromSegment } from './segments.ts';
import { nullNotNullColumns, rawRow } from './test-fixtures/row-checks.ts';

forEachDialect('segment email audience and replies', (getDb) => {
  it('keeps the excluded segments of an email once each', async () => {
    const db = getDb();
    const email = await insertEmail(db, { name: 'Excl', email_type: 'list' });
    const [a, b] = [await insertSegment(db, { name: 'XA', alias: 'xa' }), await insertSegment(db, { name: 'XB', alias: 'xb' })];
    await addEmailExcludedSegment(db, email, b);
    await addEmailExcludedSegment(db, email, a);
    await addEmailExcludedSegment(db, email, b);
    expect(await listEmailExcludedSegmentIds(db, email)).toEqual([a, b]);
    await expect(addEmailExcludedSegment(db, email, 999_999)).rejects.toMatchObject({ code: 'DB_FOREIGN_KEY' });
  });

  // docs/mautic/public-http.md §5.2 (getPendingLeads): who a segment send still goes to.
  it('lists pending contacts: once each with their lowest segment, skipping sent, DNC, excluded, removed and address-less', async () => {
    const db = getDb();
    const email = await insertEmail(db, { name: 'Pending', email_type: 'list' });
    const other = await insertEmail(db, { name: 'Other', email_type: 'list' });
    const seg = async (alias: string) => insertSegment(db, { name: alias, alias });
    const [a, b, x] = [await seg('pa'), await seg('pb'), await seg('px')];
    await addEmailExcludedSegment(db, email, x);
    const lead = (address: string | null) => insertLead(db, { email: address, firstname: 'F' });
    const inBoth = await lead('both@example.org');
    const onlyB = await lead('b@example.org');
    const removed = await lead('removed@example.org');
    const blank = await lead('');
    const noAddress = await lead(null);
    const sent = await lead('sent@example.org');
    const sentOther = await lead('sent-other@example.org');
    const dnc = await lead('dnc@example.org');
    const smsDnc = await lead('sms@example.org');
    const excluded = await lead('excluded@example.org');
    const leftExcluded = await lead('left@example.org');
    for (const id of [inBoth, removed, blank, noAddress, sent, sentOther, dnc, smsDnc, excluded, leftExcluded]) await addLeadToSegment(db, a, id);
    for (const id of [inBoth, onlyB]) await addLeadToSegment(db, b, id);
    await removeLeadFromSegment(db, a, removed);
    await insertEmailStat(db, { email_id: email, lead_id: sent, email_address: 'sent@example.org' });
    await insertEmailStat(db, { email_id: other, lead_id: sentOther, email_address: 'sent-other@example.org' });
    await insertDoNotContact(db, { lead_id: dnc, channel: 'email' });
    await insertDoNotContact(db, { lead_id: smsDnc, channel: 'sms' });
    for (const id of [excluded, leftExcluded]) await addLeadToSegment(db, x, id);
    await removeLeadFromSegment(db, x, leftExcluded);

    const pending = await listPendingSegmentLeads(db, email, [b, a], null);
    expect(pending.map((p) => [p.lead.id, p.listId])).toEqual([[inBoth, a], [onlyB, b], [sentOther, a], [smsDnc, a], [leftExcluded, a]]);
    // Rows come back decoded like every repository read.
    expect(pending[0]!.lead).toMatchObject({ email: 'both@example.org', firstname: 'F', is_published: true, internal: [] });
    expect(pending[0]!.lead).not.toHaveProperty('strangler_list_id');
    expect((await listPendingSegmentLeads(db, email, [a, b], 2)).map((p) => p.lead.id)).toEqual([inBoth, onlyB]);
    expect(await listPendingSegmentLeads(db, email, [], null)).toEqual([]);
    await expect(listPendingSegmentLeads(db, email, [a], -1)).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
    await expect(listPendingSegmentLeads(db, email, [a], 1.5)).rejects.toMatchObject({ code: 'DB_INPUT_INVALID' });
  });

  // docs/mautic/public-http.md §5.4: a reply is an email_stat_replies row keyed by a GUID.
  it('records replies with a GUID id and reads them back', async () => {
    const db = getDb();
    const email = await insertEmail(db, { name: 'Replied' });
    const stat = await insertEmailStat(db, { email_id: email, email_address: 'r@example.org' });
    const id = await insertEmailStatReply(db, { stat_id: stat, message_id: 'api-0123456789abcd', date_replied: '2024-10-24 10:00:00' });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const raw = await rawRow(db, EMAIL_STAT_REPLIES, { id });
    expect(nullNotNullColumns(EMAIL_STAT_REPLIES, raw)).toEqual([]);
    expect(raw).toEqual({ id, stat_id: stat, date_replied: '2024-10-24 10:00:00', message_id: 'api-0123456789abcd' });
    const second = await insertEmailStatReply(db, { stat_id: stat, message_id: '<m2@example.org>' });
    expect(second).not.toBe(id);
    expect((await listEmailStatReplies(db, stat)).map((r) => r.message_id)).toEqual(['api-0123456789abcd', '<m2@example.org>']);
    await expect(insertEmailStatReply(db, { stat_id: 999_999, message_id: 'x' })).rejects.toMatchObject({ code: 'DB_FOREIGN_KEY' });
    const tooLong = 'a'.repeat(37);
    await expect(insertEmailStatReply(db, { stat_id: stat, message_id: 'x', id: tooLong })).rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
  });
});
