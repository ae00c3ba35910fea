import { createHash, randomUUID } from 'node:crypto';
import { isDbError } from '../db/errors.ts';
import { EMAIL_COPIES, EMAIL_LIST_XREF, EMAIL_STAT_REPLIES, EMAIL_STATS, EMAIL_STATS_DEVICES, EMAILS } from '../db/schema/index.ts';
import type { Db } from '../db/types.ts';
import type { Writable } from './contact-rows.ts';
import type { Email, EmailCopy, EmailStat, EmailStatDevice, EmailStatReply } from './email-rows.ts';
import { utcNow } from './row-codec.ts';
import { insertRow, quote, selectOne, selectRows, updateRows } from './table-access.ts';

export type { Email, EmailCopy, EmailStat, EmailStatDevice, EmailStatReply } from './email-rows.ts';

/**
 * Inserts an email with Mautic's entity initial values: published, counters 0,
 * `revision` 1, `lang` 'en', `headers` `[]`, `date_added` now. @returns its id.
 */
export function insertEmail(db: Db, values: Writable<Email> & { name: string }): Promise<number> {
  return insertRow(db, EMAILS, {
    is_published: true,
    read_count: 0,
    sent_count: 0,
    variant_sent_count: 0,
    variant_read_count: 0,
    revision: 1,
    lang: 'en',
    headers: [],
    date_added: utcNow(),
    ...values,
  });
}

/** The email with this id, or undefined. */
export function findEmailById(db: Db, id: number): Promise<Email | undefined> {
  return selectOne<Email>(db, EMAILS, { id });
}

