/**
 * The pending-mail sweeper (README § Delivery): puts on the mail queue the messages whose stats were
 * committed but which never reached the queue (the process died between the commit and the
 * enqueue, or Redis refused them). It runs in every replica of the sending service, which has
 * both the database and the queue; the mail workers keep needing neither.
 *
 * Enqueueing a message twice is harmless, so replicas need no coordination: a job still
 * waiting keeps its id (`stat-<id>`, one job), and one already sent meets the worker's sent
 * marker and is done without a send. Only rows older than `afterMs` are swept, so a request
 * that is between its commit and its enqueue is left alone.
 */
import { deletePendingMail, listPendingMailBefore } from '../../../../legacy-adapter/src/data/pending-mail.ts';
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import type { MailJob, MailQueue } from './mail-queue.ts';
import type { SendingMetrics } from './metrics.ts';

/** What the sweeper reports. */
export interface PendingMailSweeperLog {
  /** Messages put on the queue by one pass (only called when > 0). */
  swept(count: number, statIds: readonly number[]): void;
  /** A row whose job is not valid JSON: left in the table, skipped by every pass. */
  unreadable(statId: number): void;
  error(err: unknown): void;
}

/** Options of `sweepPendingMail` and `startPendingMailSweeper`. */
export interface PendingMailSweeperOptions {
  db: Db;
  queue: MailQueue;
  metrics: SendingMetrics;
  log: PendingMailSweeperLog;
  /** A row is swept once it is this old (ms). */
  afterMs: number;
  /** Rows read per statement. Default 200. */
  pageSize?: number;
  /** Clock in ms; default `Date.now`. */
  now?: () => number;
}

/**
 * One pass: every row of the queue older than `afterMs`, page by page, each page enqueued and
 * then deleted. Stops at the first page Redis refuses (the rows stay for the next pass).
 *
 * @returns how many messages it put on the queue
 * @example
 * const swept = await sweepPendingMail({ db, queue, metrics, log, afterMs: 30_000 });
 */
export async function sweepPendingMail(options: PendingMailSweeperOptions): Promise<number> {
  const { db, queue, log } = options;
  const pageSize = options.pageSize ?? 200;
  const before = (options.now ?? Date.now)() - options.afterMs;
  let after = 0;
  let swept = 0;
  for (;;) {
    const rows = await listPendingMailBefore(db, queue.name, before, pageSize, after);
    if (rows.length === 0) break;
    after = rows.at(-1)!.statId;
    const jobs: MailJob[] = [];
    for (const row of rows) {
      try {
        jobs.push(JSON.parse(row.job) as MailJob);
      } catch {
        log.unreadable(row.statId);
      }
    }
    if (!(await queue.enqueue(jobs))) break;
    await deletePendingMail(db, jobs.map((j) => j.statId));
    options.metrics.messages.inc({ outcome: 'recovered' }, jobs.length);
    if (jobs.length > 0) log.swept(jobs.length, jobs.map((j) => j.statId));
    swept += jobs.length;
    if (rows.length < pageSize) break;
  }
  return swept;
}

/** A running sweeper. */
export interface RunningPendingMailSweeper {
  /** Stops the timer and waits for a pass in progress. */
  close(): Promise<void>;
}

/**
 * Sweeps now and then every `intervalMs`, one pass at a time; a failing pass is logged and the
 * next one tries again.
 *
 * @example
 * const sweeper = startPendingMailSweeper({ db, queue, metrics, log, afterMs: 30_000, intervalMs: 5_000 });
 */
export function startPendingMailSweeper(options: PendingMailSweeperOptions & { intervalMs: number }): RunningPendingMailSweeper {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let running: Promise<void> = Promise.resolve();
  const pass = (): void => {
    running = sweepPendingMail(options).then(() => {}, (err: unknown) => options.log.error(err)).then(() => {
      if (!closed) timer = setTimeout(pass, options.intervalMs).unref();
    });
  };
  pass();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
