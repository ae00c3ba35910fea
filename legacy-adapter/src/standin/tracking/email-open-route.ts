/**
 * `/email/{idHash}.gif` (EmailBundle PublicController::trackingImageAction,
 * docs/mautic/public-http.md §3.6): always the pixel, even for an unknown hash;
 * a known stat records the open. Bots are not filtered in Mautic 5.1.
 */
import type { RequestHandler } from 'express';
import { isLookupableTrackingHash } from '../../codecs/ids.ts';
import { findEmailStatByHash } from '../../data/emails.ts';
import type { StandinDeps } from '../deps.ts';
import { setCookies } from '../set-cookies.ts';
import { recordEmailOpen } from './email-open.ts';
import { sendTrackingPixel } from './page-view-routes.ts';
import { lastPathSegment } from '../../codecs/path-segment.ts';

/** The email-open handler; the hash is the last path segment without `.gif`. */
export function emailOpenHandler(deps: StandinDeps): RequestHandler {
  return async function trackEmailOpen(req, res) {
    const hash = lastPathSegment(req.path).replace(/\.gif$/, '');
    const stat = isLookupableTrackingHash(hash) ? await findEmailStatByHash(deps.db, hash) : undefined;
    if (stat) setCookies(res, await recordEmailOpen(deps, req, stat));
    sendTrackingPixel(req, res);
  };
}
