/**
 * `POST /api/emails/reply/{trackingHash}` (docs/mautic/public-http.md §5.4): records a reply
 * to a sent message, an `email_stat_replies` row (`message_id` = `api-<random>`), and marks
 * its stat read; 201 `{"success":true}`. Only authentication is checked: Mautic's
 * `replyAction` asks for no permission. An unknown hash is a 404 naming it.
 */
import { isLookupableTrackingHash } from '../../../../legacy-adapter/src/codecs/ids.ts';
import { findStatByHash, recordReply } from '../../../../legacy-adapter/src/data/sending-stats.ts';
import { SendingError } from '../errors.ts';
import type { ApiController } from './run-api.ts';

/** The controller. */
export const replyToStat: ApiController = async function replyToStat(ctx, { path }) {
  const hash = path.trackingHash ?? '';
  const stat = isLookupableTrackingHash(hash) ? await findStatByHash(ctx.db, hash) : undefined;
  if (!stat) throw new SendingError('SND_ERR_STAT_NOT_FOUND', { hash });
  await recordReply(ctx.db, stat.id, ctx.now);
  return { status: 201, body: { success: true } };
};
