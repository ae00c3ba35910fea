/**
 * hitPage(null, request) for the pixel and `/mtc/event` (docs/mautic/public-http.md §2.8,
 * §3.2, §3.3): decode `ct` first (a bad one stops before anything is written), track the
 * visitor, record the hit. The request handlers and the fast-mode worker both run it.
 */
import { buildHitQuery, decodeCtParam } from '../../../../legacy-adapter/src/codecs/hit-query.ts';
import { TrackingError } from '../errors.ts';
import { trackVisitor } from '../../../service-kit/visitor/contact.ts';
import type { TrackedVisitor } from '../../../service-kit/visitor/contact.ts';
import type { TrackingContext } from './context.ts';
import { finishHit, startHit } from './page-hit.ts';
import { headerOf } from '../../../service-kit/visitor/tracking-request.ts';
import type { TrackingRequest } from '../../../service-kit/visitor/tracking-request.ts';

/** A page view that was tracked, or refused for a `ct` that is not an array. */
export type PageView = { tracked: TrackedVisitor; cookies: string[] } | { badCt: string };

/**
 * Records a page view.
 *
 * @param newDeviceTrackingId fast mode: the tracking id the answer already gave the browser,
 *   used if the visitor gets a new device.
 * @throws TrackingError TRK_ERR_CT_OBJECT for a serialized object in `ct`.
 */
export async function recordPageView(ctx: TrackingContext, request: TrackingRequest, newDeviceTrackingId?: string): Promise<PageView> {
  const ct = decodeCtParam(request.merged);
  if (ct.error?.code === 'CT_OBJECT_REJECTED') throw new TrackingError('TRK_ERR_CT_OBJECT', {}, { cause: ct.error });
  if (ct.error?.code === 'CT_NOT_ARRAY') return { badCt: ct.error.code };
  // CT_MALFORMED: PHP's unserialize gave false and the hit goes on with ct = false.
  const query = buildHitQuery(request.merged, { referer: headerOf(request, 'referer') || undefined, clickthrough: ct.error ? false : ct.clickthrough });
  const tracked = await trackVisitor(ctx, request, { create: true, query: request.merged, byQuery: true, clickthrough: ct.clickthrough, newDeviceTrackingId });
  const cookies = [...tracked.cookies];
  if (tracked.lead && tracked.device) {
    const { completion, cookie } = await startHit(ctx, request, tracked, { code: 200, query });
    cookies.push(cookie, ...(await finishHit(ctx, completion)));
  }
  return { tracked, cookies };
}
