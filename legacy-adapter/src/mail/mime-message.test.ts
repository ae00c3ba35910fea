import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import { buildMessage, treeBytes } from './mime-message.ts';
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
  'no Message-ID': { ...BASE, messageId: undefined } as OutgoingEmail,
};

describe('buildMessage', () => {
  it.each(Object.entries(CASES))('writes the bytes nodemailer builds: %s', async (_name, message) => {
    const root = new MailComposer(toMailOptions(message)).compile();
    const streams = jest.spyOn(root, 'build');
    const ours = await treeBytes(root);
    expect(streams).not.toHaveBeenCalled();
    streams.mockRestore();
    const theirs = await root.build();
    expect(ours.toString('latin1')).toBe(theirs.toString('latin1'));
  });

  it('gives the envelope with every recipient, Bcc in the envelope only, and the Message-ID', async () => {
    const message = CASES['non-ASCII names, subject, header and bodies']!;
    const built = await buildMessage(message);
    expect(built.envelope).toEqual({ from: 'news@xn--exmple-cua.com', to: ['zoë@example.org', 'archive@example.com', 'audit@example.com'] });
    expect(built.messageId).toBe(BASE.messageId);
    const read = readEml(built.raw.toString('utf8'));
    expect(read.header('bcc')).toBeUndefined();
    expect(read.header('subject')).toBe(message.subject);
    expect(read.html).toBe(message.html);
    expect(built.raw.subarray(-2).toString()).toBe('\r\n');
  });

  it('makes up a Message-ID when the message has none', async () => {
    const built = await buildMessage({ ...BASE, messageId: undefined } as OutgoingEmail);
    expect(built.messageId).toMatch(/^<[^<>]+@example\.com>$/);
    expect(built.raw.toString()).toContain(`Message-ID: ${built.messageId}\r\n`);
  });

  it('leaves a tree with streamed content to nodemailer', async () => {
    const root = new MailComposer({ ...toMailOptions(BASE), text: Readable.from([Buffer.from('streamed text')]) }).compile();
    const streams = jest.spyOn(root, 'build');
    const bytes = await treeBytes(root);
    expect(streams).toHaveBeenCalled();
    expect(readEml(bytes.toString('utf8')).text).toBe('streamed text');
  });
});
