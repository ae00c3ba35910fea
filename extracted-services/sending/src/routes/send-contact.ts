/**
 * `POST /api/emails/{id}/contact/{contactId}/send` (docs/mautic/public-http.md §5.3): a
 * transactional send to one contact, with `tokens` and `assetAttachments`. Checks in Mautic's order; the email's published state
 * and the contact's DNC are ignored (5.x); no List-Unsubscribe.
 */
import { EDIT_LEVELS, VIEW_LEVELS, hasPermission, parseEntityId, readAssetIds, readCustomTokens } from '../../../../legacy-adapter/src/codecs/mautic-api.ts';
import { findEmail } from '../../../../legacy-adapter/src/data/sending-emails.ts';
import { findRecipient } from '../../../../legacy-adapter/src/data/sending-recipients.ts';
import { prepareEmail } from '../domain/prepare.ts';
import { sendBatch } from '../domain/send-batch.ts';
import { SendingError } from '../errors.ts';
import type { ApiController } from './run-api.ts';

/** The controller. */
export const sendToContact: ApiController = async function sendToContact(ctx, { caller, params, path }) {
  const emailId = parseEntityId(path.id);
  const email = emailId === undefined ? undefined : await findEmail(ctx.db, emailId);
  if (!email) throw new SendingError('SND_ERR_EMAIL_NOT_FOUND');
  if (!hasPermission(caller, 'email:emails', VIEW_LEVELS, email.createdBy)) throw new SendingError('SND_ERR_FORBIDDEN');
  const contactId = parseEntityId(path.contactId);
  const recipient = contactId === undefined ? undefined : await findRecipient(ctx.db, contactId);
  if (!recipient) throw new SendingError('SND_ERR_CONTACT_NOT_FOUND');
  if (!hasPermission(caller, 'lead:leads', EDIT_LEVELS, recipient.ownerId)) throw new SendingError('SND_ERR_FORBIDDEN');
  const customTokens = readCustomTokens(params.tokens);
  if (!customTokens) throw new SendingError('SND_ERR_BAD_PARAMETER');
  const assetIds = readAssetIds(params.assetAttachments);
  if (!assetIds) throw new SendingError('SND_ERR_BAD_PARAMETER');

  const prepared = await prepareEmail(ctx.db, ctx.config.mautic.siteUrl, email, { kind: 'transactional', source: ['api', 0], customTokens }, ctx.now, { uploadDir: ctx.config.mautic.uploadDir, assetIds });
  const outcome = await sendBatch(ctx, prepared, [recipient]);
  if (outcome.sent === 1) return { status: 200, body: { success: true } };
  return { status: 200, body: { success: false, failed: outcome.failures.join('; ') } };
};
