/**
 * One contact's message (docs/mautic/public-http.md §5.5, §5.7): the prepared email with
 * the contact's tokens filled in, the sender, and the header fields Mautic adds.
 */
import { applyTokens } from '../../../../legacy-adapter/src/codecs/email-content.ts';
import { buildHeaders } from '../../../../legacy-adapter/src/codecs/email-headers.ts';
import type { Recipient } from '../../../../legacy-adapter/src/data/sending-recipients.ts';
import type { MailAddress, OutgoingEmail } from '../../../../legacy-adapter/src/mail/types.ts';
import type { SendingConfig } from '../config.ts';
import type { PreparedEmail } from './prepare.ts';

function senderOf(mautic: SendingConfig['mautic'], prepared: PreparedEmail): MailAddress {
  const { email } = prepared;
  const address = email.fromAddress ?? mautic.mailerFromEmail ?? `no-reply@${new URL(mautic.siteUrl).hostname}`;
  const name = email.fromName ?? mautic.mailerFromName;
  return name ? { address, name } : { address };
}

function recipientAddress(recipient: Recipient): MailAddress {
  const name = [recipient.fields.firstname, recipient.fields.lastname].filter((part) => part).join(' ');
  return name === '' ? { address: recipient.email } : { address: recipient.email, name };
}

/**
 * The deterministic `Message-ID` of a stat: the same on every try, so a message that a
 * crash made us send twice is recognisable at the receiver and in the SMTP log.
 */
export function messageIdOf(statId: number, trackingHash: string, siteUrl: string): string {
  return `<${statId}.${trackingHash}@${new URL(siteUrl).hostname}>`;
}

/**
 * Renders the message of one contact.
 *
 * @param tokens - the contact's tokens (`buildTokens`)
 */
export function renderMessage(mautic: SendingConfig['mautic'], prepared: PreparedEmail, recipient: Recipient, tokens: Record<string, string>, messageId: string): OutgoingEmail {
  const { email } = prepared;
  const subject = applyTokens(email.subject, tokens);
  const withSubject = { ...tokens, '{subject}': subject };
  const message: OutgoingEmail = {
    from: senderOf(mautic, prepared),
    to: recipientAddress(recipient),
    subject,
    html: applyTokens(prepared.html, withSubject),
    text: applyTokens(prepared.text, withSubject),
    headers: buildHeaders({ emailId: email.id, kind: prepared.kind, unsubscribeUrl: tokens['{unsubscribe_url}'] ?? '', custom: email.headers }),
    messageId,
  };
  if (email.replyTo) message.replyTo = { address: email.replyTo };
  if (email.bcc) message.bcc = [{ address: email.bcc }];
  if (prepared.attachments.length > 0) message.attachments = prepared.attachments;
  return message;
}
