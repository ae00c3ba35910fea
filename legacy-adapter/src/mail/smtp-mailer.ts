import { Socket } from 'node:net';
import { createTransport } from 'nodemailer';
import type { SMTPTransportGetSocket } from 'nodemailer/lib/smtp-transport/index.js';
import { MailError } from './errors.ts';
import { toMailOptions } from './message-options.ts';
import type { Mailer, OutgoingEmail, SentEmail } from './types.ts';

/** Options of `createSmtpMailer`. */
export interface SmtpMailerOptions {
  /** Most connections the pool keeps open at once. Default 5. */
  maxConnections?: number;
  /** Messages one connection carries before the pool replaces it. Default 100 (nodemailer's). */
  maxMessages?: number;
  /** Send a message's DATA in few large writes instead of one per MIME chunk (`DataBatchingSocket`; plain SMTP only). Default false. */
  batchData?: boolean;
  /** Give up connecting after this many ms. Default 10000. */
  connectionTimeoutMs?: number;
  /** Give up when the server has not greeted this long after the connection. Default 10000. */
  greetingTimeoutMs?: number;
  /**
   * Give up when the server is silent this long in the middle of a conversation. Default 60000
   * (nodemailer's own is 10 minutes: a stalled server would hold a worker's message that long).
   */
  socketTimeoutMs?: number;
}

const REPLY_354 = Buffer.from('354 ');
const LINE_354 = Buffer.from('\n354 ');

/** The longest a `DataBatchingSocket` holds writes (ms). */
const MAX_HOLD_MS = 50;

/** The end of DATA as nodemailer writes it, alone (a line of content starting with `.` is sent as `..`). */
const END_OF_DATA = /^(\r?\n)?\.\r\n$/;

/**
 * A connection that holds a message's DATA chunks and sends them together. nodemailer writes
 * a message chunk by chunk as its MIME stream produces them, over several turns of the event
 * loop, a system call each. From the server's `354` (go ahead) the socket is corked; it is
 * uncorked at the end-of-data line, or whenever the held bytes reach the high-water mark
 * (so a large message never waits for a `drain` that a corked socket would not give), and
 * at the latest `MAX_HOLD_MS` after corking (a message whose stream failed mid-way never leaves
 * the connection holding the next command). Commands are never held: outside DATA nothing is
 * corked here. Over TLS (STARTTLS, smtps) the TLS layer writes to the connection itself, no 354
 * is seen in the clear, and nothing is held: the batching only applies to plain SMTP.
 */
class DataBatchingSocket extends Socket {
  #inData = false;
  #corked = false;
  #holdTimer: NodeJS.Timeout | undefined;

  #release(): void {
    clearTimeout(this.#holdTimer);
    this.#corked = false;
    this.uncork();
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    // Replies are read here before nodemailer sees them; a 354 can only answer DATA (with
    // pipelining it follows the MAIL and RCPT replies in the same chunk).
    if (Buffer.isBuffer(chunk) && (chunk.subarray(0, 4).equals(REPLY_354) || chunk.includes(LINE_354))) this.#inData = true;
    return super.push(chunk, encoding);
  }

  /**
   * Wraps the connected socket's `write` (Node gives a connected socket a `write` of its own,
   * so a subclass method would never be called): corks in DATA, uncorks at its end.
   */
  batchWrites(): void {
    const write = this.write.bind(this) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
    this.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      if (this.#inData && !this.#corked) {
        this.cork();
        this.#corked = true;
        this.#holdTimer = setTimeout(() => {
          this.#inData = false;
          if (this.#corked) this.#release();
        }, MAX_HOLD_MS).unref();
      }
      const ok = write(chunk, ...rest);
      if (this.#corked) {
        const end = Buffer.isBuffer(chunk) && chunk.length <= 5 && END_OF_DATA.test(chunk.toString('latin1'));
        if (end) this.#inData = false;
        if (end || this.writableLength >= this.writableHighWaterMark) this.#release();
      }
      return ok;
    }) as Socket['write'];
  }
}

/** Accepts only URLs nodemailer can speak SMTP to; anything else is a config error. */
export function parseSmtpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MailError('MAIL_ERR_CONFIG', `SMTP_URL is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new MailError('MAIL_ERR_CONFIG', `SMTP_URL must start with smtp:// or smtps://, got ${parsed.protocol}//`);
  }
  if (!parsed.hostname) throw new MailError('MAIL_ERR_CONFIG', 'SMTP_URL has no host');
  return parsed;
}

/**
 * nodemailer's `getSocket`: a connected `DataBatchingSocket` to the transport's host and port,
 * given up after `timeoutMs` as nodemailer's own connect would be.
 */
function dataBatchingConnection(timeoutMs: number): SMTPTransportGetSocket {
  return (target, done) => {
    const socket = new DataBatchingSocket();
    const failed = (err: Error): void => {
      socket.destroy();
      done(err, {});
    };
    socket.once('error', failed);
    socket.setTimeout(timeoutMs, () => failed(new Error(`Connection timeout after ${timeoutMs} ms`)));
    socket.connect(Number(target.port ?? 25), target.host ?? 'localhost', () => {
      socket.off('error', failed);
      socket.setTimeout(0);
      socket.batchWrites();
      done(null, { connection: socket });
    });
  };
}

/**
 * A pooled SMTP transport from a URL such as `smtp://user:pass@host:587`
 * (`smtps://` for implicit TLS; query options like `?ignoreTLS=true` are
 * passed to nodemailer). Connections are opened on demand and reused.
 *
 * @throws MailError `MAIL_ERR_CONFIG` when the URL is not smtp(s)
 * @example
 * const mailer = createSmtpMailer(process.env.SMTP_URL!);
 */
export function createSmtpMailer(url: string, options: SmtpMailerOptions = {}): Mailer {
  parseSmtpUrl(url);
  const transport = createTransport({
    ...(options.batchData ? { getSocket: dataBatchingConnection(options.connectionTimeoutMs ?? 10_000) } : {}),
    url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: options.maxMessages ?? 100,
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.greetingTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
  });
  let closed = false;

  async function send(message: OutgoingEmail): Promise<SentEmail> {
    if (closed) throw new MailError('MAIL_ERR_CLOSED');
    try {
      const info = await transport.sendMail(toMailOptions(message));
      return { messageId: info.messageId };
    } catch (error) {
      throw new MailError('MAIL_ERR_SEND', (error as Error).message, { cause: error });
    }
  }

  async function close(): Promise<void> {
    closed = true;
    transport.close();
  }

  return { send, close };
}
