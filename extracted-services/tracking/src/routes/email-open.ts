/**
 * `/email/{idHash}.gif` (docs/mautic/public-http.md §3.6): always the pixel, even for an
 * unknown hash; a known stat records the open. Mautic 5.1 does not filter bots here.
 */
import { isLookupableTrackingHash } from '../../../../legacy-adapter/src/codecs/ids.ts';
import { lastPathSegment } from '../../../../legacy-adapter/src/codecs/path-segment.ts';
import { findEmailStatByHash } from '../../../../legacy-adapter/src/data/emails.ts';
import { openerOf, recordOpen } from '../domain/email-open.ts';
import { pixelAnswer } from '../../../service-kit/answer.ts';
import type { TrackingHandler } from './run-handler.ts';

/** The email-open handler; the hash is the last path segment without `.gif`. */
export const emailOpenHandler: TrackingHandler = async (ctx, request) => {
  const hash = lastPathSegment(request.path).replace(/\.gif$/, '');
  const stat = isLookupableTrackingHash(hash) ? await findEmailStatByHash(ctx.db, hash) : undefined;
  const cookies = stat ? await recordOpen(ctx, openerOf(ctx, request), stat) : [];
  return pixelAnswer(request.method, request.httpVersion, cookies);
};
