/**
 * `assetAttachments` (docs/mautic/public-http.md §5.3) into a real SMTP server on 127.0.0.1:
 * the email's own assets (`email_assets_xref`) and the ones the call names are attached once
 * each, as `Content-Disposition: attachment` parts with the asset's original file name, MIME
 * type and the file's exact bytes; a remote asset and an unknown id add nothing; a malformed
 * list is a 400 with nothing recorded. Through the mail queue the job carries the file, so a
 * worker without the upload folder sends it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachAssetToEmail, insertAsset } from '../../../legacy-adapter/src/data/sending-assets.ts';
import { createSmtpMailer } from '../../../legacy-adapter/src/mail/smtp-mailer.ts';
import type { Mailer } from '../../../legacy-adapter/src/mail/types.ts';
import { TEST_NOW, rows } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { ADMIN, SITE_URL, seedSending } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import type { SendingSeed } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import { createTestDb } from '../../../test-support/databases.ts';
import type { TestDb } from '../../../test-support/databases.ts';
import { describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { sendingConfig } from '../src/config.ts';
import { mailQueueName, redisMailQueue } from '../src/delivery/mail-queue.ts';
import { createSendingMetrics } from '../src/delivery/metrics.ts';
import { startMailWorker } from '../src/delivery/mail-worker.ts';
import { redisConnection } from '../src/delivery/redis-connection.ts';
import { Queue } from 'bullmq';
import { startSending } from '../src/server.ts';
import type { RunningSending } from '../src/server.ts';
import { startSmtpSink } from './smtp-sink.ts';
import type { SmtpSink } from './smtp-sink.ts';

const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
/** Bytes no text decoding survives, so a part that was not carried byte for byte fails. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3_000), Buffer.from([0, 0xff, 0xfe, 0x80])]);
const NOTES = Buffer.from('Opening hours: 9–17\n', 'utf8');

describe('asset attachments into SMTP (§5.3)', () => {
  let testDb: TestDb;
  let seed: SendingSeed;
  let sink: SmtpSink;
  let mailer: Mailer;
  let sending: RunningSending;
  let uploadDir: string;
  const assets = { terms: 0, notes: 0, remote: 0 };

  beforeEach(async () => {
    testDb = await createTestDb('sqlite');
    seed = await seedSending(testDb.db, TEST_NOW);
    uploadDir = await mkdtemp(join(tmpdir(), 'strangler-assets-'));
    await writeFile(join(uploadDir, 'f1a2b3.pdf'), PDF);
    await writeFile(join(uploadDir, 'c4d5e6.txt'), NOTES);
    assets.terms = await insertAsset(testDb.db, { title: 'Terms', alias: 'terms', storageLocation: 'local', path: 'f1a2b3.pdf', originalFileName: 'Terms and conditions.pdf', mime: 'application/pdf' });
    assets.notes = await insertAsset(testDb.db, { title: 'Notes', alias: 'notes', storageLocation: 'local', path: 'c4d5e6.txt', originalFileName: 'notes.txt', mime: 'text/plain' });
    assets.remote = await insertAsset(testDb.db, { title: 'Remote', alias: 'remote', storageLocation: 'remote', remotePath: 'https://cdn.example.com/x.pdf' });
    await attachAssetToEmail(testDb.db, seed.templateEmail, assets.notes);
    sink = await startSmtpSink();
    mailer = createSmtpMailer(sink.url);
    sending = await startSending({ db: testDb.db, config: sendingConfig({ mautic: { siteUrl: SITE_URL, uploadDir } }), mailer, now: () => TEST_NOW }, { port: 0, drainTimeoutMs: 500 });
  });
  afterEach(async () => {
    await sending.close();
    await mailer.close();
    await sink.close();
    await testDb.drop();
    await rm(uploadDir, { recursive: true, force: true });
  });

  const sendToAnn = (body: unknown) => fetch(`${sending.url}/api/emails/${seed.templateEmail}/contact/${seed.members.ann}/send`, {
    method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });

  it('attaches the email\'s own asset and the named ones, each once, byte for byte, beside the HTML', async () => {
    const res = await sendToAnn({ assetAttachments: [assets.terms, String(assets.remote), 999_999, assets.notes] });
    expect([res.status, await res.json()]).toEqual([200, { success: true }]);
    expect(sink.received).toHaveLength(1);
    const [message] = sink.received as [typeof sink.received[number]];
    expect(message.header('content-type')).toMatch(/^multipart\/mixed; boundary=/);
    expect(message.attachments.map((a) => [a.filename, a.contentType])).toEqual([['notes.txt', 'text/plain'], ['Terms and conditions.pdf', 'application/pdf']]);
    expect(message.attachments[0]!.content.equals(NOTES)).toBe(true);
    expect(message.attachments[1]!.content.equals(PDF)).toBe(true);
    expect(message.html).toMatch(/<img height="1" width="1" src="https:\/\/m\.example\.com\/email\/[0-9a-f]{13}\d{9}\.gif" alt="" \/>/);
  });

  it('sends without a file that cannot be read (Mautic logs a failed attach and sends)', async () => {
    await rm(join(uploadDir, 'f1a2b3.pdf'));
    const res = await sendToAnn({ assetAttachments: [assets.terms] });
    expect([res.status, await res.json()]).toEqual([200, { success: true }]);
    expect(sink.received[0]!.attachments.map((a) => a.filename)).toEqual(['notes.txt']);
  });

  it.each([['a string', 'x'], ['an id that is not a number', ['terms']], ['a negative id', [-1]]])('answers %s in assetAttachments with 400 and records nothing', async (_name, value) => {
    const res = await sendToAnn({ assetAttachments: value });
    expect([res.status, await res.json()]).toEqual([400, { errors: [{ code: 400, message: 'This is a bad request.', details: [], type: null }] }]);
    expect(await rows(testDb.db, 'email_stats')).toEqual([]);
    expect(sink.received).toHaveLength(0);
  });
});

describeWithRedis('asset attachments through the mail queue (§5.3)', () => {
  it('a queued message carries the file: the worker sends it although the folder is gone', async () => {
    const testDb = await createTestDb('sqlite');
    const seed = await seedSending(testDb.db, TEST_NOW);
    const uploadDir = await mkdtemp(join(tmpdir(), 'strangler-assets-'));
    await writeFile(join(uploadDir, 'f1a2b3.pdf'), PDF);
    const terms = await insertAsset(testDb.db, { title: 'Terms', alias: 'terms', storageLocation: 'local', path: 'f1a2b3.pdf', originalFileName: 'terms.pdf', mime: 'application/pdf' });
    const config = sendingConfig({ mautic: { siteUrl: SITE_URL, uploadDir }, queue: { lockMs: 1_000 } });
    const prefix = `sndasset${randomBytes(5).toString('hex')}`;
    const sink = await startSmtpSink();
    const queue = redisMailQueue(testRedisUrl!, config.queue, prefix);
    const mailer = createSmtpMailer(sink.url);
    const sending = await startSending({ db: testDb.db, config, mailer, queue, now: () => TEST_NOW }, { port: 0, drainTimeoutMs: 500 });
    try {
      const res = await fetch(`${sending.url}/api/emails/${seed.templateEmail}/contact/${seed.members.ann}/send`, {
        method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ assetAttachments: [terms] }),
      });
      expect([res.status, await res.json()]).toEqual([200, { success: true }]);
      expect(sink.received).toHaveLength(0); // queued, not sent in the request
      await rm(uploadDir, { recursive: true, force: true });
      const worker = await startMailWorker({ redisUrl: testRedisUrl!, settings: config.queue, mailer, metrics: createSendingMetrics(), log: { sent: () => {}, uncertain: () => {}, dead: () => {}, error: () => {} }, prefix });
      try {
        await sink.waitFor(1);
      } finally {
        await worker.close();
      }
      expect(sink.received[0]!.attachments.map((a) => [a.filename, a.contentType, a.content.equals(PDF)])).toEqual([['terms.pdf', 'application/pdf', true]]);
    } finally {
      await sending.close();
      const watcher = new Queue(mailQueueName(config.queue), { connection: redisConnection(testRedisUrl!, false), prefix });
      await watcher.obliterate({ force: true }).catch(() => {});
      await Promise.all([watcher.close(), queue.close(), mailer.close(), sink.close()]);
      await testDb.drop();
      await rm(uploadDir, { recursive: true, force: true });
    }
  });
});
