import { generateRedirectId } from '../../codecs/ids.ts';
import { isDbError } from '../../db/errors.ts';
import type { Db } from '../../db/types.ts';
import { fromDbBool, fromDbJsonObject, fromDbPhpArray, toDbDate } from './db-values.ts';
import type { UtmTags } from './email-tokens.ts';

/**
 * The email-side rows of a send (mautic-public-http.md §5.5, §6): the email
 * itself, its trackable links (`page_redirects` + `channel_url_trackables`),
 * the stored copy, and the `sent_count` counter.
 */

/** An `emails` row, decoded. */
export interface EmailRow {
  id: number;
  name: string;
  isPublished: boolean;
  /** `list` (segment email) or `template`. */
  emailType: string;
  subject: string;
  html: string;
  text: string;
  fromAddress: string | null;
  fromName: string | null;
  replyTo: string | null;
  bcc: string | null;
  createdBy: number | null;
  utmTags: UtmTags;
  headers: Record<string, string>;
}

/** Loads an email by id, or undefined. */
export async function findEmail(db: Db, id: number): Promise<EmailRow | undefined> {
  const [row] = await db.query(`SELECT * FROM ${db.table('emails')} WHERE id = ?`, [id]);
  if (!row) return undefined;
  const headers = fromDbJsonObject(row.headers);
  return {
    id: Number(row.id),
    name: String(row.name ?? ''),
    isPublished: fromDbBool(row.is_published) === true,
    emailType: String(row.email_type ?? 'template'),
    subject: String(row.subject ?? ''),
    html: String(row.custom_html ?? ''),
    text: String(row.plain_text ?? ''),
    fromAddress: (row.from_address as string | null) || null,
    fromName: (row.from_name as string | null) || null,
    replyTo: (row.reply_to_address as string | null) || null,
    bcc: (row.bcc_address as string | null) || null,
    createdBy: row.created_by === null || row.created_by === undefined ? null : Number(row.created_by),
    utmTags: fromDbPhpArray(row.utm_tags) as UtmTags,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
  };
}

/**
 * The `page_redirects` row of a URL, created when missing (a 25-hex
 * `redirect_id`), and its `channel_url_trackables` row for this email.
 */
export async function ensureTrackable(db: Db, url: string, emailId: number, now: Date): Promise<{ id: number; redirectId: string }> {
  const redirects = db.table('page_redirects');
  let [row] = await db.query<{ id: number; redirect_id: string }>(`SELECT id, redirect_id FROM ${redirects} WHERE url = ? ORDER BY id LIMIT 1`, [url]);
  if (!row) {
    const redirectId = generateRedirectId();
    const result = await db.execute(
      `INSERT INTO ${redirects} (is_published, date_added, redirect_id, url, hits, unique_hits) VALUES (1, ?, ?, ?, 0, 0)`,
      [toDbDate(now), redirectId, url],
    );
    row = { id: result.insertId, redirect_id: redirectId };
  }
  const trackables = db.table('channel_url_trackables');
  const [link] = await db.query(`SELECT redirect_id FROM ${trackables} WHERE redirect_id = ? AND channel_id = ?`, [row.id, emailId]);
  if (!link) {
    await ignoreDuplicate(
      db.execute(`INSERT INTO ${trackables} (channel_id, redirect_id, channel, hits, unique_hits) VALUES (?, ?, 'email', 0, 0)`, [
        emailId,
        row.id,
      ]),
    );
  }
  return { id: Number(row.id), redirectId: String(row.redirect_id) };
}

/** Stores the copy `id = md5(subject . body)` once (§5.5 step 4). */
export async function saveCopy(db: Db, copy: { id: string; subject: string; html: string; text: string }, now: Date): Promise<void> {
  const copies = db.table('email_copies');
  const [existing] = await db.query(`SELECT id FROM ${copies} WHERE id = ?`, [copy.id]);
  if (existing) return;
  await ignoreDuplicate(
    db.execute(`INSERT INTO ${copies} (id, date_created, body, body_text, subject) VALUES (?, ?, ?, ?, ?)`, [
      copy.id,
      toDbDate(now),
      copy.html,
      copy.text,
      copy.subject,
    ]),
  );
}

/** Adds `count` to `emails.sent_count` (once per batch, §5.5 step 5). */
export async function addSentCount(db: Db, emailId: number, count: number): Promise<void> {
  if (count === 0) return;
  await db.execute(`UPDATE ${db.table('emails')} SET sent_count = sent_count + ? WHERE id = ?`, [count, emailId]);
}

/** A concurrent writer created the same row first: that is the row we wanted. */
async function ignoreDuplicate(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isDbError(error, 'DB_DUPLICATE_KEY')) throw error;
  }
}
