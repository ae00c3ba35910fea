import type { Request, Response } from 'express';
import { clockOf, type StandinDeps } from '../deps.ts';
import { readCount, readSegmentIds } from '../../codecs/mautic-api.ts';
import { sendJson } from '../responses.ts';
import { hasPermission, PERMISSION_BITS } from './api-auth.ts';
import { API_MESSAGES, ApiError } from './api-errors.ts';
import { openApiCall, parseId } from './api-gate.ts';
import { addSentCount, findEmail } from '../../data/sending-emails.ts';
import { emailSegments, pendingRecipients } from '../../data/sending-recipients.ts';
import { BAD_EMAIL_COMMENT } from './send-contact.ts';
import { deliver, prepareEmail } from './send-pipeline.ts';
import { addBounceDnc } from '../../data/sending-stats.ts';

/** Contacts per batch when the caller gives no `batch` (counters are written once per batch). */
export const DEFAULT_BATCH_SIZE = 50;

/** A count parameter, or the 400 Mautic's body listener gives for a malformed one. */
function countParam(raw: unknown): number | null {
  const value = readCount(raw);
  if (value === undefined) throw new ApiError(400, API_MESSAGES.badRequest);
  return value;
}

/**
 * `POST /api/emails/{id}/send` (docs/mautic/public-http.md §5.2): sends a segment
 * email to its pending contacts (DNC and earlier recipients skipped),
 * synchronously, in batches. Emails that are not `list` emails send nothing.
 */
export async function sendToSegments(deps: StandinDeps, req: Request, res: Response): Promise<void> {
  const { caller, params } = await openApiCall(deps, req);
  const emailId = parseId(req.params.id as string | undefined);
  const email = emailId === undefined ? undefined : await findEmail(deps.db, emailId);
  if (!email || !email.isPublished) throw new ApiError(404, API_MESSAGES.notFound);
  const viewLevels = { own: PERMISSION_BITS.viewown, other: PERMISSION_BITS.viewother };
  if (!hasPermission(caller, 'email:emails', viewLevels, email.createdBy)) throw new ApiError(403, API_MESSAGES.forbidden);
  const lists = readSegmentIds(params.lists);
  if (lists === undefined) throw new ApiError(400, API_MESSAGES.badRequest);
  const limit = countParam(params.limit);
  const batch = countParam(params.batch) ?? DEFAULT_BATCH_SIZE;

  let sentCount = 0;
  let failedRecipients = 0;
  if (email.emailType === 'list') {
    const segments = lists ?? (await emailSegments(deps.db, email.id));
    const recipients = await pendingRecipients(deps.db, email.id, segments, limit);
    const prepared = recipients.length > 0 ? await prepareEmail(deps, email, { kind: 'list', source: ['email', email.id], customTokens: {} }) : undefined;
    for (let start = 0; prepared && start < recipients.length; start += batch) {
      let sentInBatch = 0;
      for (const recipient of recipients.slice(start, start + batch)) {
        const result = await deliver(deps, prepared, recipient);
        if (result.ok) sentInBatch += 1;
        else {
          failedRecipients += 1;
          if (result.badAddress) await addBounceDnc(deps.db, recipient.id, email.id, BAD_EMAIL_COMMENT, clockOf(deps)());
        }
      }
      await addSentCount(deps.db, email.id, sentInBatch);
      sentCount += sentInBatch;
    }
  }
  sendJson(res, 200, { success: 1, sentCount, failedRecipients });
}
