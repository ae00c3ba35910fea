/**
 * `/r/{redirectId}` and `/redirect/{redirectId}` (PublicController::redirectAction,
 * docs/mautic/public-http.md §3.5): 404 for an unknown or unpublished redirect;
 * with a `ct` and a trackable visitor, a page hit for the `ct`'s contact
 * (an undecodable `ct` is blanked and the cookie-tracked contact gets the
 * hit); then 302 to the stored URL with the incoming query appended.
 */
import type { RequestHandler } from 'express';
import { findRedirectByRedirectId } from '../../data/pages.ts';
import type { StandinDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { sendRedirect } from '../responses.ts';
import { setCookies } from '../set-cookies.ts';
import { inspectClient } from '../contact/client-ip.ts';
import { trackContact } from '../contact/contact-tracker.ts';
import { buildHitQuery, decodeCtParam } from '../../codecs/hit-query.ts';
import { recordPageHit } from './page-hit.ts';
import { buildRedirectLocation } from '../../codecs/redirect-location.ts';
import { lastPathSegment } from '../../codecs/path-segment.ts';
import { readParameters } from './request-input.ts';

/** Optional hook for "Invalid clickthrough value" lines (Mautic logs them and goes on). */
export type ClickLog = (message: string) => void;

/**
 * The click handler; the redirect id is the last path segment.
 *
 * @param log receives Mautic's notice for an undecodable `ct`.
 */
export function clickHandler(deps: StandinDeps, log: ClickLog = () => {}): RequestHandler {
  return async function trackClick(req, res) {
    const redirectId = lastPathSegment(req.path);
    const redirect = redirectId.length <= 25 ? await findRedirectByRedirectId(deps.db, redirectId) : undefined;
    if (!redirect || !redirect.is_published) throw notFound(redirect?.url ?? 'n/a');

    const { get } = await readParameters(req);
    const ct = decodeCtParam(get);
    let contactFields: Record<string, unknown> | undefined;
    if (ct.raw !== undefined && inspectClient(req.headers, req.socket.remoteAddress, deps.config).trackable) {
      if (ct.error) log(`Invalid clickthrough value: ${ct.raw} (${ct.error.code})`);
      const query = buildHitQuery(get, { redirectUrl: redirect.url, clickthrough: ct.clickthrough ?? '' });
      const tracked = await trackContact(deps, req, { persist: true, query: get, identifyByQuery: true, clickthrough: ct.clickthrough });
      setCookies(res, tracked.cookies);
      if (tracked.lead && tracked.device) {
        setCookies(res, (await recordPageHit(deps, req, tracked, { code: 200, redirect, query })).cookies);
        contactFields = tracked.lead as unknown as Record<string, unknown>;
      }
    }
    const location = buildRedirectLocation({ storedUrl: redirect.url, query: get, rawCt: ct.raw, contactFields });
    if (location === null) throw notFound(redirect.url);
    sendRedirect(res, location);
  };
}
