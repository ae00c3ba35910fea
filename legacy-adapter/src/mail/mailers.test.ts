import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createMailer } from './create-mailer.ts';
import { MailError } from './errors.ts';
import { createOutboxMailer } from './outbox-mailer.ts';
import { readEml } from './read-eml.ts';
import { createSmtpMailer } from './smtp-mailer.ts';
import type { Mailer, OutgoingEmail } from './types.ts';

const MESSAGE: OutgoingEmail = {
  from: { address: 'news@example.com', name: 'Example News' },
  to: { address: 'ann@example.org', name: 'Ann Lee' },
  replyTo: { address: 'reply@example.com' },
  bcc: [{ address: 'archive@example.com' }],
  subject: 'Hello Ann',
  html: '<html><body><p>Hi</p><img height="1" width="1" src="https://m.example.com/email/abc.gif" alt="" /></body></html>',
  text: 'Hi',
  headers: {
    // docs/mautic/public-http.md §5.7
    'List-Unsubscribe': '<https://m.example.com/email/unsubscribe/abc/ann@example.org/ff>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    Precedence: 'Bulk',
    'X-EMAIL-ID': '5',
  },
};

/** Unfolds RFC 5322 folded header lines so assertions can match whole values. */
function unfold(eml: string): string {
  return eml.replace(/\r\n[ \t]+/g, ' ');
}

describe('outbox mailer', () => {
  let dir: string;
  let mailer: Mailer;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'outbox-'));
  });
  afterEach(async () => {
    await mailer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one RFC 5322 .eml per message with headers and both bodies', async () => {
    const outbox = createOutboxMailer({ dir });
    mailer = outbox;
    const { messageId } = await outbox.send(MESSAGE);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{8}\.eml$/);
    expect(outbox.lastFile).toBe(path.join(dir, files[0]!));
    const eml = unfold(await readFile(path.join(dir, files[0]!), 'utf8'));
    expect(messageId).toMatch(/^<.+@.+>$/);
    expect(eml).toContain(`Message-ID: ${messageId}\r\n`);
    expect(eml).toContain('From: Example News <news@example.com>\r\n');
    expect(eml).toContain('To: Ann Lee <ann@example.org>\r\n');
    expect(eml).toContain('Reply-To: reply@example.com\r\n');
    expect(eml).toContain('Bcc: archive@example.com\r\n');
    expect(eml).toContain('Subject: Hello Ann\r\n');
    expect(eml).toContain('List-Unsubscribe: <https://m.example.com/email/unsubscribe/abc/ann@example.org/ff>\r\n');
    expect(eml).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(eml).toContain('Precedence: Bulk\r\n');
    expect(eml).toContain('X-EMAIL-ID: 5\r\n');
    expect(eml).toMatch(/Content-Type: multipart\/alternative/);
    const parsed = readEml(eml);
    expect(parsed.html).toBe(MESSAGE.html);
    expect(parsed.text).toBe('Hi');
    expect(parsed.header('x-email-id')).toBe('5');
  });

  it('sends HTML only when the text body is empty', async () => {
    mailer = createOutboxMailer({ dir });
    await mailer.send({ ...MESSAGE, text: '' });
    const [file] = await readdir(dir);
    const eml = await readFile(path.join(dir, file!), 'utf8');
    expect(eml).not.toContain('multipart/alternative');
    expect(eml).toMatch(/Content-Type: text\/html/);
  });

  it('refuses to send after close with MAIL_ERR_CLOSED', async () => {
    mailer = createOutboxMailer({ dir });
    await mailer.close();
    await expect(mailer.send(MESSAGE)).rejects.toMatchObject({ code: 'MAIL_ERR_CLOSED' });
  });
});

interface Received {
  from: string | undefined;
  to: string[];
  data: string;
}

