/**
 * The mail transport contract of the project. The stand-in monolith and the
 * extracted sending service hand every rendered message to a `Mailer`; which
 * transport is behind it (a local outbox folder, or SMTP from `SMTP_URL`) is
 * chosen once by `createMailer(env)`.
 *
 * Mautic 5 sends with Symfony Mailer through the Messenger `email` transport,
 * `sync://` by default (docs/mautic/public-http.md §5.8), so a `send()` resolves only
 * once the message has been handed over.
 */

/** An address with an optional display name, e.g. `{ address: 'a@b.c', name: 'Ann' }`. */
export interface MailAddress {
  /** The bare address (`local@domain`). */
  address: string;
  /** Display name, when the address has one. */
  name?: string;
}

/**
 * One rendered message, ready for the wire. Bodies are final: tokens are
 * replaced, links are rewritten to `/r/…?ct=…`, the tracking pixel is appended.
 */
export interface OutgoingEmail {
  /** Sender (`emails.from_address` / `from_name`, or the configured mailer from). */
  from: MailAddress;
  /** The one recipient; Mautic sends one message per contact (§5.8). */
  to: MailAddress;
  /** `Reply-To` (`emails.reply_to_address`), when set. */
  replyTo?: MailAddress;
  /** Blind copies (`emails.bcc_address`), when set. */
  bcc?: MailAddress[];
  /** Subject after token replacement. */
  subject: string;
  /** HTML body. */
  html: string;
  /** Plain-text body (`emails.plain_text`, or '' when the email has none). */
  text: string;
  /**
   * Extra header fields, name → value, written as given. The ones Mautic sets
   * (§5.7): `List-Unsubscribe`, `List-Unsubscribe-Post`, `Precedence`,
   * `X-EMAIL-ID`, plus `emails.headers` and global custom headers.
   */
  headers: Record<string, string>;
  /**
   * The `Message-ID`, with angle brackets, when the sender fixes it (the sending service
   * derives it from the stat, so a message sent twice after a crash can be recognised);
   * absent: the transport makes one up.
   */
  messageId?: string;
  /** Attached files, in order; absent or empty: a message without attachments. */
  attachments?: MailAttachment[];
}

/**
 * A file attached to a message (an asset, §5.3 `assetAttachments`). The content travels as
 * base64 text so a message stays plain JSON on the mail queue.
 */
export interface MailAttachment {
  /** The name the receiver sees (`assets.original_file_name`). */
  filename: string;
  /** MIME type (`assets.mime`), e.g. `application/pdf`. */
  contentType: string;
  /** The file's bytes, base64. */
  contentBase64: string;
}

/** What a transport says after accepting a message. */
export interface SentEmail {
  /** The `Message-ID` of the message as sent, with angle brackets (`<…@…>`). */
  messageId: string;
}

/** A mail transport. */
export interface Mailer {
  /** Hands one message to the transport; rejects when the transport refuses it. */
  send(message: OutgoingEmail): Promise<SentEmail>;
  /** Releases connections and files; `send` must not be called afterwards. */
  close(): Promise<void>;
}
