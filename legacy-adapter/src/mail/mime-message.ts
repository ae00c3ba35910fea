/**
 * The RFC 5322 bytes of the messages every send makes, built in one synchronous pass instead of
 * nodemailer's streams.
 *
 * nodemailer builds a message as a chain of streams (a PassThrough per message, a transfer
 * encoder per part, a pipeline with its abort plumbing, a turn of the event loop per part), on
 * a tree whose header lookups re-normalise every header name each time. For the mail worker's
 * messages (a few KB of HTML and text) that cost ~250 µs of CPU a message, more than half of
 * the SMTP send (bench/README.md § sending); this costs ~27 µs.
 *
 * Only the shape every send has is built here: HTML, maybe a text alternative, a Message-ID, no
 * attachments, and custom headers that collide with none nodemailer sets itself. Each header
 * value goes through nodemailer's own encoder (`MimeNode#encodeHeaderValue`: addresses,
 * punycode, encoded words) and folding (`foldLines`), each body through its quoted-printable or
 * base64 encoder, with the transfer encoding nodemailer would choose, in its order and MIME
 * frame: the bytes are the ones nodemailer writes for the same message, date and boundary
 * (mime-message.test.ts compares them, 500 random messages included). Any other message
 * (attachments, no HTML, …) is left to nodemailer (`buildMessage` answers undefined).
 */
import { randomBytes } from 'node:crypto';
import MimeNode from 'nodemailer/lib/mime-node';
import { foldLines, hasLongerLines, isPlainText } from 'nodemailer/lib/mime-funcs';
import { encode as base64Encode, wrap as base64Wrap } from 'nodemailer/lib/base64';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { toAddress } from './message-options.ts';
import type { MailAddress, OutgoingEmail } from './types.ts';

/** A message ready for the wire. */
export interface BuiltMessage {
  /** The whole message, headers and body, CRLF line breaks, ending with a line break. */
  raw: Buffer;
  /**
   * The SMTP envelope: the sender, and every recipient (To and Bcc). nodemailer normalises the
   * addresses (punycode) when it takes the envelope, as it does a message it composes.
   */
  envelope: { from: MailAddress; to: MailAddress[] };
  /** The message's `Message-ID`, with angle brackets. */
  messageId: string;
}

/** nodemailer's quoted-printable encoder works through its input this many bytes at a time. */
const QP_SLICE = 64 * 1024;

function isBlank(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09;
}

/** `bytes` quoted-printable, as nodemailer encodes them when `next` follows (a blank before anything but a line break stays literal). */
function qpSlice(bytes: Buffer, next: number | undefined): string {
  if (next === undefined || next === 0x0a || next === 0x0d) return qpEncode(bytes);
  let end = bytes.length;
  while (end > 0 && isBlank(bytes[end - 1])) end -= 1;
  return qpEncode(bytes.subarray(0, end)) + bytes.toString('latin1', end);
}

/**
 * A text body quoted-printable and wrapped at 76, as nodemailer's `qp.Encoder` writes it when
 * it gets the whole body at once: the blanks the body ends with are held back and encoded last,
 * the rest in slices of 64 KiB, each wrapped with the line the last one left open.
 */
function quotedPrintable(bytes: Buffer): string {
  let end = bytes.length;
  while (end > 0 && isBlank(bytes[end - 1])) end -= 1;
  const body = bytes.length - end <= QP_SLICE ? end : bytes.length;
  let out = '';
  let line = '';
  for (const part of [bytes.subarray(0, body), bytes.subarray(body)]) {
    for (let start = 0; start < part.length; start += QP_SLICE) {
      const stop = Math.min(start + QP_SLICE, part.length);
      const wrapped = qpWrap(line + qpSlice(part.subarray(start, stop), stop < part.length ? part[stop] : undefined), 76);
      const lastBreak = wrapped.lastIndexOf('\n');
      line = wrapped.substring(lastBreak + 1);
      out += wrapped.substring(0, lastBreak + 1);
    }
  }
  return out + line;
}

/** The message ending with a line break, as nodemailer's `LastNewline` makes it. */
function withLastNewline(raw: Buffer): Buffer {
  const last = raw.at(-1);
  if (last === 0x0a) return raw;
  return Buffer.concat([raw, Buffer.from(last === 0x0d ? '\n' : '\r\n')]);
}

/**
 * Header names nodemailer sets itself, or treats apart (a custom header of one of these names
 * replaces or changes its field: nodemailer composes such a message itself).
 */
