/**
 * What the queue tests share: a SQLite database seeded with the sending fixtures plus a
 * segment of `n` more contacts, a service with a queue on the test Redis (its own BullMQ
 * prefix), and how to wait for the queue to empty.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { insertLead } from '../../../legacy-adapter/src/data/contacts.ts';
import { addLeadToSegment } from '../../../legacy-adapter/src/data/segments.ts';
import { createSmtpMailer } from '../../../legacy-adapter/src/mail/smtp-mailer.ts';
import type { Mailer } from '../../../legacy-adapter/src/mail/types.ts';
import { TEST_NOW } from '../../../legacy-adapter/src/standin/standin-test-kit.ts';
import { SITE_URL, seedSending } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import type { SendingSeed } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import { createTestDb } from '../../../test-support/databases.ts';
import type { TestDb } from '../../../test-support/databases.ts';
import { sendingConfig } from '../src/config.ts';
import type { SendingConfig } from '../src/config.ts';
import { mailQueueName, redisMailQueue } from '../src/delivery/mail-queue.ts';
import type { MailQueue } from '../src/delivery/mail-queue.ts';
import { redisConnection } from '../src/delivery/redis-connection.ts';
import { startSending } from '../src/server.ts';
import type { RunningSending } from '../src/server.ts';

/** A queued service over a seeded database. */
export interface QueuedSetup {
  testDb: TestDb;
  seed: SendingSeed;
  config: SendingConfig;
  prefix: string;
  queue: MailQueue;
  mailer: Mailer;
  sending: RunningSending;
  /** Every address the segment send should reach (ann, bob and the extra contacts). */
  recipients: string[];
  /** Resolves once nothing waits, runs or is delayed in the mail queue. */
  drained(): Promise<void>;
  close(): Promise<void>;
}

/** Seeds, starts the service with a queue, and returns the setup. */
export async function queuedSetup(redisUrl: string, smtpUrl: string, extraContacts: number, queueSettings: Partial<SendingConfig['queue']> = {}): Promise<QueuedSetup> {
  const testDb = await createTestDb('sqlite');
  const seed = await seedSending(testDb.db, TEST_NOW);
  const recipients = ['ann@example.org', 'bob@example.org'];
  for (let i = 0; i < extraContacts; i += 1) {
    const address = `c${i}@example.net`;
    const id = await insertLead(testDb.db, { email: address, firstname: `C${i}` });
    await addLeadToSegment(testDb.db, seed.segment, id, { date_added: '2024-01-01 00:00:00', manually_added: true });
    recipients.push(address);
  }
  const config = sendingConfig({ mautic: { siteUrl: SITE_URL }, queue: { concurrency: 4, lockMs: 1_000, backoffMs: 50, attempts: 3, ...queueSettings } });
  const prefix = `sndtest${randomBytes(5).toString('hex')}`;
  const queue = redisMailQueue(redisUrl, config.queue, prefix);
  const mailer = createSmtpMailer(smtpUrl);
  const sending = await startSending({ db: testDb.db, config, mailer, queue, now: () => TEST_NOW }, { port: 0, drainTimeoutMs: 500 });
  const watcher = new Queue(mailQueueName(config.queue), { connection: redisConnection(redisUrl, false), prefix });
  return {
    testDb, seed, config, prefix, queue, mailer, sending, recipients,
    async drained() {
      for (;;) {
        const counts = await watcher.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
        if (Object.values(counts).every((n) => n === 0)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await sending.close();
      await watcher.obliterate({ force: true }).catch(() => {});
      await Promise.all([queue.close(), mailer.close(), watcher.close()]);
      await testDb.drop();
    },
  };
}
