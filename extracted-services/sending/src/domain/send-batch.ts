/**
 * One batch of a send (docs/mautic/public-http.md §5.5): in one transaction, the stat of
 * every contact (or the bounce DNC of an unusable address), then the hand-over:
 * - no queue (the embedded default, Mautic's `sync://`, §5.8): each message goes to the
 *   mailer inside the transaction; a refused one has its stat deleted and is failed;
 * - a queue: each message also gets a pending-mail row in the transaction; after the commit
 *   the messages are enqueued (a worker sends them) and their rows deleted. When Redis does
 *   not take them, or the process dies before it could, the rows stay and the pending-mail
 *   sweeper (`delivery/pending-mail-sweeper.ts`) enqueues them later: a message is never sent
 *   both here and by a worker;
 * - a dry run: nothing is sent or queued; the work is rolled back by the caller.
 * `emails.sent_count` grows by the messages handed over, once per batch, in its transaction.
 */
import { addSentCount } from '../../../../legacy-adapter/src/data/sending-emails.ts';
import type { Recipient } from '../../../../legacy-adapter/src/data/sending-recipients.ts';
import { deletePendingMail, insertPendingMail } from '../../../../legacy-adapter/src/data/pending-mail.ts';
import { deleteStat } from '../../../../legacy-adapter/src/data/sending-stats.ts';
import type { Db } from '../../../../legacy-adapter/src/db/types.ts';
import type { Mailer } from '../../../../legacy-adapter/src/mail/types.ts';
import type { SendingConfig } from '../config.ts';
import type { MailQueue } from '../delivery/mail-queue.ts';
import type { SendingMetrics } from '../delivery/metrics.ts';
import { startDelivery } from './delivery.ts';
import type { Delivery } from './delivery.ts';
import type { PreparedEmail } from './prepare.ts';

/** What one request's sends work with. */
export interface SendContext {
  /** The pool, or the dry run's transaction. */
  db: Db;
  config: SendingConfig;
  now: Date;
  dryRun: boolean;
  mailer: Mailer;
  queue?: MailQueue;
  metrics: SendingMetrics;
}

/** The outcome of a batch: how many were handed over, and why the others failed. */
export interface BatchOutcome {
  sent: number;
  failures: string[];
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Sends each message now; a refused one loses its stat. */
async function sendNow(ctx: SendContext, db: Db, deliveries: readonly Delivery[], outcome: BatchOutcome): Promise<void> {
  for (const delivery of deliveries) {
    try {
      await ctx.mailer.send(delivery.message);
      outcome.sent += 1;
      ctx.metrics.messages.inc({ outcome: 'sent' });
    } catch (err) {
      await deleteStat(db, delivery.statId);
      outcome.failures.push(reasonOf(err));
      ctx.metrics.messages.inc({ outcome: 'failed' });
    }
  }
}

/** The pending-mail row of a message bound for `queue`: the job it becomes, as JSON. */
function pendingMailOf(queue: string, delivery: Delivery, createdAtMs: number) {
  const { statId, emailId, contactId, message } = delivery;
  return { statId, queue, job: JSON.stringify({ statId, emailId, contactId, message }), createdAtMs };
}

/**
 * Sends the prepared email to a batch of contacts.
 *
 * @example
 * const { sent, failures } = await sendBatch(ctx, prepared, recipients);
 */
export async function sendBatch(ctx: SendContext, prepared: PreparedEmail, recipients: readonly Recipient[]): Promise<BatchOutcome> {
  const queued = ctx.queue !== undefined && !ctx.dryRun;
  const outcome: BatchOutcome = { sent: 0, failures: [] };
  const deliveries = await ctx.db.transaction(async (tx) => {
    const ready: Delivery[] = [];
    for (const recipient of recipients) {
      const start = await startDelivery(tx, ctx.config, prepared, recipient, ctx.now);
      if (start.ok) ready.push(start.delivery);
      else outcome.failures.push(start.reason);
    }
    if (ctx.dryRun) outcome.sent = ready.length;
    else if (!queued) await sendNow(ctx, tx, ready, outcome);
    else {
      // Handed over with the commit: on the queue right after it, or pending until the
      // sweeper queues them.
      outcome.sent = ready.length;
      const writtenAt = Date.now();
      await insertPendingMail(tx, ready.map((d) => pendingMailOf(ctx.queue!.name, d, writtenAt)));
    }
    await addSentCount(tx, prepared.email.id, outcome.sent);
    return ready;
  });
  if (!queued) return outcome;
  if (await ctx.queue!.enqueue(deliveries)) {
    ctx.metrics.messages.inc({ outcome: 'queued' }, deliveries.length);
    // A row left by a failed delete is enqueued again by the sweeper, which the job id and
    // the worker's sent marker make harmless.
    await deletePendingMail(ctx.db, deliveries.map((d) => d.statId)).catch(() => {});
  } else {
    ctx.metrics.messages.inc({ outcome: 'pending' }, deliveries.length);
  }
  return outcome;
}
