import MailComposer from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import { buildMessage, directBytes } from './mime-message.ts';
import { toMailOptions } from './message-options.ts';
import { readEml } from './read-eml.ts';
import type { OutgoingEmail } from './types.ts';

const BASE: OutgoingEmail = {
  from: { address: 'news@example.com', name: 'Example' },
  to: { address: 'ana.silva@example.com', name: 'Ana Silva' },
  subject: 'What is new this month',
  html: `<!DOCTYPE html><html><body><p>Hello Ana,</p><a href="http://127.0.0.1:8080/r/a7b2d240695a73b35e888b85a?ct=${'YTo1OntzOjY6InNvdXJjZSI7'.repeat(8)}%3D">https://example.com/pricing</a><img height="1" width="1" src="http://127.0.0.1:8080/email/6b12ef01228d3162397704.gif" alt="" /></body></html>`,
  text: 'Hello Ana,\nhttp://127.0.0.1:8080/r/a7b2d240695a73b35e888b85a?ct=YTo1OntzOjY6InNvdXJjZSI7\n',
  headers: {
    Precedence: 'Bulk',
    'X-EMAIL-ID': '2',
    'List-Unsubscribe': '<http://127.0.0.1:8080/email/unsubscribe/6b12ef01228d3162397704/ana.silva@example.com/41170d38b4a4f9e10267de7cf447f9af644db06268dcc7e7dd13548cf4d9992f>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  messageId: '<2.6b12ef01228d3162397704@127.0.0.1>',
};

const CASES: Record<string, OutgoingEmail> = {
  'a segment send (html and text)': BASE,
  'html only': { ...BASE, text: '' },
  'short ASCII lines (7bit)': { ...BASE, html: '<p>Hi</p>', text: 'Hi' },
  'non-ASCII names, subject, header and bodies': {
    ...BASE,
    from: { address: 'news@exämple.com', name: 'Jörg "the" Müller' },
    to: { address: 'zoë@example.org', name: 'Zoë, Ünal' },
    replyTo: { address: 'reply@example.com' },
    bcc: [{ address: 'archive@example.com' }, { address: 'audit@example.com' }],
    subject: 'Grüße aus Köln — ' + 'ñ'.repeat(60),
    html: `<p>Grüße ${'äöü '.repeat(40)}</p>\n<p>trailing space \t\n</p>  `,
    text: `Grüße\r\nline with trailing space \nлиния ${'ж'.repeat(100)}\n.\n.leading dot`,
    headers: { 'X-Custom': 'Wert mit Ümlaut', 'x-lower-case': 'kept', Subject: 'a custom subject the real one replaces' },
  },
  'mostly non-Latin (base64 text)': { ...BASE, subject: 'Привет мир', html: `<p>${'日本語のテキスト'.repeat(30)}</p>`, text: '日本語'.repeat(50) },
  'attachments': {
    ...BASE,
    attachments: [
      { filename: 'report.pdf', contentType: 'application/pdf', contentBase64: Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256)).toString('base64') },
      { filename: 'Übersicht März.txt', contentType: 'text/plain', contentBase64: Buffer.from('a\r\nb\n').toString('base64') },
      { filename: 'empty.bin', contentType: 'application/octet-stream', contentBase64: '' },
    ],
  },
  'a body over 64 KiB, blanks where the encoder slices it': { ...BASE, html: `${'<p>Grüße</p>'.repeat(5461)}    x${' '.repeat(70000)}`, text: `${'a'.repeat(65535)} \t${'b '.repeat(40000)}  ` },
};

/** nodemailer's own bytes for a message, with the given Date and boundary. */
async function nodemailerBytes(message: OutgoingEmail, date: Date, baseBoundary: string): Promise<Buffer> {
  const root = new MailComposer({ ...toMailOptions(message), baseBoundary }).compile();
  root.date = date;
  return root.build();
}

