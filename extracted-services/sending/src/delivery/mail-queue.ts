/**
 * The delivery queue (README § Delivery): one BullMQ queue per tenant and transport, so
 * the rate limit of a transport is shared by every worker of that tenant. A job is one
 * message, its id the stat's (`stat-<id>`), so adding it twice while it waits keeps one (and
 * once it is sent, the worker's sent marker skips a second one). Jobs carry the
 * rendered message: a worker needs Redis and SMTP, not the database.
 */
import type { EventEmitter } from 'node:events';
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
  /** The queue's name (`sending.<tenant>.<transport>`): pending-mail rows say which queue they wait for. */
  readonly name: string;
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
 * How long an enqueue may wait for Redis (ms). BullMQ waits for its connection to be ready
 * before adding, with no limit of its own: a Redis that is down would hold the request forever.
 */
export const ENQUEUE_TIMEOUT_MS = 2_000;

/**
 * A producer on the Redis at `url`. An enqueue that takes longer than `timeoutMs` answers false;
 * if its jobs still land later, the pending-mail sweeper's second add of them is harmless.
 *
 * @example
 * const queue = redisMailQueue(process.env.REDIS_URL!, config.queue);
 */
export function redisMailQueue(url: string, settings: SendingConfig['queue'], prefix?: string, timeoutMs = ENQUEUE_TIMEOUT_MS): MailQueue {
  const queue = new Queue<MailJob>(mailQueueName(settings), { connection: redisConnection(url, false), ...(prefix ? { prefix } : {}) });
  queue.on('error', () => {}); // a failed add is answered by enqueue's result
  const options = jobOptions(settings);
  return {
    name: mailQueueName(settings),
    async enqueue(deliveries) {
      if (deliveries.length === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<false>((done) => (timer = setTimeout(() => done(false), timeoutMs)));
      const added = queue.addBulk(deliveries.map((d) => ({
        name: 'send',
        data: { statId: d.statId, emailId: d.emailId, contactId: d.contactId, message: d.message },
        opts: { ...options, jobId: `stat-${d.statId}` },
      }))).then(() => true, () => false);
      try {
        return await Promise.race([added, gaveUp]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      // A connection attempt still pending at close (a Redis that hangs) is reported by BullMQ
      // on its connection after close() removed every listener, which would crash the
      // process: keep one there.
      const connection = (queue as unknown as { connection?: EventEmitter }).connection;
      await queue.close();
      connection?.on('error', () => {});
    },
  };
}
