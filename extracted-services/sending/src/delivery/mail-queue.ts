/**
 * The delivery queue (README § Delivery): one BullMQ queue per tenant and transport, so
 * the rate limit of a transport is shared by every worker of that tenant. A job is one
 * message, its id the stat's (`stat-<id>`), so adding it twice keeps one. Jobs carry the
 * rendered message: a worker needs Redis and SMTP, not the database.
 */
import { Queue } from 'bullmq';
import type { OutgoingEmail } from '../../../../legacy-adapter/src/mail/types.ts';
import type { SendingConfig } from '../config.ts';
import type { Delivery } from '../domain/delivery.ts';
import { redisConnection } from './redis-connection.ts';

/** What a job holds. */
export interface MailJob {
  statId: number;
  emailId: number;
  contactId: number;
  message: OutgoingEmail;
}

/** Where messages wait for a worker. */
export interface MailQueue {
  /** Adds the messages; false when Redis did not take them (the caller sends them itself). */
  enqueue(deliveries: readonly Delivery[]): Promise<boolean>;
  close(): Promise<void>;
}

/** The queue name of a tenant and transport (`sending.<tenant>.<transport>`). */
export function mailQueueName(queue: SendingConfig['queue']): string {
  return `sending.${queue.tenant}.${queue.transport}`;
}

/** The dead-letter queue of a mail queue: messages that failed every try, with the SMTP error. */
export function deadQueueName(queue: SendingConfig['queue']): string {
  return `${mailQueueName(queue)}.dead`;
}

/** Options of every job: retries with exponential backoff, nothing kept once sent. */
export function jobOptions(queue: SendingConfig['queue']): { attempts: number; backoff: { type: 'exponential'; delay: number }; removeOnComplete: boolean; removeOnFail: number } {
  return { attempts: queue.attempts, backoff: { type: 'exponential', delay: queue.backoffMs }, removeOnComplete: true, removeOnFail: 1_000 };
}

/**
 * A producer on the Redis at `url`.
 *
 * @example
 * const queue = redisMailQueue(process.env.REDIS_URL!, config.queue);
 */
export function redisMailQueue(url: string, settings: SendingConfig['queue'], prefix?: string): MailQueue {
  const queue = new Queue<MailJob>(mailQueueName(settings), { connection: redisConnection(url, false), ...(prefix ? { prefix } : {}) });
  queue.on('error', () => {}); // a failed add is answered by enqueue's result
  const options = jobOptions(settings);
  return {
    async enqueue(deliveries) {
      if (deliveries.length === 0) return true;
      try {
        await queue.addBulk(deliveries.map((d) => ({
          name: 'send',
          data: { statId: d.statId, emailId: d.emailId, contactId: d.contactId, message: d.message },
          opts: { ...options, jobId: `stat-${d.statId}` },
        })));
        return true;
      } catch {
        return false;
      }
    },
    close: () => queue.close(),
  };
}