/** A small seeded generator, so a failing random case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const PIECES = ['word', 'Hello', ' ', '  ', '\t', '\n', '\r\n', '\r', '.', '..', '=', '=?utf-8?Q?x?=', '"', ',', ';', '<', '>', '@', '(', ')', 'ä', 'Grüße', 'ж', '日本', '😀', '\u0001', 'https://example.com/r/abc?ct=YTo1OntzOjY6InNvdXJjZSI7YToyOntpOjA7czo1OiJlbWFpbCI7aToxO2k6Mjt9', 'x'.repeat(90), ' \n'];

function randomMessage(next: () => number): OutgoingEmail {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const text = (max: number): string => Array.from({ length: Math.floor(next() * max) }, () => pick(PIECES)).join('');
  const name = (): string => pick(['', 'Ann', 'Ann Lee', 'Lee, Ann', 'O\'Brien "Bob"', 'Zoë Ünal', '日本 太郎', text(4)]);
  const address = (): string => pick(['ann@example.org', 'Ann.Lee+tag@Example.ORG', 'zoë@example.org', 'bob@exämple.com', 'x@sub.example.co.uk', '"a b"@example.org']);
  const headers: Record<string, string> = {};
  for (let i = Math.floor(next() * 4); i > 0; i -= 1) headers[pick(['X-EMAIL-ID', 'Precedence', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'X-Custom', 'x-lower', 'X-Mailer', 'Reply-To', 'Subject', 'X-A_b.c'])] = text(6);
  const message: OutgoingEmail = {
    from: { address: address(), name: name() }, to: { address: address(), name: name() }, subject: text(8),
    html: next() < 0.1 ? '' : text(60), text: next() < 0.4 ? '' : text(40), headers, messageId: `<${Math.floor(next() * 1e6)}.${'abc'.repeat(Math.floor(next() * 20))}@example.com>`,
  };
  if (next() < 0.3) message.replyTo = { address: address() };
  if (next() < 0.3) message.bcc = [{ address: address() }];
  return message;
}

describe('buildMessage', () => {
  const date = new Date('2026-12-04T16:49:29.123Z');
  const boundary = '0123456789abcdef';

  it.each(Object.entries(CASES))('writes the bytes nodemailer builds, or leaves the message to it: %s', async (_name, message) => {
    const expected = (await nodemailerBytes(message, date, boundary)).toString('latin1');
    const direct = directBytes(message, date, boundary);
    const leftToNodemailer = (message.attachments?.length ?? 0) > 0 || 'Subject' in message.headers;
    if (leftToNodemailer) expect(direct).toBeUndefined();
    else expect(direct?.toString('latin1')).toBe(expected);
  });

  it('writes a segment send directly, and leaves attachments, an empty HTML body, no Message-ID and its own header names to nodemailer', () => {
    expect(directBytes(BASE, date, boundary)).toBeDefined();
    expect(directBytes({ ...BASE, text: '' }, date, boundary)).toBeDefined();
    expect(directBytes(CASES.attachments!, date, boundary)).toBeUndefined();
    expect(directBytes({ ...BASE, html: '' }, date, boundary)).toBeUndefined();
    expect(buildMessage({ ...BASE, messageId: undefined } as OutgoingEmail)).toBeUndefined();
    expect(directBytes({ ...BASE, headers: { subject: 'x' } }, date, boundary)).toBeUndefined();
    expect(directBytes({ ...BASE, headers: { 'X-A': '1', 'x-a': '2' } }, date, boundary)).toBeUndefined();
    expect(directBytes({ ...BASE, headers: { 'X A': '1' } }, date, boundary)).toBeUndefined();
  });

  it('writes the bytes and envelope nodemailer makes for 500 random messages', async () => {
    const next = random(15);
    let direct = 0;
    for (let i = 0; i < 500; i += 1) {
      const message = randomMessage(next);
      const ours = directBytes(message, date, boundary);
      if (!ours) continue;
      direct += 1;
      const root = new MailComposer({ ...toMailOptions(message), baseBoundary: boundary }).compile();
      root.date = date;
      expect({ i, bytes: ours.toString('latin1') }).toEqual({ i, bytes: (await root.build()).toString('latin1') });
      const built = buildMessage(message)!;
      expect({ i, envelope: new MimeNode().setEnvelope(built.envelope).getEnvelope() }).toEqual({ i, envelope: root.getEnvelope() });
    }
    expect(direct).toBeGreaterThan(250);
  });

  it('gives the envelope with every recipient, Bcc in the envelope only, and the Message-ID', () => {
    const message: OutgoingEmail = { ...BASE, subject: 'Grüße aus Köln', bcc: [{ address: 'archive@example.com' }, { address: 'audit@example.com' }] };
    const built = buildMessage(message)!;
    expect(built.envelope).toEqual({ from: { name: '', address: 'news@example.com' }, to: [{ name: '', address: 'ana.silva@example.com' }, { name: '', address: 'archive@example.com' }, { name: '', address: 'audit@example.com' }] });
    expect(built.messageId).toBe(BASE.messageId);
    const read = readEml(built.raw.toString('utf8'));
    expect(read.header('bcc')).toBeUndefined();
    expect(read.header('subject')).toBe(message.subject);
    expect(read.html).toBe(message.html);
    expect(built.raw.subarray(-2).toString()).toBe('\r\n');
  });
});
