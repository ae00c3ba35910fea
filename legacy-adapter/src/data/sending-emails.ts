import { generateRedirectId } from '../codecs/ids.ts';
import { countEmail, findEmailById, saveEmailCopy } from './emails.ts';
import { findRedirectByUrl, findTrackable, findTrackedRedirectByUrl, insertRedirect, insertTrackable } from './pages.ts';
import { toUtcDateTime } from './row-codec.ts';
import { isDbError } from '../db/errors.ts';
import type { Db } from '../db/types.ts';
import type { UtmTags } from '../codecs/email-tokens.ts';

/**
 * The email-side rows of a send (docs/mautic/public-http.md §5.5, §6), through the
 * emails and pages repositories: the email itself, its trackable links
 * (`page_redirects` + `channel_url_trackables`), the stored copy, and the
 * `sent_count` counter.
 */

/** An `emails` row as the send pipeline reads it. */
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

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Loads an email by id, or undefined. */
export async function findEmail(db: Db, id: number): Promise<EmailRow | undefined> {
  const row = await findEmailById(db, id);
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    isPublished: row.is_published === true,
    emailType: row.email_type ?? 'template',
    subject: row.subject ?? '',
    html: row.custom_html ?? '',
    text: row.plain_text ?? '',
    fromAddress: row.from_address || null,
    fromName: row.from_name || null,
    replyTo: row.reply_to_address || null,
    bcc: row.bcc_address || null,
    createdBy: row.created_by ?? null,
    utmTags: asRecord(row.utm_tags) as UtmTags,
    headers: Object.fromEntries(Object.entries(asRecord(row.headers)).map(([k, v]) => [k, String(v)])),
  };
}

/** A concurrent writer created the same row first: that is the row we wanted. */
async function ignoreDuplicate(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isDbError(error, 'DB_DUPLICATE_KEY')) throw error;
  }
}

/**
 * The `page_redirects` row of a URL and its `channel_url_trackables` row for
 * this email, as TrackableModel finds them: the email's own trackable for the
 * URL first, else any redirect to the URL, else a new one (25-hex `redirect_id`).
 */
export async function ensureTrackable(db: Db, url: string, emailId: number, now: Date): Promise<{ id: number; redirectId: string }> {
  let redirect = (await findTrackedRedirectByUrl(db, url, 'email', emailId)) ?? (await findRedirectByUrl(db, url));
  if (!redirect) {
    const redirectId = generateRedirectId();
    const id = await insertRedirect(db, { redirect_id: redirectId, url, date_added: toUtcDateTime(now) });
    redirect = { id, redirect_id: redirectId } as NonNullable<typeof redirect>;
  }
  if (!(await findTrackable(db, redirect.id, 'email', emailId))) {
    await ignoreDuplicate(insertTrackable(db, { redirect_id: redirect.id, channel: 'email', channel_id: emailId }));
  }
  return { id: redirect.id, redirectId: redirect.redirect_id };
}

/** Stores the copy once (§5.5 step 4); returns its id, md5(subject . body). */
export function saveCopy(db: Db, copy: { subject: string; html: string; text: string }, now: Date): Promise<string> {
  return saveEmailCopy(db, { subject: copy.subject, body: copy.html, body_text: copy.text, date_created: toUtcDateTime(now) });
}

/** Adds `count` to `emails.sent_count` (once per batch, §5.5 step 5). */
export async function addSentCount(db: Db, emailId: number, count: number): Promise<void> {
  if (count > 0) await countEmail(db, emailId, 'sent_count', count);
}