const OWN_HEADERS = new Set(['content-type', 'content-transfer-encoding', 'content-disposition', 'content-id', 'mime-version', 'date', 'message-id',
  'from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'in-reply-to', 'references', 'subject', 'otp-token']);

/** Custom header names written as given: printable ASCII without the colon nodemailer would drop, distinct, none of its own. */
function directHeaders(headers: Record<string, string>): boolean {
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (typeof value !== 'string' || !/^[!-9;-~]+$/.test(name) || OWN_HEADERS.has(lower) || seen.has(lower)) return false;
    seen.add(lower);
  }
  // nodemailer reads an object with both of these as one header `{ key, value }`.
  return !('key' in headers && 'value' in headers);
}

/** Encodes header values as nodemailer's root node does (no `textEncoding` set). */
const headerEncoder = new MimeNode();

/** One header field, encoded and folded as `MimeNode#buildHeaders()` writes it; '' when nodemailer leaves it out. */
function headerField(name: string, value: unknown): string {
  const encoded = headerEncoder.encodeHeaderValue(name, value as string);
  return encoded.trim() ? `${foldLines(`${name}: ${encoded}`, 76)}\r\n` : '';
}

/** What nodemailer chooses for a text part's string content (`MimeNode#getTransferEncoding`). */
function textTransferEncoding(content: string): '7bit' | 'quoted-printable' | 'base64' {
  if (isPlainText(content)) {
    if (!hasLongerLines(content, 76)) return '7bit';
    // No 8-bit or control characters: quoted-printable when there is a Latin letter at all (below).
    return /[A-Za-z]/.test(content) ? 'quoted-printable' : 'base64';
  }
  // More Latin letters than 8-bit and control characters: quoted-printable, else base64.
  let latin = 0;
  let other = 0;
  for (let i = 0; i < content.length; i += 1) {
    const code = content.charCodeAt(i);
    if (code <= 0x08 || code === 0x0b || code === 0x0c || (code >= 0x0e && code <= 0x1f) || code >= 0x80) other += 1;
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin += 1;
  }
  return other < latin ? 'quoted-printable' : 'base64';
}

/** A text part's body in its transfer encoding, and that encoding. */
function textBody(content: string): { encoding: string; body: string | Buffer } {
  const encoding = textTransferEncoding(content);
  const bytes = Buffer.from(content, 'utf8');
  if (encoding === 'quoted-printable') return { encoding, body: quotedPrintable(bytes) };
  if (encoding === 'base64') return { encoding, body: base64Wrap(base64Encode(bytes), 76) };
  return { encoding, body: bytes };
}

/**
 * The bytes of a message of the usual shape (see the top of the file), or undefined for any
 * other. `baseBoundary` is nodemailer's random part of the multipart boundary.
 */
export function directBytes(message: OutgoingEmail, date: Date, baseBoundary: string): Buffer | undefined {
  if (message.html === '' || !message.messageId || (message.attachments?.length ?? 0) > 0 || !directHeaders(message.headers)) return undefined;
  // The root's fields in nodemailer's order: custom headers, then its own.
  let head = '';
  for (const [name, value] of Object.entries(message.headers)) head += headerField(name, value);
  head += headerField('From', toAddress(message.from));
  head += headerField('To', toAddress(message.to));
  if (message.replyTo) head += headerField('Reply-To', toAddress(message.replyTo));
  head += headerField('Subject', message.subject);
  head += headerField('Message-ID', message.messageId);
  const html = textBody(message.html);
  const parts: Array<string | Buffer> = [];
  if (message.text === '') {
    // A single text/html part: its transfer encoding comes before Date, Content-Type last.
    head += `Content-Transfer-Encoding: ${html.encoding}\r\n`;
    head += headerField('Date', date);
    head += 'MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n';
    parts.push(head, html.body);
  } else {
    const text = textBody(message.text);
    const boundary = `--_NmP-${baseBoundary}-Part_1`;
    head += headerField('Date', date);
    head += 'MIME-Version: 1.0\r\n';
    head += `${foldLines(`Content-Type: multipart/alternative; boundary="${boundary}"`, 76)}\r\n\r\n`;
    parts.push(
      head,
      `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: ${text.encoding}\r\n\r\n`, text.body,
      `\r\n--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: ${html.encoding}\r\n\r\n`, html.body,
      `\r\n--${boundary}--\r\n`,
    );
  }
  return withLastNewline(Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part))));
}

/** Random bytes for boundaries, drawn 4 KiB at a time (one `randomBytes` call a message was ~3 % of the build). */
let boundaryBytes = Buffer.alloc(0);
let boundaryAt = 0;

/** 16 random hex digits, as nodemailer's own boundaries have. */
function randomBoundary(): string {
  if (boundaryAt + 8 > boundaryBytes.length) {
    boundaryBytes = randomBytes(4096);
    boundaryAt = 0;
  }
  boundaryAt += 8;
  return boundaryBytes.toString('hex', boundaryAt - 8, boundaryAt);
}

/**
 * The bytes and envelope of a message of the usual shape; undefined for any other (nodemailer
 * composes those itself).
 *
 * @example
 * const built = buildMessage(message);
 * if (built) await transport.sendMail({ raw: built.raw, envelope: built.envelope, messageId: built.messageId });
 */
export function buildMessage(message: OutgoingEmail): BuiltMessage | undefined {
  const raw = directBytes(message, new Date(), randomBoundary());
  if (raw === undefined) return undefined;
  const to = [message.to, ...(message.bcc ?? [])].map((a) => ({ name: '', address: a.address }));
  return { raw, envelope: { from: { name: '', address: message.from.address }, to }, messageId: message.messageId! };
}
