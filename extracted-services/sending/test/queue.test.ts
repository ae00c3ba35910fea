/**
 * Delivery through the queue (README § Delivery, issue #15): a segment send queued on Redis
 * and sent by workers into a real SMTP server on 127.0.0.1. Two workers send no message
 * twice; a refused message is retried, and a permanently refused one lands on the
 * dead-letter queue with the SMTP error.
 */
import { Queue } from 'bullmq';
import { ADMIN } from '../../../legacy-adapter/src/standin/sending/sending.fixtures.ts';
import { describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { deadQueueName, mailQueueName } from '../src/delivery/mail-queue.ts';
import { createSendingMetrics } from '../src/delivery/metrics.ts';
import { startMailWorker } from '../src/delivery/mail-worker.ts';
import type { RunningMailWorker } from '../src/delivery/mail-worker.ts';
import { redisConnection } from '../src/delivery/redis-connection.ts';
import { createSmtpMailer } from '../../../legacy-adapter/src/mail/smtp-mailer.ts';
import type { Mailer } from '../../../legacy-adapter/src/mail/types.ts';
import { queuedSetup } from './queue-fixtures.ts';
import type { QueuedSetup } from './queue-fixtures.ts';
import { startSmtpSink } from './smtp-sink.ts';
import type { SmtpSink } from './smtp-sink.ts';

const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;
const QUIET = { sent: () => {}, uncertain: () => {}, dead: () => {}, error: () => {} };

describeWithRedis('sending through the queue', () => {
  let sink: SmtpSink;
  let setup: QueuedSetup;
  const workers: RunningMailWorker[] = [];
  const mailers: Mailer[] = [];

  async function worker(): Promise<RunningMailWorker> {
    const mailer = createSmtpMailer(sink.url);
    mailers.push(mailer);
    const running = await startMailWorker({ redisUrl: testRedisUrl!, settings: setup.config.queue, mailer, metrics: createSendingMetrics(), log: QUIET, prefix: setup.prefix });
    workers.push(running);
    return running;
  }

  async function sendSegment(): Promise<unknown> {
    const res = await fetch(`${setup.sending.url}/api/emails/${setup.seed.listEmail}/send`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{"batch":7}' });
    expect(res.status).toBe(200);
    return res.json();
  }

  beforeEach(async () => {
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.close();
    for (const m of mailers.splice(0)) await m.close();
    await setup?.close();
    await sink.close();
  });

  it('two workers on one segment deliver every message exactly once, with the pixel and tracked links (§5.2, §5.5)', async () => {
    setup = await queuedSetup(testRedisUrl!, sink.url, 40);
    await Promise.all([worker(), worker()]);
    expect(await sendSegment()).toEqual({ success: 1, sentCount: 42, failedRecipients: 0 });
    await sink.waitFor(42);
    await setup.drained();
    const to = sink.received.map((m) => m.headers.get('to')![0]!.replace(/^.*<|>$/g, ''));
    expect([...to].sort()).toEqual([...setup.recipients].sort());
    for (const message of sink.received) {
      expect(message.headers.get('message-id')![0]).toMatch(/^<\d+\.[0-9a-f]{13}\d{9}@m\.example\.com>$/);
      expect(message.headers.get('list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
      expect(message.html).toMatch(/<a href="https:\/\/m\.example\.com\/r\/[0-9a-f]{25}\?ct=[A-Za-z0-9%]+&utm_source=newsletter&utm_campaign=spring">Offer<\/a>/);
      expect(message.html).toMatch(/<img height="1" width="1" src="https:\/\/m\.example\.com\/email\/[0-9a-f]{13}\d{9}\.gif" alt="" \/>/);
    }
    const [{ n }] = await setup.testDb.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${setup.testDb.db.table('email_stats')}`) as [{ n: number }];
    expect(Number(n)).toBe(42);
  });

  it('a dry run renders and answers but enqueues nothing and sends nothing (docs/architecture.md §5)', async () => {
    setup = await queuedSetup(testRedisUrl!, sink.url, 3);
    const res = await fetch(`${setup.sending.url}/api/emails/${setup.seed.listEmail}/send`, { method: 'POST', headers: { authorization: auth, 'x-strangler-mode': 'shadow' } });
    expect([res.status, res.headers.get('x-strangler-dry-run'), await res.json()]).toEqual([200, '1', { success: 1, sentCount: 5, failedRecipients: 0 }]);
    const watcher = new Queue(mailQueueName(setup.config.queue), { connection: redisConnection(testRedisUrl!, false), prefix: setup.prefix });
    try {
      expect(await watcher.getJobCounts()).toEqual(expect.objectContaining({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 }));
    } finally {
      await watcher.close();
    }
    const [{ n }] = await setup.testDb.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${setup.testDb.db.table('email_stats')}`) as [{ n: number }];
    expect([Number(n), sink.received.length]).toEqual([0, 0]);
  });

  it('retries a message the server refuses for now (451) until it is accepted', async () => {
    setup = await queuedSetup(testRedisUrl!, sink.url, 0);
    sink.mode = { kind: 'reply', code: 451, message: 'Try again later', times: 2 };
    await worker();
    await sendSegment();
    await sink.waitFor(2);
    await setup.drained();
    expect(sink.received.map((m) => m.headers.get('to')![0])).toHaveLength(2);
  });

  it('puts a message the server rejects (550) on the dead-letter queue with the SMTP error, and sends the others', async () => {
    setup = await queuedSetup(testRedisUrl!, sink.url, 0);
    sink.mode = { kind: 'reply', code: 550, message: 'Mailbox unavailable', times: 1 };
    await worker();
    await sendSegment();
    await sink.waitFor(1);
    await setup.drained();
    const dead = new Queue(deadQueueName(setup.config.queue), { connection: redisConnection(testRedisUrl!, false), prefix: setup.prefix });
    try {
      let jobs = await dead.getJobs(['waiting']);
      while (jobs.length === 0) jobs = await new Promise((r) => setTimeout(r, 50)).then(() => dead.getJobs(['waiting']));
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.data).toMatchObject({ smtpCode: 550, error: expect.stringContaining('Mailbox unavailable'), message: { to: { address: expect.any(String) } } });
    } finally {
      await dead.obliterate({ force: true });
      await dead.close();
    }
    expect(sink.received).toHaveLength(1);
  });
});
