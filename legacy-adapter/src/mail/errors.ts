/**
 * Errors of the mail transports, each with a stable machine-readable code.
 * Callers (the send pipeline) turn a `MailError` into Mautic's
 * `{"success":false,"failed":"…"}` answer; they never leak a stack trace.
 */

/** Codes a mail transport can fail with. */
export const MAIL_ERRORS = {
  /** `SMTP_URL` is not an `smtp://` or `smtps://` URL. */
  MAIL_ERR_CONFIG: 'Invalid mail configuration: %s',
  /** The transport refused or could not deliver the message. */
  MAIL_ERR_SEND: 'The mail transport refused the message: %s',
  /** `send` was called after `close`. */
  MAIL_ERR_CLOSED: 'The mailer is closed',
} as const;

/** One of the codes in `MAIL_ERRORS`. */
export type MailErrorCode = keyof typeof MAIL_ERRORS;

/** An error from a mail transport, carrying a code from `MAIL_ERRORS`. */
export class MailError extends Error {
  readonly code: MailErrorCode;

  /**
   * @param code - one of `MAIL_ERRORS`
   * @param detail - replaces `%s` in the message template
   */
  constructor(code: MailErrorCode, detail = '', options?: ErrorOptions) {
    super(MAIL_ERRORS[code].replace('%s', detail), options);
    this.name = 'MailError';
    this.code = code;
  }
}
