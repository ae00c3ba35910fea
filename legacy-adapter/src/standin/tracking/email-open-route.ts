/**
 * `/email/{idHash}.gif` (EmailBundle PublicController::trackingImageAction,
 * mautic-public-http.md §3.6): always the pixel, even for an unknown hash;
 * a known stat records the open. Bots are not filtered in Mautic 5.1.
 */
import type { RequestHandler } from 'express';
import { isLookupableTrackingHash } from '../../codecs/ids.ts';
import { findEmailStatByHash } from '../../data/emails.ts';
import type { StandinDeps } from '../deps.ts';
import { setCookies } from '../set-cookies.ts';
import { recordEmailOpen } from './email-open.ts';
import { sendTrackingPixel } from './page-view-routes.ts';

/** The email-open handler; the hash is the first regex group of the route. */
export function emailOpenHandler(deps: StandinDeps): RequestHandler {
  return async function trackEmailOpen(req, res) {
    const hash = String((req.params as Record<string, string>)[0] ?? '');
    const stat = isLookupableTrackingHash(hash) ? await findEmailStatByHash(deps.db, hash) : undefined;
    if (stat) setCookies(res, await recordEmailOpen(deps, req, stat));
    sendTrackingPixel(req, res);
  };
}
