import { randomBytes, randomUUID } from 'node:crypto';
import { serializePhp } from '../../codecs/php-serialize.ts';
import type { Db } from '../../db/types.ts';
import { toDbDate } from './db-values.ts';

/**
 * `email_stats` and its neighbours (mautic-public-http.md §5.4, §5.5): the
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
export async function insertStat(db: Db, stat: NewStat): Promise<number> {
  const result = await db.execute(
    `INSERT INTO ${db.table('email_stats')}
       (email_id, lead_id, list_id, ip_id, copy_id, email_address, date_sent, is_read, is_failed, viewed_in_browser,
        tracking_hash, retry_count, source, source_id, tokens)
     VALUES (?, ?, ?, NULL, ?, ?, ?, 0, 0, 0, ?, 0, ?, ?, ?)`,
    [
      stat.emailId, stat.contactId, stat.listId, stat.copyId, stat.emailAddress, toDbDate(stat.now), stat.trackingHash,
      stat.source[0], stat.source[1], serializePhp(stat.tokens),
    ],
  );
  return result.insertId;
}

/** Removes a stat whose message the transport refused (`StatHelper::deletePending`). */
export async function deleteStat(db: Db, statId: number): Promise<void> {
  await db.execute(`DELETE FROM ${db.table('email_stats')} WHERE id = ?`, [statId]);
}

/** The stat with a tracking hash, or undefined. */
export async function findStatByHash(db: Db, hash: string): Promise<{ id: number; isRead: boolean } | undefined> {
  const [row] = await db.query<{ id: number; is_read: unknown }>(
    `SELECT id, is_read FROM ${db.table('email_stats')} WHERE tracking_hash = ? ORDER BY id LIMIT 1`,
    [hash],
  );
  return row ? { id: Number(row.id), isRead: Number(row.is_read) === 1 } : undefined;
}

/** Records a reply (§5.4): an `email_stat_replies` row with `message_id = api-<random>`, and marks the stat read. */
export async function recordReply(db: Db, stat: { id: number; isRead: boolean }, now: Date): Promise<void> {
  await db.execute(`INSERT INTO ${db.table('email_stat_replies')} (id, stat_id, date_replied, message_id) VALUES (?, ?, ?, ?)`, [
    randomUUID(),
    stat.id,
    toDbDate(now),
    `api-${randomBytes(7).toString('hex')}`,
  ]);
  if (!stat.isRead) {
    await db.execute(`UPDATE ${db.table('email_stats')} SET is_read = 1, date_read = ? WHERE id = ?`, [toDbDate(now), stat.id]);
  }
}

/** The bounce DNC a contact with an unusable address gets (§5.3, reason 2 = bounced). */
export async function addBounceDnc(db: Db, contactId: number, emailId: number, comments: string, now: Date): Promise<void> {
  await db.execute(
    `INSERT INTO ${db.table('lead_donotcontact')} (lead_id, date_added, reason, channel, channel_id, comments) VALUES (?, ?, 2, 'email', ?, ?)`,
    [contactId, toDbDate(now), emailId, comments],
  );
}