describe('SMTP mailer against a real smtp-server', () => {
  let server: SMTPServer;
  let port: number;
  let received: Received[];
  let mailer: Mailer | undefined;

  beforeEach(async () => {
    received = [];
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@refused.test')) callback(new Error('mailbox unavailable'));
        else callback();
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await mailer?.close();
    mailer = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers envelope, headers and body; Bcc is in the envelope, not the header', async () => {
    mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    const { messageId } = await mailer.send(MESSAGE);
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail!.from).toBe('news@example.com');
    expect(mail!.to.sort()).toEqual(['ann@example.org', 'archive@example.com']);
    const data = unfold(mail!.data);
    expect(data).toContain(`Message-ID: ${messageId}\r\n`);
    expect(data).toContain('Subject: Hello Ann\r\n');
    expect(data).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(data).toContain('X-EMAIL-ID: 5\r\n');
    expect(data).not.toContain('Bcc:');
    expect(readEml(mail!.data).html).toBe(MESSAGE.html);
  });

  it('reuses the pool for several messages', async () => {
    mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`, { maxConnections: 1 });
    await Promise.all([1, 2, 3].map((n) => mailer!.send({ ...MESSAGE, subject: `n${n}`, bcc: [] })));
    expect(received.map((r) => /Subject: (n\d)/.exec(r.data)?.[1]).sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('rejects a refused recipient with MAIL_ERR_SEND and the server reason', async () => {
    mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    const error = await mailer.send({ ...MESSAGE, to: { address: 'x@refused.test' }, bcc: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect(error).toMatchObject({ code: 'MAIL_ERR_SEND' });
    expect((error as Error).message).toContain('mailbox unavailable');
    expect(received).toHaveLength(0);
  });

  it('createMailer picks SMTP when SMTP_URL is set', async () => {
    mailer = createMailer({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    await mailer.send(MESSAGE);
    expect(received).toHaveLength(1);
  });
});

describe('SMTP mailer against a server that stalls', () => {
  let peer: Server;
  let mailer: Mailer | undefined;
  const sockets = new Set<Socket>();
  /** A peer that greets (or not) and then answers EHLO, but never anything after it. */
  async function stallingPeer(greet: boolean): Promise<number> {
    peer = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      if (greet) socket.write('220 stalling.test ESMTP\r\n');
      socket.on('data', (chunk: Buffer) => {
        if (/^EHLO /m.test(chunk.toString())) socket.write('250 stalling.test\r\n');
      });
    });
    peer.listen(0, '127.0.0.1');
    await once(peer, 'listening');
    return (peer.address() as AddressInfo).port;
  }
  afterEach(async () => {
    await mailer?.close();
    mailer = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise((resolve) => peer.close(resolve));
  });

  it.each([
    ['never greets', false, { greetingTimeoutMs: 200 }],
    ['goes silent after EHLO', true, { socketTimeoutMs: 200 }],
  ])('a server that %s: MAIL_ERR_SEND within the timeout, not a hang', async (_name, greet, timeouts) => {
    const port = await stallingPeer(greet);
    mailer = createSmtpMailer(`smtp://127.0.0.1:${port}?ignoreTLS=true`, timeouts);
    const started = performance.now();
    const error = await mailer.send({ ...MESSAGE, bcc: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect(error).toMatchObject({ code: 'MAIL_ERR_SEND' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('readEml', () => {
  it('decodes encoded-word subjects and base64 parts', () => {
    const raw = [
      'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= =?UTF-8?B?IMOc?=',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<p>Grüße</p>').toString('base64'),
      '',
    ].join('\r\n');
    const mail = readEml(raw);
    expect(mail.header('Subject')).toBe('Grüße Ü');
    expect(mail.html).toBe('<p>Grüße</p>');
    expect(mail.text).toBe('');
  });
});

describe('createMailer configuration', () => {
  it.each([
    ['http://mail.example.com', /must start with smtp:\/\/ or smtps:\/\//],
    ['not a url', /SMTP_URL is not a URL/],
  ])('rejects SMTP_URL=%j with MAIL_ERR_CONFIG', (url, message) => {
    expect(() => createMailer({ SMTP_URL: url })).toThrow(message);
    expect(() => createMailer({ SMTP_URL: url })).toThrow(expect.objectContaining({ code: 'MAIL_ERR_CONFIG' }));
  });

  it('uses the outbox folder when SMTP_URL is unset or blank', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'outbox-'));
    const mailer = createMailer({ SMTP_URL: '  ', STRANGLER_OUTBOX_DIR: dir });
    try {
      await mailer.send(MESSAGE);
      expect(await readdir(dir)).toHaveLength(1);
    } finally {
      await mailer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