/** Which of these email ids exist (one statement for a batch). (Added by the tracking worker.) */
export async function listExistingEmailIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.query<{ id: number }>(`SELECT id FROM ${db.table('emails')} WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
  return new Set(rows.map((r) => Number(r.id)));
}

/** Adds `by` to an email's `sent_count` (or `read_count`). */
export async function countEmail(db: Db, id: number, counter: 'sent_count' | 'read_count', by = 1): Promise<void> {
  const c = quote(db, counter);
  await db.execute(`UPDATE ${db.table('emails')} SET ${c} = ${c} + ? WHERE id = ?`, [by, id]);
}

/**
 * Inserts a send record with Mautic's initial values: not read, not failed, not viewed in
 * browser, `date_sent` now unless given. @returns its id.
 */
export function insertEmailStat(db: Db, values: Writable<EmailStat> & { email_address: string }): Promise<number> {
  return insertRow(db, EMAIL_STATS, { is_read: false, is_failed: false, viewed_in_browser: false, date_sent: utcNow(), ...values });
}

/** The emails a user created (`created_by`), oldest first. */
export function listEmailsCreatedBy(db: Db, userId: number): Promise<Email[]> {
  return selectRows<Email>(db, EMAILS, { created_by: userId }, 'ORDER BY id');
}

/** The send record with this tracking hash (open pixel / click URLs), or undefined. */
export function findEmailStatByHash(db: Db, trackingHash: string): Promise<EmailStat | undefined> {
  return selectOne<EmailStat>(db, EMAIL_STATS, { tracking_hash: trackingHash });
}

/** The send record with this id, or undefined. */
export function findEmailStatById(db: Db, id: number): Promise<EmailStat | undefined> {
  return selectOne<EmailStat>(db, EMAIL_STATS, { id });
}

/** The send records of one email, oldest first. */
export function listEmailStats(db: Db, emailId: number): Promise<EmailStat[]> {
  return selectRows<EmailStat>(db, EMAIL_STATS, { email_id: emailId }, 'ORDER BY id');
}

/** Updates columns of a send record (e.g. `is_read`, `date_read`, `open_count`, `open_details`). @returns rows changed. */
export function updateEmailStat(db: Db, id: number, values: Writable<EmailStat>): Promise<number> {
  return updateRows(db, EMAIL_STATS, { id }, values);
}

/** md5(subject . body): the id Mautic gives a stored copy. */
export function emailCopyId(subject: string, body: string): string {
  return createHash('md5').update(subject + body, 'utf8').digest('hex');
}

/**
 * Stores a copy of what was sent unless one with the same id exists (`date_created` now).
 * @returns the copy id (md5(subject . body)).
 */
export async function saveEmailCopy(db: Db, values: { subject: string; body: string; body_text?: string | null; date_created?: string }): Promise<string> {
  const id = emailCopyId(values.subject, values.body);
  if (await selectOne(db, EMAIL_COPIES, { id })) return id;
  try {
    await insertRow(db, EMAIL_COPIES, { id, date_created: utcNow(), ...values });
  } catch (err) {
    // Another send stored the same copy in the meantime: that copy is this one.
    if (!isDbError(err, 'DB_DUPLICATE_KEY')) throw err;
  }
  return id;
}

/** The stored copy with this id, or undefined. */
export function findEmailCopy(db: Db, id: string): Promise<EmailCopy | undefined> {
  return selectOne<EmailCopy>(db, EMAIL_COPIES, { id });
}

/** Records which device opened a sent email (`date_opened` now unless given). @returns its id. */
export function insertEmailStatDevice(db: Db, values: Writable<EmailStatDevice>): Promise<number> {
  return insertRow(db, EMAIL_STATS_DEVICES, { date_opened: utcNow(), ...values });
}

/** The open devices of a send record, oldest first. */
export function listEmailStatDevices(db: Db, statId: number): Promise<EmailStatDevice[]> {
  return selectRows<EmailStatDevice>(db, EMAIL_STATS_DEVICES, { stat_id: statId }, 'ORDER BY id');
}

/**
 * Marks a send record read the first time only (`is_read` 0 → 1, `date_read`), the guard
 * Mautic uses so `emails.read_count` counts first opens (docs/mautic/public-http.md §3.6).
 * @returns true when this call was the first open. (Added by the tracking stand-in.)
 */
export async function markEmailStatReadOnce(db: Db, id: number, when: string = utcNow()): Promise<boolean> {
  const result = await db.execute(
    `UPDATE ${db.table('email_stats')} SET ${quote(db, 'is_read')} = 1, ${quote(db, 'date_read')} = ? WHERE id = ? AND ${quote(db, 'is_read')} = 0`,
    [when, id],
  );
  return result.affectedRows === 1;
}

/** Adds one to an A/B variant's `variant_read_count` (§3.6). (Added by the tracking stand-in.) */
export async function countEmailVariantRead(db: Db, id: number): Promise<void> {
  const c = quote(db, 'variant_read_count');
  await db.execute(`UPDATE ${db.table('emails')} SET ${c} = ${c} + 1 WHERE id = ?`, [id]);
}

/** Targets a segment email at a segment (`email_list_xref`) unless it already is. */
export async function addEmailSegment(db: Db, emailId: number, segmentId: number): Promise<void> {
  if (await selectOne(db, EMAIL_LIST_XREF, { email_id: emailId, leadlist_id: segmentId })) return;
  await insertRow(db, EMAIL_LIST_XREF, { email_id: emailId, leadlist_id: segmentId });
}

/** The segment ids a segment email is sent to, ascending. */
export async function listEmailSegmentIds(db: Db, emailId: number): Promise<number[]> {
  const rows = await selectRows<{ leadlist_id: number }>(db, EMAIL_LIST_XREF, { email_id: emailId }, 'ORDER BY leadlist_id');
  return rows.map((r) => r.leadlist_id);
}

/** Deletes a send record, as `StatHelper::deletePending` does when the transport refuses the message (§5.5). (Added by the sending stand-in.) */
export async function deleteEmailStat(db: Db, id: number): Promise<void> {
  await db.execute(`DELETE FROM ${db.table('email_stats')} WHERE id = ?`, [id]);
}

/**
 * Records a reply to a sent email (`email_stat_replies`, docs/mautic/public-http.md §5.4): `id` a
 * new GUID and `date_replied` now unless given. @returns the id. (Added by the sending stand-in.)
 */
export async function insertEmailStatReply(db: Db, values: Partial<EmailStatReply> & Pick<EmailStatReply, 'stat_id' | 'message_id'>): Promise<string> {
  const id = values.id ?? randomUUID();
  await insertRow(db, EMAIL_STAT_REPLIES, { date_replied: utcNow(), ...values, id });
  return id;
}

/** The replies to a send record, oldest first. (Added by the sending stand-in.) */
export function listEmailStatReplies(db: Db, statId: number): Promise<EmailStatReply[]> {
  return selectRows<EmailStatReply>(db, EMAIL_STAT_REPLIES, { stat_id: statId }, 'ORDER BY date_replied, id');
}
