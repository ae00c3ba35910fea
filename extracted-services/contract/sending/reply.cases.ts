/**
 * Sending cases of the reply route (docs/mautic/public-http.md §5.4): a reply to a sent
 * message is an `email_stat_replies` row and a read stat, answered 201; an unknown hash is
 * a 404 that names it; nothing is recorded without credentials.
 */
import { saveCopy } from '../../../legacy-adapter/src/data/sending-emails.ts';
import { insertStat } from '../../../legacy-adapter/src/data/sending-stats.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';
import { TEST_NOW, TEST_NOW_TEXT } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import type { Fixture } from '../contract-case.ts';
import type { SendingCase } from './sending-contract.ts';
import { SITE_URL, post, seeded } from './fixtures.ts';

const settings = { siteUrl: SITE_URL };
/** Mautic's JsonResponse headers: the type, and Symfony's default Cache-Control (docs/mautic/public-http.md §3.1 notes it). */
const JSON_TYPE = { 'content-type': 'application/json', 'cache-control': 'no-cache, private' };
/** A tracking hash as §5.6 makes them. */
const HASH = '6718e1a0a1b2c123456789';

/** The seed plus one message sent to ann, unread. */
async function sentToAnn(db: Db): Promise<Fixture> {
  const fx = await seeded(db);
  const sentAt = new Date(TEST_NOW.getTime() - 3_600_000);
  const copyId = await saveCopy(db, { subject: 'Spring', html: '<p>Hi</p>', text: '' }, sentAt);
  const stat = await insertStat(db, {
    emailId: Number(fx.listEmail), contactId: Number(fx.ann), listId: Number(fx.segment), copyId, emailAddress: 'ann@example.org',
    trackingHash: HASH, source: ['email', Number(fx.listEmail)], tokens: {}, now: sentAt,
  });
  return { ...fx, stat };
}

export const REPLY_CASES: SendingCase[] = [
  {
    name: 'a reply to a sent message → 201, a reply row and the stat read', cite: '§5.4', settings, given: sentToAnn,
    request: () => post(`/api/emails/reply/${HASH}`),
    expect: (fx) => ({
      status: 201, headers: JSON_TYPE, body: { json: { success: true } },
      rows: {
        email_stat_replies: [{ stat_id: fx.stat, date_replied: TEST_NOW_TEXT, message_id: expect.stringMatching(/^api-[0-9a-z]+$/) }],
        email_stats: [{ id: fx.stat, tracking_hash: HASH, is_read: 1, date_read: TEST_NOW_TEXT }],
      },
    }),
  },
  {
    name: 'a reply with an unknown hash → 404 naming the hash, nothing recorded', cite: '§5.4', settings, given: sentToAnn,
    request: () => post('/api/emails/reply/nohash123'),
    expect: (fx) => ({
      status: 404, headers: JSON_TYPE,
      body: { json: { errors: [{ code: 404, message: 'Email Stat with tracking hash nohash123 was not found', details: [], type: null }] } },
      rows: { email_stat_replies: [], email_stats: [{ id: fx.stat, is_read: 0, date_read: null }] },
    }),
  },
  {
    name: 'a reply without credentials → 401, nothing recorded', cite: '§5.1, §5.4', settings, given: sentToAnn,
    request: () => post(`/api/emails/reply/${HASH}`, undefined, null),
    expect: (fx) => ({
      status: 401, headers: JSON_TYPE,
      body: { json: { errors: [{ message: 'API authorization denied.', code: 401, type: 'access_denied' }] } },
      rows: { email_stat_replies: [], email_stats: [{ id: fx.stat, is_read: 0 }] },
    }),
  },
];
