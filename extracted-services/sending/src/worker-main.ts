/**
 * `npm run serve -- sending-worker`: the mail worker alone, as a container runs it. Reads
 * REDIS_URL (required), SMTP_URL (unset: the outbox folder), the `SENDING_*` queue settings,
 * and `SENDING_QUEUE_PREFIX` (BullMQ key prefix, default `bull`). It needs no database: jobs
 * carry the rendered message. SIGTERM finishes the messages in hand, then exits 0.
 */
import pino from 'pino';
import { createMailer } from '../../../legacy-adapter/src/mail/create-mailer.ts';
import { createSmtpMailer } from '../../../legacy-adapter/src/mail/smtp-mailer.ts';
import { sendingConfigFromEnv } from './config-from-env.ts';
import { mailQueueName } from './delivery/mail-queue.ts';
import { createSendingMetrics } from './delivery/metrics.ts';
import { startMailWorker } from './delivery/mail-worker.ts';
import { exitOnStopSignal } from '../../service-kit/run-service.ts';

/** Runs the worker until SIGTERM/SIGINT. */
export async function runMailWorker(env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.REDIS_URL) throw new Error('REDIS_URL: the mail worker reads the queue from Redis; without REDIS_URL the sending service sends every message itself');
  const config = sendingConfigFromEnv(env);
  // One pooled SMTP connection per message in flight.
  const mailer = env.SMTP_URL ? createSmtpMailer(env.SMTP_URL, { maxConnections: config.queue.concurrency }) : createMailer(env);
  const logger = pino({ name: 'sending-worker' });
  const worker = await startMailWorker({
    redisUrl: env.REDIS_URL, settings: config.queue, mailer, metrics: createSendingMetrics(),
    ...(env.SENDING_QUEUE_PREFIX ? { prefix: env.SENDING_QUEUE_PREFIX } : {}),
    log: {
      sent: (statId, messageId) => logger.info({ statId, messageId }, 'message sent'),
      uncertain: (statId, messageId) => logger.warn({ statId, messageId }, 'message sent again: an earlier try may have been accepted'),
      dead: (statId, error) => logger.error({ statId, error }, 'message dead-lettered'),
      error: (err, what) => logger.error({ err }, what),
    },
  });
  process.stdout.write(`sending worker reading ${mailQueueName(config.queue)}\n`);
  exitOnStopSignal('sending-worker', () => worker.close().then(() => mailer.close()));
}
