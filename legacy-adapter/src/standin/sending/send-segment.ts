import type { Request, Response } from 'express';
import { clockOf, type StandinDeps } from '../deps.ts';
import { sendJson } from '../responses.ts';
import { hasPermission, PERMISSION_BITS } from './api-auth.ts';
import { API_MESSAGES, ApiError } from './api-errors.ts';
import { openApiCall, parseId } from './api-gate.ts';
import { addSentCount, findEmail } from './email-store.ts';
import { emailSegments, pendingRecipients } from './recipient-store.ts';
import { BAD_EMAIL_COMMENT } from './send-contact.ts';
import { deliver, prepareEmail } from './send-pipeline.ts';
import { addBounceDnc } from './stat-store.ts';

/** Contacts per batch when the caller gives no `batch` (counters are written once per batch). */
export const DEFAULT_BATCH_SIZE = 50;

/** A positive integer parameter, or null when absent/0; anything else is a 400. */
function positiveInt(raw: unknown): number | null {
  if (raw === undefined || raw === null || raw === '' || raw === 0 || raw === '0') return null;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 0) throw new ApiError(400, API_MESSAGES.badRequest);
  return value;
}

/**
 * `lists`: segment ids to send to instead of all the email's segments. Mautic
 * passes the value to `sendEmailToLists`, which expects entities (§5.2 says a
 * 500 is likely); the stand-in accepts ids and rejects anything else with 400.
 */
function readLists(raw: unknown): number[] | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const values = Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw as object) : [raw];
  return values.map((v) => {
    const id = positiveInt(v);
    if (id === null) throw new ApiError(400, API_MESSAGES.badRequest);
    return id;
  });
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
  const lists = readLists(params.lists);
  const limit = positiveInt(params.limit);
  const batch = positiveInt(params.batch) ?? DEFAULT_BATCH_SIZE;

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
