/**
 * The rate limit is per tenant (and transport), not per Redis (issue #15, README § Delivery):
 * each tenant has its own queue, `sending.<tenant>.<transport>`, whose limiter all of that
 * tenant's workers share. A tenant held to 5 messages a second does not slow another tenant
 * on the same Redis and the same SMTP server.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { createSmtpMailer } from '../../../legacy-adapter/src/mail/smtp-mailer.ts';
import type { Mailer } from '../../../legacy-adapter/src/mail/types.ts';
import { describeWithRedis, testRedisUrl } from '../../../test-support/services.ts';
import { sendingConfig } from '../src/config.ts';
import type { SendingConfig } from '../src/config.ts';
import { mailQueueName, redisMailQueue } from '../src/delivery/mail-queue.ts';
import type { MailQueue } from '../src/delivery/mail-queue.ts';
import { createSendingMetrics } from '../src/delivery/metrics.ts';
import { startMailWorker } from '../src/delivery/mail-worker.ts';
import type { RunningMailWorker } from '../src/delivery/mail-worker.ts';
import { redisConnection } from '../src/delivery/redis-connection.ts';
import type { Delivery } from '../src/domain/delivery.ts';
import { startSmtpSink } from './smtp-sink.ts';
import type { SmtpSink } from './smtp-sink.ts';

const QUIET = { sent: () => {}, uncertain: () => {}, dead: () => {}, error: () => {} };
/** The limited tenant: 25 messages at 5 a second cannot all leave in less than 4 s (five windows). */
const LIMITED = { tenant: 'acme', rate: 5, messages: 25 };
/** The other tenant: no limit of its own, 15 messages. */
const FREE = { tenant: 'globex', rate: 0, messages: 15 };

function deliveries(tenant: string, n: number): Delivery[] {
  return Array.from({ length: n }, (_, i) => ({
    statId: i + 1, emailId: 1, contactId: i + 1,
    message: { from: { address: 'news@example.com' }, to: { address: `c${i}@${tenant}.test` }, subject: `Hello ${i}`, html: '<p>Hi</p>', text: '', headers: {} },
  }));
}

describeWithRedis('rate limit per tenant', () => {
  const prefix = `sndrate${randomBytes(5).toString('hex')}`;
  let sink: SmtpSink;
  const closing: { close(): Promise<void> }[] = [];

  function settings(tenant: string, rate: number): SendingConfig['queue'] {
    return sendingConfig({ queue: { tenant, ratePerSecond: rate, concurrency: 5, lockMs: 5_000 } }).queue;
  }

  async function startTenant(tenant: string, rate: number): Promise<MailQueue> {
    const mailer: Mailer = createSmtpMailer(sink.url);
    const queue = redisMailQueue(testRedisUrl!, settings(tenant, rate), prefix);
    const worker: RunningMailWorker = await startMailWorker({ redisUrl: testRedisUrl!, settings: settings(tenant, rate), mailer, metrics: createSendingMetrics(), log: QUIET, prefix });
    closing.push(worker, mailer, queue);
    return queue;
  }

  beforeEach(async () => {
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    for (const part of closing.splice(0)) await part.close();
    for (const tenant of [LIMITED.tenant, FREE.tenant]) {
      const queue = new Queue(mailQueueName(settings(tenant, 0)), { connection: redisConnection(testRedisUrl!, false), prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await sink.close();
  });

  it('one tenant held to 5/s does not slow another tenant on the same Redis and SMTP server', async () => {
    const limited = await startTenant(LIMITED.tenant, LIMITED.rate);
    const free = await startTenant(FREE.tenant, FREE.rate);
    const started = performance.now();
    expect(await Promise.all([limited.enqueue(deliveries(LIMITED.tenant, LIMITED.messages)), free.enqueue(deliveries(FREE.tenant, FREE.messages))])).toEqual([true, true]);
    await sink.waitFor(LIMITED.messages + FREE.messages);

    const arrivals = (tenant: string) => sink.received.flatMap((m, i) => (m.headers.get('to')![0]!.endsWith(`@${tenant}.test`) ? [sink.arrivals[i]! - started] : []));
    const ofLimited = arrivals(LIMITED.tenant);
    const ofFree = arrivals(FREE.tenant);
    expect([ofLimited.length, ofFree.length]).toEqual([LIMITED.messages, FREE.messages]);
    // The limit holds: five windows of one second at least (generous: 3 s).
    expect(ofLimited[ofLimited.length - 1]! - ofLimited[0]!).toBeGreaterThan(3_000);
    // The other tenant was done while the limited one still had messages waiting for their window.
    const freeDone = ofFree[ofFree.length - 1]!;
    expect(ofLimited.filter((t) => t <= freeDone).length).toBeLessThanOrEqual(LIMITED.messages - LIMITED.rate);
  }, 30_000);
});
