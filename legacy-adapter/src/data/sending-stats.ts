import { randomBytes } from 'node:crypto';
import { DNC_REASON, insertDoNotContact } from './contacts.ts';
import { deleteEmailStat, findEmailStatByHash, insertEmailStat, insertEmailStatReply, markEmailStatReadOnce } from './emails.ts';
import { toUtcDateTime } from './row-codec.ts';
import type { Db } from '../db/types.ts';

/**
 * `email_stats` and its neighbours (docs/mautic/public-http.md §5.4, §5.5): the
 * stat row written before the message goes to the mailer and deleted if the
 * transport refuses it, replies, and the bounce DNC of a bad address.
 */

/** Columns of a new stat. */
export interface NewStat {
  emailId: number;
  contactId: number;
  listId: number | null;
  copyId: string;
  emailAddress: string;
  trackingHash: string;
  source: [string, number];
  tokens: Record<string, string>;
  now: Date;
}

/** Inserts the stat (§5.5 step 4) and returns its id. */
export function insertStat(db: Db, stat: NewStat): Promise<number> {
  return insertEmailStat(db, {
    email_id: stat.emailId, lead_id: stat.contactId, list_id: stat.listId, copy_id: stat.copyId, email_address: stat.emailAddress,
    date_sent: toUtcDateTime(stat.now), tracking_hash: stat.trackingHash, retry_count: 0, source: stat.source[0], source_id: stat.source[1],
    tokens: stat.tokens,
  });
}

/** Removes a stat whose message the transport refused (`StatHelper::deletePending`). */
export function deleteStat(db: Db, statId: number): Promise<void> {
  return deleteEmailStat(db, statId);
}

/** The stat with a tracking hash, or undefined. */
export async function findStatByHash(db: Db, hash: string): Promise<{ id: number } | undefined> {
  const stat = await findEmailStatByHash(db, hash);
  return stat ? { id: stat.id } : undefined;
}

/** Records a reply (§5.4): an `email_stat_replies` row with `message_id = api-<random>`, and marks the stat read. */
export async function recordReply(db: Db, statId: number, now: Date): Promise<void> {
  await insertEmailStatReply(db, { stat_id: statId, date_replied: toUtcDateTime(now), message_id: `api-${randomBytes(7).toString('hex')}` });
  await markEmailStatReadOnce(db, statId, toUtcDateTime(now));
}

/** The bounce DNC a contact with an unusable address gets (§5.3, reason 2 = bounced). */
export async function addBounceDnc(db: Db, contactId: number, emailId: number, comments: string, now: Date): Promise<void> {
  await insertDoNotContact(db, { lead_id: contactId, date_added: toUtcDateTime(now), reason: DNC_REASON.BOUNCED, channel: 'email', channel_id: emailId, comments });
}
