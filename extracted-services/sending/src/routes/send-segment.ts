/**
 * `POST /api/emails/{id}/send` (docs/mautic/public-http.md §5.2): a segment email to the
 * pending contacts of its segments (never sent this email, no DNC), `batch` at a time,
 * at most `limit`. The segment streams by contact id, one batch in memory at a time.
 * Emails that are not `list` emails send nothing.
 */
import { VIEW_LEVELS, hasPermission, parseEntityId, readCount, readSegmentIds } from '../../../../legacy-adapter/src/codecs/mautic-api.ts';
import { findEmail } from '../../../../legacy-adapter/src/data/sending-emails.ts';
import type { EmailRow } from '../../../../legacy-adapter/src/data/sending-emails.ts';
import { emailSegments, pendingRecipients } from '../../../../legacy-adapter/src/data/sending-recipients.ts';
import { prepareEmail } from '../domain/prepare.ts';
import type { PreparedEmail } from '../domain/prepare.ts';
import { sendBatch } from '../domain/send-batch.ts';
import type { SendContext } from '../domain/send-batch.ts';
import { SendingError } from '../errors.ts';
import type { ApiController } from './run-api.ts';

function countParam(raw: unknown): number | null {
  const value = readCount(raw);
  if (value === undefined) throw new SendingError('SND_ERR_BAD_PARAMETER');
  return value;
}

/** Sends to every pending contact, batch by batch; returns Mautic's counts. */
async function sendToPending(ctx: SendContext, email: EmailRow, segments: readonly number[], limit: number | null, batch: number): Promise<{ sent: number; failed: number }> {
  let prepared: PreparedEmail | undefined;
  let after = 0;
  let taken = 0;
  const totals = { sent: 0, failed: 0 };
  while (limit === null || taken < limit) {
    const size = limit === null ? batch : Math.min(batch, limit - taken);
    const recipients = await pendingRecipients(ctx.db, email.id, segments, size, after);
    if (recipients.length === 0) break;
    prepared ??= await prepareEmail(ctx.db, ctx.config.mautic.siteUrl, email, { kind: 'list', source: ['email', email.id], customTokens: {} }, ctx.now, { uploadDir: ctx.config.mautic.uploadDir, assetIds: [] });
    const outcome = await sendBatch(ctx, prepared, recipients);
    totals.sent += outcome.sent;
    totals.failed += outcome.failures.length;
    taken += recipients.length;
    after = recipients[recipients.length - 1]!.id;
  }
  return totals;
}

/** The controller. */
export const sendToSegment: ApiController = async function sendToSegment(ctx, { caller, params, path }) {
  const emailId = parseEntityId(path.id);
  const email = emailId === undefined ? undefined : await findEmail(ctx.db, emailId);
  if (!email || !email.isPublished) throw new SendingError('SND_ERR_EMAIL_NOT_FOUND');
  if (!hasPermission(caller, 'email:emails', VIEW_LEVELS, email.createdBy)) throw new SendingError('SND_ERR_FORBIDDEN');
  const lists = readSegmentIds(params.lists);
  if (lists === undefined) throw new SendingError('SND_ERR_BAD_PARAMETER');
  const limit = countParam(params.limit);
  const batch = countParam(params.batch) ?? ctx.config.defaultBatchSize;
  const totals = email.emailType === 'list' ? await sendToPending(ctx, email, lists ?? (await emailSegments(ctx.db, email.id)), limit, batch) : { sent: 0, failed: 0 };
  return { status: 200, body: { success: 1, sentCount: totals.sent, failedRecipients: totals.failed } };
};
