// The SMTP mailer's batched DATA (`batchData`): the server receives the same bytes as without it, large messages included, and a message the server refuses never leaves the connection holding the next one.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { MailError } from './errors.ts';
import { readEml } from './read-eml.ts';
import { createSmtpMailer } from './smtp-mailer.ts';
import type { Mailer, OutgoingEmail } from './types.ts';

const MESSAGE: OutgoingEmail = {
  from: { address: 'news@example.com', name: 'Example News' },
  to: { address: 'ann@example.org', name: 'Ann Lee' },
  subject: 'Spring offer',
  html: '<p>Hi Ann</p>\n.a line that starts with a dot\n<a href="https://m.example.com/r/abc?ct=x">offer</a>',
  text: 'Hi Ann\n.dot\n',
  headers: { 'X-EMAIL-ID': '5', Precedence: 'Bulk' },
  messageId: '<7.abc@m.example.com>',
};

/** A message far over a socket's 16 KiB high-water mark: a long body and a 300 KB attachment. */
const LARGE: OutgoingEmail = {
  ...MESSAGE,
  messageId: '<8.def@m.example.com>',
  html: '<p>row</p>\n.dot row\n'.repeat(20_000),
  attachments: [{ filename: 'report.bin', contentType: 'application/octet-stream', contentBase64: Buffer.alloc(300_000, 7).toString('base64') }],
};

/** The parts of a message that nodemailer makes up anew each time (date, MIME boundaries). */
function stable(data: string): string {
  return data.replace(/^Date: .*$/m, 'Date: -').replace(/(--_?)[-=_A-Za-z0-9]{10,}/g, '$1boundary');
}

describe('SMTP mailer with batched DATA, against a real smtp-server', () => {
  let server: SMTPServer;
  let url: string;
  let received: string[];
  let refuseData: boolean;
  const mailers: Mailer[] = [];

  beforeEach(async () => {
    received = [];
    refuseData = false;
    server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (refuseData) return callback(Object.assign(new Error('content rejected'), { responseCode: 550 }));
          received.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@refused.test')) callback(new Error('mailbox unavailable'));
        else callback();
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const mailer of mailers.splice(0)) await mailer.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function mailer(batchData: boolean): Mailer {
    const made = createSmtpMailer(url, { maxConnections: 1, batchData });
    mailers.push(made);
    return made;
  }

  it('delivers the same bytes as the plain transport, a small and a large message (dot lines escaped, attachment whole)', async () => {
    for (const message of [MESSAGE, LARGE]) {
      await mailer(false).send(message);
      await mailer(true).send(message);
    }
    expect(received).toHaveLength(4);
    expect(stable(received[1]!)).toBe(stable(received[0]!));
    expect(stable(received[3]!)).toBe(stable(received[2]!));
    const large = readEml(received[3]!);
    expect(large.html.replace(/\r\n/g, '\n')).toBe(LARGE.html);
    expect(large.attachments[0]?.content.equals(Buffer.alloc(300_000, 7))).toBe(true);
  });

  it('keeps the connection usable after the server refuses a message at the end of DATA, or a recipient before it', async () => {
    const batched = mailer(true);
    refuseData = true;
    const refused = await batched.send(MESSAGE).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MailError);
    expect((refused as Error).message).toContain('content rejected');
    refuseData = false;
    const noRecipient = await batched.send({ ...MESSAGE, to: { address: 'x@refused.test' } }).catch((e: unknown) => e);
    expect((noRecipient as Error).message).toContain('mailbox unavailable');
    await batched.send({ ...MESSAGE, subject: 'after' });
    expect(received.map((data) => readEml(data).header('subject'))).toEqual(['after']);
  });
});
