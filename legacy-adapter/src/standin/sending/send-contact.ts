import type { Request, Response } from 'express';
import { clockOf, type StandinDeps } from '../deps.ts';
import { readAssetIds, readCustomTokens } from '../../codecs/mautic-api.ts';
import { sendJson } from '../responses.ts';
import { hasPermission, PERMISSION_BITS } from './api-auth.ts';
import { API_MESSAGES, ApiError } from './api-errors.ts';
import { openApiCall, parseId } from './api-gate.ts';
import { addSentCount, findEmail } from '../../data/sending-emails.ts';
import { findRecipient } from '../../data/sending-recipients.ts';
import { deliver, prepareEmail } from './send-pipeline.ts';
import { addBounceDnc } from '../../data/sending-stats.ts';

/** Comment of the bounce DNC for an unusable address (`mautic.email.bounce.reason.bad_email`, inferred wording). */
export const BAD_EMAIL_COMMENT = 'Bad email';

/**
 * `POST /api/emails/{id}/contact/{contactId}/send` (docs/mautic/public-http.md §5.3):
 * a transactional send to one contact, with `tokens` and `assetAttachments`. The email's published state and the
 * contact's DNC are ignored (5.x); the message gets no List-Unsubscribe.
 */
export async function sendToContact(deps: StandinDeps, req: Request, res: Response): Promise<void> {
  const { caller, params } = await openApiCall(deps, req);
  const emailId = parseId(req.params.id as string | undefined);
  const email = emailId === undefined ? undefined : await findEmail(deps.db, emailId);
  if (!email) throw new ApiError(404, API_MESSAGES.notFound);
  const viewLevels = { own: PERMISSION_BITS.viewown, other: PERMISSION_BITS.viewother };
  if (!hasPermission(caller, 'email:emails', viewLevels, email.createdBy)) throw new ApiError(403, API_MESSAGES.forbidden);
  const contactId = parseId(req.params.contactId as string | undefined);
  const recipient = contactId === undefined ? undefined : await findRecipient(deps.db, contactId);
  if (!recipient) throw new ApiError(404, API_MESSAGES.contactNotFound);
  const editLevels = { own: PERMISSION_BITS.editown, other: PERMISSION_BITS.editother };
  if (!hasPermission(caller, 'lead:leads', editLevels, recipient.ownerId)) throw new ApiError(403, API_MESSAGES.forbidden);

  const customTokens = readCustomTokens(params.tokens);
  if (!customTokens) throw new ApiError(400, API_MESSAGES.badRequest);
  const assetIds = readAssetIds(params.assetAttachments);
  if (!assetIds) throw new ApiError(400, API_MESSAGES.badRequest);
  const prepared = await prepareEmail(deps, email, { kind: 'transactional', source: ['api', 0], customTokens }, assetIds);
  const result = await deliver(deps, prepared, recipient);
  if (result.ok) {
    await addSentCount(deps.db, email.id, 1);
    sendJson(res, 200, { success: true });
    return;
  }
  if (result.badAddress) await addBounceDnc(deps.db, recipient.id, email.id, BAD_EMAIL_COMMENT, clockOf(deps)());
  sendJson(res, 200, { success: false, failed: result.reason });
}
