import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import { MailError } from './errors.ts';
import { toMailOptions } from './message-options.ts';
import type { Mailer, OutgoingEmail, SentEmail } from './types.ts';

/** Where the outbox writes by default, relative to the working directory (the repo root under npm). */
export const DEFAULT_OUTBOX_DIR = 'var/outbox';

/** Options of `createOutboxMailer`. */
export interface OutboxMailerOptions {
  /** Folder for the `.eml` files; relative paths resolve from `process.cwd()`. Default `var/outbox`. */
  dir?: string;
}

/** An outbox mailer also tells where it writes, so tools and tests can read the files. */
export interface OutboxMailer extends Mailer {
  /** Absolute path of the outbox folder. */
  readonly dir: string;
  /** Absolute path of the last file written, or undefined before the first send. */
  readonly lastFile: string | undefined;
}

/** Sortable, unique file name: UTC time in ms, then 8 random hex chars. */
function fileNameFor(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(4).toString('hex')}.eml`;
}

/**
 * The embedded default transport: every message becomes one RFC 5322 `.eml`
 * file in a folder (default `var/outbox/`), built by nodemailer's stream
 * transport so it is byte-for-byte what SMTP would have carried. Bcc is kept
 * in the file so it can be inspected. Files appear atomically (written under a
 * temporary name, then renamed), so a reader never sees half a message.
 *
 * @example
 * const mailer = createOutboxMailer({ dir: 'var/outbox' });
 * const { messageId } = await mailer.send(message);
 */
export function createOutboxMailer(options: OutboxMailerOptions = {}): OutboxMailer {
  const dir = path.resolve(process.cwd(), options.dir ?? DEFAULT_OUTBOX_DIR);
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  let closed = false;
  let lastFile: string | undefined;

  async function send(message: OutgoingEmail): Promise<SentEmail> {
    if (closed) throw new MailError('MAIL_ERR_CLOSED');
    let built;
    try {
      // The stream transport keeps Bcc in the generated header, unlike SMTP.
      built = await transport.sendMail(toMailOptions(message));
    } catch (error) {
      throw new MailError('MAIL_ERR_SEND', (error as Error).message, { cause: error });
    }
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, fileNameFor(new Date()));
    await writeFile(`${file}.tmp`, built.message as Buffer);
    await rename(`${file}.tmp`, file);
    lastFile = file;
    return { messageId: built.messageId };
  }

  async function close(): Promise<void> {
    closed = true;
    transport.close();
  }

  return {
    dir,
    get lastFile() {
      return lastFile;
    },
    send,
    close,
  };
}
