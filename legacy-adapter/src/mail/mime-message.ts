/**
 * A message's RFC 5322 bytes in one synchronous pass over nodemailer's MIME tree.
 *
 * nodemailer builds a message as a chain of streams (a PassThrough per message, a transfer
 * encoder per part, a pipeline with its abort plumbing, a turn of the event loop per part).
 * For the mail worker's messages (a few KB of HTML and text) that machinery cost ~250 µs of CPU
 * a message, more than half of the SMTP send (bench/README.md § sending). Here the tree is
 * still nodemailer's (`MailComposer.compile()`: the header encoding, address normalisation,
 * boundaries, transfer-encoding choice and Date are its own), and each part's header block is
 * its `buildHeaders()`; only the walk and the body encoding are done here, with nodemailer's own
 * encoders, which give the same text as its streams however the input is split. So the bytes
 * are the ones `MimeNode.build()` makes (mime-message.test.ts compares the two).
 *
 * A tree this walk does not cover (content from a stream, a file or a URL, raw parts, DKIM
 * or other transforms, newline conversion) is built by nodemailer's streams instead.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import { encode as base64Encode, wrap as base64Wrap } from 'nodemailer/lib/base64';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import { toMailOptions } from './message-options.ts';
import type { OutgoingEmail } from './types.ts';

/** A message ready for the wire. */
export interface BuiltMessage {
  /** The whole message, headers and body, CRLF line breaks, ending with a line break. */
  raw: Buffer;
  /** The SMTP envelope: the sender, and every recipient (To, Cc and Bcc). */
  envelope: { from: string | false; to: string[] };
  /** The `Message-ID`, with angle brackets (the message's own, or the one nodemailer made up). */
  messageId: string;
}

/** What nodemailer keeps on a node that this walk must not meet (not in its typings). */
interface NodeInternals {
  _raw?: unknown;
  _transforms?: unknown[];
  _processFuncs?: unknown[];
  newline?: unknown;
}

/** The node's body as bytes, or undefined when it comes from elsewhere (a stream, a file, a URL). */
function contentBytes(node: MimeNode): Buffer | undefined {
  const { content } = node;
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (Buffer.isBuffer(content)) return content;
  return undefined;
}

/**
 * Appends the node and its children to `out`, as `MimeNode.stream()` writes them; false when
 * the node holds something only the streams can produce.
 */
function writeNode(node: MimeNode, out: Array<string | Buffer>): boolean {
  const internals = node as unknown as NodeInternals;
  if (internals._raw) return false;
  const encoding = node.getTransferEncoding();
  out.push(`${node.buildHeaders()}\r\n\r\n`);
  if (node.content) {
    const bytes = contentBytes(node);
    if (bytes === undefined) return false;
    if (encoding === 'base64') out.push(base64Wrap(base64Encode(bytes), 76));
    else if (encoding === 'quoted-printable') {
      // Outside text/* nodemailer encodes a lone CR or LF as data, which `encode` does not do.
      if (!/^text\//i.test(node.contentType ?? '')) return false;
      out.push(qpWrap(qpEncode(bytes), 76));
    } else out.push(bytes);
  }
  if (node.multipart) {
    let first = true;
    for (const child of node.childNodes) {
      out.push(`${first ? '' : '\r\n'}--${String(node.boundary)}\r\n`);
      if (!writeNode(child, out)) return false;
      first = false;
    }
    out.push(`\r\n--${String(node.boundary)}--\r\n`);
  }
  return true;
}

/** The bytes of a compiled tree, ending with a line break as nodemailer's output does (exported for its test). */
export async function treeBytes(root: MimeNode): Promise<Buffer> {
  const internals = root as unknown as NodeInternals;
  const out: Array<string | Buffer> = [];
  const walkable = !internals.newline && !internals._transforms?.length && !internals._processFuncs?.length && writeNode(root, out);
  if (!walkable) return root.build();
  const raw = Buffer.concat(out.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
  const last = raw.at(-1);
  if (last === 0x0a) return raw;
  return Buffer.concat([raw, Buffer.from(last === 0x0d ? '\n' : '\r\n')]);
}

/**
 * Builds a message's bytes and its envelope.
 *
 * @throws what nodemailer throws for a message it cannot compile
 * @example
 * const { raw, envelope, messageId } = await buildMessage(message);
 */
export async function buildMessage(message: OutgoingEmail): Promise<BuiltMessage> {
  const root = new MailComposer(toMailOptions(message)).compile();
  const raw = await treeBytes(root);
  const { from, to } = root.getEnvelope();
  return { raw, envelope: { from, to }, messageId: root.messageId() };
}
