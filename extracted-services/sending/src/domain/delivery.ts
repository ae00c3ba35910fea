/**
 * One contact's share of a send (docs/mautic/public-http.md §5.5 steps 1, 2 and 4): the
 * tracking hash (§5.6), the tokens, the `email_stats` row written before the message
 * leaves, and the rendered message. An unusable address gets the bounce DNC instead
 * (§5.3) and no row.
 */
import { generateEmailTrackingHash } from '../../../../legacy-adapter/src/codecs/ids.ts';
import { buildTokens } from '../../../../legacy-adapter/src/codecs/email-tokens.ts';
import { isValidEmail } from '../../../../legacy-adapter/src/codecs/mautic-api.ts';
import type { Recipient } from '../../../../legacy-adapter/src/data/sending-recipients.ts';
import { addBounceDnc, insertStat } from '../../../../legacy-adapter/src/data/sending-stats.ts';
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import type { OutgoingEmail } from '../../../../legacy-adapter/src/mail/types.ts';
import type { SendingConfig } from '../config.ts';
import { messageIdOf, renderMessage } from './message.ts';
import type { PreparedEmail } from './prepare.ts';

/** Comment of the bounce DNC for an unusable address (`mautic.email.bounce.reason.bad_email`, inferred wording). */
export const BAD_EMAIL_COMMENT = 'Bad email';

/** A message with its stat, ready for the mailer or the queue. */
export interface Delivery {
  statId: number;
  emailId: number;
  contactId: number;
  message: OutgoingEmail;
}

/** What became of one contact before the mailer. */
export type DeliveryStart = { ok: true; delivery: Delivery } | { ok: false; reason: string };

/**
 * Writes the stat of one contact and renders its message.
 *
 * @example
 * const start = await startDelivery(tx, config, prepared, recipient, now);
 */
export async function startDelivery(db: Db, config: SendingConfig, prepared: PreparedEmail, recipient: Recipient, now: Date): Promise<DeliveryStart> {
  const { email } = prepared;
  if (!isValidEmail(recipient.email)) {
    await addBounceDnc(db, recipient.id, email.id, BAD_EMAIL_COMMENT, now);
    return { ok: false, reason: recipient.email };
  }
  const { siteUrl, secretKey } = config.mautic;
  const trackingHash = generateEmailTrackingHash(now);
  const tokens = buildTokens({
    siteUrl, secretKey, emailId: email.id, contactId: recipient.id, contactFields: recipient.fields, emailAddress: recipient.email,
    trackingHash, source: prepared.source, trackables: prepared.trackables, utmTags: email.utmTags,
    content: `${email.subject}\n${prepared.html}\n${prepared.text}`, custom: prepared.customTokens,
  });
  const statId = await insertStat(db, {
    emailId: email.id, contactId: recipient.id, listId: recipient.listId, copyId: prepared.copyId,
    emailAddress: recipient.email, trackingHash, source: prepared.source, tokens, now,
  });
  const message = renderMessage(config.mautic, prepared, recipient, tokens, messageIdOf(statId, trackingHash, siteUrl));
  return { ok: true, delivery: { statId, emailId: email.id, contactId: recipient.id, message } };
}
