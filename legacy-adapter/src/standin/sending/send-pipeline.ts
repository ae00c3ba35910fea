import { generateEmailTrackingHash } from '../../codecs/ids.ts';
import { readAssetFile } from '../../mail/asset-files.ts';
import type { MailAddress, MailAttachment, OutgoingEmail } from '../../mail/types.ts';
import { findAttachableAssets } from '../../data/sending-assets.ts';
import { clockOf, type StandinDeps } from '../deps.ts';
import { appendTrackingPixel, applyTokens, findTrackableUrls, tokenizeLinks } from '../../codecs/email-content.ts';
import { buildHeaders } from '../../codecs/email-headers.ts';
import { buildTokens, type TrackableLink } from '../../codecs/email-tokens.ts';
import { isValidEmail } from '../../codecs/mautic-api.ts';
import { ensureTrackable, saveCopy, type EmailRow } from '../../data/sending-emails.ts';
import type { Recipient } from '../../data/sending-recipients.ts';
import { deleteStat, insertStat } from '../../data/sending-stats.ts';

/**
 * The send pipeline of one email (docs/mautic/public-http.md §5.5): prepared once
 * per call (pixel, trackable links, stored copy), then delivered per contact
 * (tracking hash, tokens, `email_stats` row, hand-over to the mailer, the row
 * removed again when the transport refuses). Synchronous, as Mautic 5's
 * default `sync://` email transport (§5.8).
 */

/** An email ready for per-contact delivery. */
export interface PreparedEmail {
  email: EmailRow;
  /** `list` for broadcasts, `transactional` for API sends to one contact. */
  kind: 'list' | 'transactional';
  /** `email_stats.source` / `ct.source`. */
  source: [string, number];
  /** Caller tokens (`{key}` → value). */
  customTokens: Record<string, string>;
  subject: string;
  /** Bodies with `{trackable=N}` and the other tokens still in place. */
  html: string;
  text: string;
  copyId: string;
  trackables: TrackableLink[];
  /** The email's own assets and those the call named (§5.3 `assetAttachments`). */
  attachments: MailAttachment[];
}

/** Outcome of one delivery. */
export type DeliveryResult = { ok: true; statId: number } | { ok: false; reason: string; badAddress?: boolean };

/** Config keys of the sender that `StandinConfig` may carry; Mautic's are `mailer_from_email` / `mailer_from_name`. */
interface SenderConfig {
  mailerFromEmail?: string;
  mailerFromName?: string;
}

/** Reads the files of the assets to attach; one that cannot be read is left out (Mautic logs it and sends; inferred). */
async function readAttachments(deps: StandinDeps, emailId: number, assetIds: readonly number[]): Promise<MailAttachment[]> {
  const assets = await findAttachableAssets(deps.db, emailId, assetIds);
  const files = await Promise.all(assets.map((asset) => readAssetFile(deps.config.uploadDir, asset)));
  return files.flatMap((file) => (file.ok ? [file.attachment] : []));
}

/** Prepares an email for a send call: pixel, trackables, stored copy, attachments. */
export async function prepareEmail(
  deps: StandinDeps,
  email: EmailRow,
  options: Pick<PreparedEmail, 'kind' | 'source' | 'customTokens'>,
  assetIds: readonly number[] = [],
): Promise<PreparedEmail> {
  const now = clockOf(deps)();
  const site = deps.config.siteUrl;
  const html = appendTrackingPixel(email.html);
  const urls = findTrackableUrls(html, email.text, site);
  const ids = new Map<string, number>();
  const trackables: TrackableLink[] = [];
  for (const url of urls) {
    const link = await ensureTrackable(deps.db, url, email.id, now);
    ids.set(url, link.id);
    trackables.push(link);
  }
  const bodies = tokenizeLinks(html, email.text, ids);
  const copyId = await saveCopy(deps.db, { subject: email.subject, html: bodies.html, text: bodies.text }, now);
  const attachments = await readAttachments(deps, email.id, assetIds);
  return { email, ...options, subject: email.subject, html: bodies.html, text: bodies.text, copyId, trackables, attachments };
}

function senderOf(deps: StandinDeps, email: EmailRow): MailAddress {
  const config = deps.config as StandinDeps['config'] & SenderConfig;
  const host = new URL(deps.config.siteUrl).hostname;
  const address = email.fromAddress ?? config.mailerFromEmail ?? `no-reply@${host}`;
  const name = email.fromName ?? config.mailerFromName;
  return name ? { address, name } : { address };
}

function recipientName(recipient: Recipient): string | undefined {
  const name = [recipient.fields.firstname, recipient.fields.lastname].filter((part) => part).join(' ');
  return name === '' ? undefined : name;
}

/** Renders the message of one contact from the prepared email and its tokens. */
function renderMessage(deps: StandinDeps, prepared: PreparedEmail, recipient: Recipient, tokens: Record<string, string>): OutgoingEmail {
  const { email } = prepared;
  const subject = applyTokens(prepared.subject, tokens);
  const name = recipientName(recipient);
  const message: OutgoingEmail = {
    from: senderOf(deps, email),
    to: name ? { address: recipient.email, name } : { address: recipient.email },
    subject,
    html: applyTokens(prepared.html, { ...tokens, '{subject}': subject }),
    text: applyTokens(prepared.text, { ...tokens, '{subject}': subject }),
    headers: buildHeaders({ emailId: email.id, kind: prepared.kind, unsubscribeUrl: tokens['{unsubscribe_url}'] ?? '', custom: email.headers }),
  };
  if (email.replyTo) message.replyTo = { address: email.replyTo };
  if (email.bcc) message.bcc = [{ address: email.bcc }];
  if (prepared.attachments.length > 0) message.attachments = prepared.attachments;
  return message;
}

/**
 * Delivers the prepared email to one contact. An unusable address fails
 * before any row is written (`badAddress`); a transport refusal deletes the
 * stat written for it.
 */
export async function deliver(deps: StandinDeps, prepared: PreparedEmail, recipient: Recipient): Promise<DeliveryResult> {
  if (!isValidEmail(recipient.email)) return { ok: false, reason: recipient.email, badAddress: true };
  const now = clockOf(deps)();
  const trackingHash = generateEmailTrackingHash(now);
  const { email } = prepared;
  const tokens = buildTokens({
    siteUrl: deps.config.siteUrl, secretKey: deps.config.secretKey, emailId: email.id, contactId: recipient.id,
    contactFields: recipient.fields, emailAddress: recipient.email, trackingHash, source: prepared.source,
    trackables: prepared.trackables, utmTags: email.utmTags, content: `${prepared.subject}\n${prepared.html}\n${prepared.text}`,
    custom: prepared.customTokens,
  });
  const statId = await insertStat(deps.db, {
    emailId: email.id, contactId: recipient.id, listId: recipient.listId, copyId: prepared.copyId,
    emailAddress: recipient.email, trackingHash, source: prepared.source, tokens, now,
  });
  try {
    await deps.mailer.send(renderMessage(deps, prepared, recipient, tokens));
    return { ok: true, statId };
  } catch (error) {
    await deleteStat(deps.db, statId);
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
