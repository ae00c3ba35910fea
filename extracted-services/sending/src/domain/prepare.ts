/**
 * The per-email part of a send (docs/mautic/public-http.md §5.5 steps 2–3), done once per
 * call: the pixel appended, every trackable URL given its `page_redirects` and
 * `channel_url_trackables` rows and replaced by a `{trackable=N}` token, the copy stored in
 * `email_copies`, the files of the assets to attach read (§5.3).
 */
import { appendTrackingPixel, findTrackableUrls, tokenizeLinks } from '../../../../legacy-adapter/src/codecs/email-content.ts';
import type { TrackableLink } from '../../../../legacy-adapter/src/codecs/email-tokens.ts';
import { ensureTrackable, saveCopy } from '../../../../legacy-adapter/src/data/sending-emails.ts';
import type { EmailRow } from '../../../../legacy-adapter/src/data/sending-emails.ts';
import { findAttachableAssets } from '../../../../legacy-adapter/src/data/sending-assets.ts';
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import { readAssetFile } from '../../../../legacy-adapter/src/mail/asset-files.ts';
import type { MailAttachment } from '../../../../legacy-adapter/src/mail/types.ts';

/** `list` for segment (broadcast) sends, `transactional` for API sends to one contact (5.x, §5.3). */
export type SendKind = 'list' | 'transactional';

/** An email ready for per-contact delivery. */
export interface PreparedEmail {
  email: EmailRow;
  kind: SendKind;
  /** `email_stats.source` / `ct.source`: `['email', id]` or `['api', 0]`. */
  source: [string, number];
  /** Caller tokens, `{wrapped}`. */
  customTokens: Record<string, string>;
  /** Bodies with `{trackable=N}` and the other tokens still in place. */
  html: string;
  text: string;
  copyId: string;
  trackables: TrackableLink[];
  /** The email's own assets and those the call named, read once per call (§5.3 `assetAttachments`). */
  attachments: MailAttachment[];
}

/** Where a call's attachments come from. */
export interface AttachmentSource {
  /** `upload_dir`, the folder of local assets' files. */
  uploadDir: string;
  /** Asset ids the API call named (`assetAttachments`); [] for segment sends. */
  assetIds: readonly number[];
}

/**
 * Reads the files of the assets to attach. A file that cannot be read is left out and the
 * message goes without it, as Mautic logs a failed attach and sends (inferred).
 */
async function readAttachments(db: Db, emailId: number, source: AttachmentSource): Promise<MailAttachment[]> {
  const assets = await findAttachableAssets(db, emailId, source.assetIds);
  const files = await Promise.all(assets.map((asset) => readAssetFile(source.uploadDir, asset)));
  return files.flatMap((file) => (file.ok ? [file.attachment] : []));
}

/**
 * Prepares an email for one API call.
 *
 * @example
 * const prepared = await prepareEmail(tx, siteUrl, email, { kind: 'list', source: ['email', email.id], customTokens: {} }, now, { uploadDir, assetIds: [] });
 */
export async function prepareEmail(
  db: Db,
  siteUrl: string,
  email: EmailRow,
  options: Pick<PreparedEmail, 'kind' | 'source' | 'customTokens'>,
  now: Date,
  attachmentsFrom: AttachmentSource,
): Promise<PreparedEmail> {
  const html = appendTrackingPixel(email.html);
  const ids = new Map<string, number>();
  const trackables: TrackableLink[] = [];
  for (const url of findTrackableUrls(html, email.text, siteUrl)) {
    const link = await ensureTrackable(db, url, email.id, now);
    ids.set(url, link.id);
    trackables.push(link);
  }
  const bodies = tokenizeLinks(html, email.text, ids);
  const copyId = await saveCopy(db, { subject: email.subject, html: bodies.html, text: bodies.text }, now);
  const attachments = await readAttachments(db, email.id, attachmentsFrom);
  return { email, ...options, html: bodies.html, text: bodies.text, copyId, trackables, attachments };
}
