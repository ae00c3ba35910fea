/**
 * A small reader for the RFC 5322 messages the outbox writes (and an SMTP
 * catcher receives): enough MIME to get the headers and the text and HTML
 * parts back, so tools and tests can look at what a contact would receive.
 * It understands what nodemailer emits: single parts or
 * multipart/alternative|mixed, 7bit, quoted-printable and base64 bodies,
 * attachments, and RFC 2047 encoded words in header values.
 */

/** A parsed message. Header names are lower-cased; repeated headers keep every value. */
export interface ReadEmail {
  headers: Map<string, string[]>;
  /** First value of a header (case-insensitive), or undefined. */
  header(name: string): string | undefined;
  /** Decoded `text/html` part, '' when none. */
  html: string;
  /** Decoded `text/plain` part, '' when none. */
  text: string;
  /** Parts sent as `Content-Disposition: attachment`, in order, with their decoded bytes. */
  attachments: ReadAttachment[];
}

/** One attached part. */
export interface ReadAttachment {
  /** The `filename` parameter of its Content-Disposition ('' when none). */
  filename: string;
  /** Its Content-Type without parameters, lower-cased. */
  contentType: string;
  content: Buffer;
}

interface FoundParts {
  html: string;
  text: string;
  attachments: ReadAttachment[];
}

function decodeQuotedPrintable(body: string): Buffer {
  const soft = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 `=?charset?Q|B?…?=` words, utf-8 only (what nodemailer writes). */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

function parseHeaders(block: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(decodeEncodedWords(line.slice(colon + 1).trim()));
    headers.set(name, values);
  }
  return headers;
}

function splitHead(raw: string): [string, string] {
  const match = /\r?\n\r?\n/.exec(raw);
  return match ? [raw.slice(0, match.index), raw.slice(match.index + match[0].length)] : [raw, ''];
}

function decodeBytes(body: string, encoding: string | undefined): Buffer {
  const kind = (encoding ?? '7bit').toLowerCase();
  if (kind === 'quoted-printable') return decodeQuotedPrintable(body);
  if (kind === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  return Buffer.from(body, 'utf8');
}

function collectParts(raw: string, found: FoundParts): Map<string, string[]> {
  const [head, body] = splitHead(raw);
  const headers = parseHeaders(head);
  const type = headers.get('content-type')?.[0] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      collectParts(section.replace(/^\r?\n/, ''), found);
    }
  } else {
    const bytes = decodeBytes(body.replace(/\r?\n$/, ''), headers.get('content-transfer-encoding')?.[0]);
    const disposition = headers.get('content-disposition')?.[0] ?? '';
    if (/^attachment\b/i.test(disposition)) {
      const filename = /filename="?([^";]*)"?/i.exec(disposition)?.[1] ?? '';
      found.attachments.push({ filename: decodeEncodedWords(filename), contentType: type.split(';')[0]!.trim().toLowerCase(), content: bytes });
    } else if (/^text\/html/i.test(type) && !found.html) found.html = bytes.toString('utf8');
    else if (/^text\/plain/i.test(type) && !found.text) found.text = bytes.toString('utf8');
  }
  return headers;
}

/**
 * Parses one message.
 *
 * @example
 * const mail = readEml(await readFile(outbox.lastFile!, 'utf8'));
 * mail.header('List-Unsubscribe'); mail.html;
 */
export function readEml(raw: string): ReadEmail {
  const found: FoundParts = { html: '', text: '', attachments: [] };
  const headers = collectParts(raw, found);
  return {
    headers,
    header: (name) => headers.get(name.toLowerCase())?.[0],
    html: found.html,
    text: found.text,
    attachments: found.attachments,
  };
}
