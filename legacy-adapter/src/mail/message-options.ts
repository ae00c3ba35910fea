import type { SendMailOptions } from 'nodemailer';
import type { MailAddress, OutgoingEmail } from './types.ts';

/** nodemailer's address shape; an absent display name stays absent. */
export function toAddress(address: MailAddress): { name: string; address: string } | string {
  return address.name ? { name: address.name, address: address.address } : address.address;
}

/**
 * nodemailer re-cases header names (`X-EMAIL-ID` → `X-Email-ID`); the names are
 * case-insensitive (RFC 5322 §1.2.2) but Mautic's casing is kept so a diff of
 * the legacy and the new message shows no noise.
 */
function keepCallerCasing(headers: Record<string, string>): (key: string) => string {
  const original = new Map(Object.keys(headers).map((name) => [name.toLowerCase(), name]));
  return function restoreCasing(key) {
    return original.get(key.toLowerCase()) ?? key;
  };
}

/**
 * Turns an `OutgoingEmail` into nodemailer message options, the one mapping
 * both transports share so the outbox file and the SMTP DATA carry the same
 * RFC 5322 message.
 */
export function toMailOptions(message: OutgoingEmail): SendMailOptions {
  const options: SendMailOptions = {
    from: toAddress(message.from),
    to: toAddress(message.to),
    subject: message.subject,
    html: message.html,
    headers: { ...message.headers },
    normalizeHeaderKey: keepCallerCasing(message.headers),
  };
  // An empty text part would make a multipart/alternative with a blank
  // alternative; Mautic sends HTML only when the email has no plain text.
  if (message.text !== '') options.text = message.text;
  if (message.messageId) options.messageId = message.messageId;
  if (message.replyTo) options.replyTo = toAddress(message.replyTo);
  if (message.bcc && message.bcc.length > 0) options.bcc = message.bcc.map(toAddress);
  if (message.attachments && message.attachments.length > 0) {
    options.attachments = message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.contentBase64, encoding: 'base64' }));
  }
  return options;
}
