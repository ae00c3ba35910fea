/**
 * The mail worker, as `npm run serve -- worker` starts it (scripts/workers.ts runs it alone or
 * beside tracking's phase 2, with one probe port and one SIGTERM). Reads REDIS_URL (required),
 * SMTP_URL (unset: the outbox folder), the `SENDING_*` queue and SMTP pool settings,
 * `SENDING_QUEUE_PREFIX` (BullMQ key prefix, default `bull`) and `LOG_LEVEL` (`info`: a line
 * per message sent). It needs no database: jobs carry the rendered message. Closing finishes
 * the messages in hand (sent and marked); a message cut short by the grace period's SIGKILL
 * keeps its BullMQ lock until `SENDING_LOCK_MS` lapses, then goes back to the queue
 * (README § Delivery).
 */
import pino from 'pino';
import { createMailer } from '../../../legacy-adapter/src/mail/create-mailer.ts';
import { createSmtpMailer } from '../../../legacy-adapter/src/mail/smtp-mailer.ts';
import { sendingConfigFromEnv } from './config-from-env.ts';
import { mailQueueName } from './delivery/mail-queue.ts';
import { createSendingMetrics } from './delivery/metrics.ts';
import { startMailWorker } from './delivery/mail-worker.ts';
import type { RunningWorker } from '../../service-kit/running-worker.ts';
import { redisReadiness } from '../../service-kit/worker-readiness.ts';

/** Starts the worker on the mail queue. */
export async function startMailQueueWorker(env: NodeJS.ProcessEnv): Promise<RunningWorker> {
  if (!env.REDIS_URL) throw new Error('REDIS_URL: the mail worker reads the queue from Redis; without REDIS_URL the sending service sends every message itself');
  const config = sendingConfigFromEnv(env);
  // One pooled SMTP connection per message in flight unless SENDING_SMTP_MAX_CONNECTIONS says otherwise.
  const { maxConnections = config.queue.concurrency, maxMessages } = config.smtpPool;
  const mailer = env.SMTP_URL ? createSmtpMailer(env.SMTP_URL, { maxConnections, maxMessages }) : createMailer(env);
  const logger = pino({ name: 'sending-worker', level: env.LOG_LEVEL || 'info' });
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
  const redis = redisReadiness(env.REDIS_URL);
  return {
    reading: `sending worker reading ${mailQueueName(config.queue)}`,
    draining: 'sending worker draining: finishing the messages in hand',
    notFoundCode: 'SND_ERR_ROUTE_NOT_FOUND',
    check: () => redis.check(),
    async close() {
      await worker.close();
      await Promise.all([mailer.close(), redis.close()]);
    },
  };
}
