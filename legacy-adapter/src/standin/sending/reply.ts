import type { Request, Response } from 'express';
import { isLookupableTrackingHash } from '../../codecs/ids.ts';
import { clockOf, type StandinDeps } from '../deps.ts';
import { sendJson } from '../responses.ts';
import { API_MESSAGES, ApiError } from './api-errors.ts';
import { openApiCall } from './api-gate.ts';
import { findStatByHash, recordReply } from '../../data/sending-stats.ts';

/**
 * `POST /api/emails/reply/{trackingHash}` (docs/mautic/public-http.md §5.4): records
 * a reply to a sent email and marks its stat read; 201 `{"success":true}`.
 */
export async function replyToStat(deps: StandinDeps, req: Request, res: Response): Promise<void> {
  await openApiCall(deps, req);
  const hash = String(req.params.trackingHash ?? '');
  const stat = isLookupableTrackingHash(hash) ? await findStatByHash(deps.db, hash) : undefined;
  if (!stat) throw new ApiError(404, API_MESSAGES.statNotFound(hash));
  await recordReply(deps.db, stat.id, clockOf(deps)());
  sendJson(res, 201, { success: true });
}
