import { createOutboxMailer } from './outbox-mailer.ts';
import { createSmtpMailer } from './smtp-mailer.ts';
import type { Mailer } from './types.ts';

/** The environment variables `createMailer` reads. */
export interface MailerEnv {
  /** `smtp://…` or `smtps://…`; unset or empty = the embedded outbox. */
  SMTP_URL?: string;
  /** Outbox folder when `SMTP_URL` is unset. Default `var/outbox`. */
  STRANGLER_OUTBOX_DIR?: string;
}

/**
 * Chooses the transport: SMTP when `SMTP_URL` is set (docs/architecture.md §9), else the
 * local outbox folder. Validates the URL at once so a bad value fails at boot,
 * not at the first send.
 *
 * @throws MailError `MAIL_ERR_CONFIG` for an `SMTP_URL` that is not smtp(s)
 * @example
 * const mailer = createMailer(process.env);
 */
export function createMailer(env: MailerEnv): Mailer {
  const url = env.SMTP_URL?.trim();
  if (url) return createSmtpMailer(url);
  const dir = env.STRANGLER_OUTBOX_DIR?.trim();
  return createOutboxMailer(dir ? { dir } : {});
}
