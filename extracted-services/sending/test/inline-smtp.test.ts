/**
 * The embedded default without a queue (Mautic's `sync://`, docs/mautic/public-http.md §5.8)
 * into a real SMTP server on 127.0.0.1: the message as received (headers, HTML, rewritten
 * links, the pixel), and a rejecting server: `{"success":false,"failed":…}` with nothing
 * half-recorded (§5.3, §5.5: the stat is deleted, the counter unchanged).
 */
import { createSmtpMailer } from '../../../legacy-adapter/src/mail/smtp-mailer.ts';
import type { Mailer } from '../../../legacy-adapter/src/mail/types.ts';
import { TEST_NOW, rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { ADMIN, SITE_URL, seedSending } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import type { SendingSeed } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import { createTestDb } from '../../../test-support/databases.ts';
import type { TestDb } from '../../../test-support/databases.ts';
import { sendingConfig } from '../src/config.ts';
import { startSending } from '../src/server.ts';
import type { RunningSending } from '../src/server.ts';
import { startSmtpSink } from './smtp-sink.ts';
import type { SmtpSink } from './smtp-sink.ts';

const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;

describe('sending inline into SMTP', () => {
  let testDb: TestDb;
  let seed: SendingSeed;
  let sink: SmtpSink;
  let mailer: Mailer;
  let sending: RunningSending;

  beforeEach(async () => {
    testDb = await createTestDb('sqlite');
    seed = await seedSending(testDb.db, TEST_NOW);
    sink = await startSmtpSink();
    mailer = createSmtpMailer(sink.url);
    sending = await startSending({ db: testDb.db, config: sendingConfig({ mautic: { siteUrl: SITE_URL } }), mailer, now: () => TEST_NOW }, { port: 0, drainTimeoutMs: 500 });
  });
  afterEach(async () => {
    await sending.close();
    await mailer.close();
    await sink.close();
    await testDb.drop();
  });

  const send = (path: string) => fetch(`${sending.url}${path}`, { method: 'POST', headers: { authorization: auth } });

  it('delivers the segment mail as Mautic renders it (§5.2, §5.5, §5.7)', async () => {
    const res = await send(`/api/emails/${seed.listEmail}/send`);
    expect(await res.json()).toEqual({ success: 1, sentCount: 2, failedRecipients: 0 });
    expect(sink.received).toHaveLength(2);
    const [ann] = sink.received;
    expect(ann!.headers.get('subject')).toEqual(['Hello Ann — Spring list']);
    expect(ann!.headers.get('precedence')).toEqual(['Bulk']);
    expect(ann!.headers.get('x-email-id')).toEqual([String(seed.listEmail)]);
    expect(ann!.headers.get('list-unsubscribe')![0]).toMatch(/^<https:\/\/m\.example\.com\/email\/unsubscribe\/[0-9a-f]{13}\d{9}\/ann@example\.org\/[0-9a-f]+>$/);
    expect(ann!.headers.get('message-id')![0]).toMatch(/^<\d+\.[0-9a-f]{13}\d{9}@m\.example\.com>$/);
    expect(ann!.html).toMatch(/<a href="https:\/\/m\.example\.com\/r\/[0-9a-f]{25}\?ct=[A-Za-z0-9%]+&utm_source=newsletter&utm_campaign=spring">Offer<\/a>/);
    expect(ann!.html).toMatch(/<img height="1" width="1" src="https:\/\/m\.example\.com\/email\/[0-9a-f]{13}\d{9}\.gif" alt="" \/><\/body><\/html>/);
  });

  it('answers a rejecting server with success:false and keeps no stat (§5.3)', async () => {
    sink.mode = { kind: 'reply', code: 550, message: 'Mailbox unavailable' };
    const res = await send(`/api/emails/${seed.templateEmail}/contact/${seed.members.ann}/send`);
    const body = (await res.json()) as { success: boolean; failed: string };
    expect([res.status, body.success]).toEqual([200, false]);
    expect(body.failed).toContain('Mailbox unavailable');
    expect(await rows(testDb.db, 'email_stats')).toEqual([]);
    const [email] = await testDb.db.query<{ sent_count: number }>(`SELECT sent_count FROM ${testDb.db.table('emails')} WHERE id = ?`, [seed.templateEmail]);
    expect(Number(email!.sent_count)).toBe(0);
  });
});
