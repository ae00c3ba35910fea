/**
 * The mail worker (README § Delivery): takes messages off the tenant's queue and hands them
 * to the mailer (pooled SMTP), `concurrency` at a time, within the queue's rate limit.
 *
 * Never twice, as far as SMTP allows:
 * - BullMQ gives a job to one worker at a time (a lock the worker renews); a worker killed
 *   mid-batch stops renewing, and after `lockMs` its jobs go back to the queue;
 * - before sending, the worker checks the stat's sent marker (`<prefix>:sent:<statId>`) and
 *   sets its intent marker; after the SMTP server accepted, it sets the sent marker. A job
 *   whose sent marker exists is done without sending;
 * - the one window no protocol closes: a crash after the server accepted and before the
 *   sent marker. The next try finds the intent marker without a sent marker, counts the
 *   message as uncertain (`sending_uncertain_total`), logs it and sends it again with the
 *   same deterministic `Message-ID`, so a duplicate can be recognised.
 *
 * A refusal with a 4xx (or no) SMTP reply is retried with exponential backoff; a 5xx reply,
 * or the last try, puts the job on the dead-letter queue with the SMTP error.
 */
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Mailer } from '../../../../legacy-adapter/src/mail/types.ts';
import type { SendingConfig } from '../config.ts';
import type { MailJob } from './mail-queue.ts';
import { deadQueueName, mailQueueName } from './mail-queue.ts';
import { redisConnection } from './redis-connection.ts';
import type { SendingMetrics } from './metrics.ts';

/** What the worker reports. */
export interface MailWorkerLog {
  sent(statId: number, messageId: string): void;
  uncertain(statId: number, messageId: string): void;
  dead(statId: number, error: string): void;
  error(err: unknown, what: string): void;
}

/** Options of `startMailWorker`. */
export interface MailWorkerOptions {
  redisUrl: string;
  settings: SendingConfig['queue'];
  mailer: Mailer;
  metrics: SendingMetrics;
  log: MailWorkerLog;
  /** BullMQ key prefix (tests use their own). Default `bull`. */
  prefix?: string;
}

/** A running worker. */
export interface RunningMailWorker {
  /** Finishes the messages in hand, then disconnects. */
  close(): Promise<void>;
}

/** Marker keys live 30 days: longer than any retry schedule. */
const MARKER_TTL_S = 30 * 24 * 3600;

/** The SMTP reply code behind a mailer error, if any. */
function replyCode(err: unknown): number | undefined {
  const cause = (err as { cause?: { responseCode?: unknown } }).cause;
  return typeof cause?.responseCode === 'number' ? cause.responseCode : undefined;
}

/**
 * The marker steps as two scripts, one round trip each (the profile of the bench showed the
 * four separate commands a message took as a tenth of the worker's time):
 * - claim: 0 when the sent marker exists, else sets the intent marker and answers 1, or 2
 *   when an intent marker was already there (an earlier try may have been accepted);
 * - done: sets the sent marker and drops the intent marker.
 */
const CLAIM_SCRIPT = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2], 'NX') then return 1 end
return 2`;
const DONE_SCRIPT = `redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('DEL', KEYS[2])
return 1`;

/** A Redis client with the two marker scripts. */
type MarkerRedis = Redis & {
  claimStat(sentKey: string, intentKey: string, now: string, ttlS: number): Promise<number>;
  markStatSent(sentKey: string, intentKey: string, messageId: string, ttlS: number): Promise<number>;
};

function markerRedis(url: string): MarkerRedis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  redis.defineCommand('claimStat', { numberOfKeys: 2, lua: CLAIM_SCRIPT });
  redis.defineCommand('markStatSent', { numberOfKeys: 2, lua: DONE_SCRIPT });
  return redis as MarkerRedis;
}

function sendJob(options: MailWorkerOptions, redis: MarkerRedis, keyPrefix: string) {
  const { mailer, metrics, log } = options;
  return async function send(job: Job<MailJob>): Promise<string> {
    const { statId, message } = job.data;
    const sentKey = `${keyPrefix}:sent:${statId}`;
    const intentKey = `${keyPrefix}:intent:${statId}`;
    const claim = await redis.claimStat(sentKey, intentKey, String(Date.now()), MARKER_TTL_S);
    if (claim === 0) {
      metrics.messages.inc({ outcome: 'already-sent' });
      return 'already-sent';
    }
    if (claim === 2) {
      metrics.uncertain.inc();
      log.uncertain(statId, message.messageId ?? '');
    }
    try {
      const sent = await mailer.send(message);
      await redis.markStatSent(sentKey, intentKey, sent.messageId, MARKER_TTL_S);
      metrics.messages.inc({ outcome: 'sent' });
      log.sent(statId, sent.messageId);
      return 'sent';
    } catch (err) {
      await redis.del(intentKey);
      const code = replyCode(err);
      if (code !== undefined && code >= 500) throw Object.assign(new UnrecoverableError(err instanceof Error ? err.message : String(err)), { cause: (err as { cause?: unknown }).cause });
      metrics.messages.inc({ outcome: 'retried' });
      throw err;
    }
  };
}

/**
 * Starts a worker on the tenant's queue.
 *
 * @example
 * const worker = await startMailWorker({ redisUrl, settings: config.queue, mailer, metrics, log });
 */
export async function startMailWorker(options: MailWorkerOptions): Promise<RunningMailWorker> {
  const { settings } = options;
  const prefix = options.prefix ?? 'bull';
  const redis = markerRedis(options.redisUrl);
  redis.on('error', (err) => options.log.error(err, 'redis'));
  const connection = redisConnection(options.redisUrl, true);
  const dead = new Queue(deadQueueName(settings), { connection, prefix });
  const worker = new Worker<MailJob>(mailQueueName(settings), sendJob(options, redis, `${prefix}:${mailQueueName(settings)}`), {
    connection, prefix, concurrency: settings.concurrency,
    lockDuration: settings.lockMs, stalledInterval: settings.lockMs, maxStalledCount: 10,
    ...(settings.ratePerSecond > 0 ? { limiter: { max: settings.ratePerSecond, duration: 1_000 } } : {}),
  });
  worker.on('error', (err) => options.log.error(err, 'worker'));
  worker.on('failed', (job, err) => {
    if (!job || !(err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1))) return;
    options.metrics.messages.inc({ outcome: 'dead' });
    options.log.dead(job.data.statId, err.message);
    void dead.add('dead', { ...job.data, error: err.message, smtpCode: replyCode(err) ?? null, failedAt: new Date().toISOString() }, { jobId: `stat-${job.data.statId}` })
      .catch((e: unknown) => options.log.error(e, 'dead-letter'));
  });
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      await dead.close();
      redis.disconnect();
    },
  };
}
