/**
 * `/r/{redirectId}` and `/redirect/{redirectId}` (docs/mautic/public-http.md §3.5): 404
 * for an unknown or unpublished redirect; with a `ct` and a trackable visitor, a hit for
 * the `ct`'s contact (an undecodable `ct` is blanked and the cookie-tracked contact gets
 * the hit, with Mautic's notice); then 302 to the stored URL with the query appended.
 */
import { buildHitQuery, decodeCtParam } from '../../../../legacy-adapter/src/codecs/hit-query.ts';
import { lastPathSegment } from '../../../../legacy-adapter/src/codecs/path-segment.ts';
import { buildRedirectLocation } from '../../../../legacy-adapter/src/codecs/redirect-location.ts';
import { findRedirectByRedirectId } from '../../../../legacy-adapter/src/data/pages.ts';
import { trackVisitor } from '../../../service-kit/visitor/contact.ts';
import { finishHit, startHit } from '../domain/page-hit.ts';
import { inspectVisitor } from '../../../service-kit/visitor/visitor.ts';
import { TrackingError } from '../errors.ts';
import { redirectAnswer } from '../../../service-kit/answer.ts';
import type { TrackingHandler } from './run-handler.ts';

/** Redirect ids are 25 characters; a longer segment names none. */
const MAX_REDIRECT_ID_LENGTH = 25;

/**
 * The click handler.
 *
 * @param notice receives "Invalid clickthrough value: …" lines.
 */
export function clickHandler(notice: (message: string) => void): TrackingHandler {
  return async function trackClick(ctx, request) {
    const redirectId = lastPathSegment(request.path);
    const redirect = redirectId.length <= MAX_REDIRECT_ID_LENGTH ? await findRedirectByRedirectId(ctx.db, redirectId) : undefined;
    if (!redirect?.is_published) throw new TrackingError('TRK_ERR_NOT_FOUND', { uri: redirect?.url ?? 'n/a' });
    const ct = decodeCtParam(request.get);
    const cookies: string[] = [];
    let contactFields: Record<string, unknown> | undefined;
    if (ct.raw !== undefined && inspectVisitor(request, ctx.config.mautic, ctx.config.botDetector).trackable) {
      if (ct.error) notice(`Invalid clickthrough value: ${ct.raw} (${ct.error.code})`);
      const query = buildHitQuery(request.get, { redirectUrl: redirect.url, clickthrough: ct.clickthrough ?? '' });
      const tracked = await trackVisitor(ctx, request, { create: true, query: request.get, byQuery: true, clickthrough: ct.clickthrough });
      cookies.push(...tracked.cookies);
      if (tracked.lead && tracked.device) {
        const { completion, cookie } = await startHit(ctx, request, tracked, { code: 200, query, redirectId: redirect.id });
        cookies.push(cookie, ...(await finishHit(ctx, completion)));
        contactFields = tracked.lead as unknown as Record<string, unknown>;
      }
    }
    const location = buildRedirectLocation({ storedUrl: redirect.url, query: request.get, rawCt: ct.raw, contactFields });
    if (location === null) throw new TrackingError('TRK_ERR_NOT_FOUND', { uri: redirect.url });
    return redirectAnswer(location, cookies);
  };
}
