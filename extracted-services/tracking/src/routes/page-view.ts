/**
 * The page-view side of the tracking protocol (docs/mautic/public-http.md §3.2–3.4):
 * `/mtracking.gif`, `/mtc/event` and `GET /mtc`.
 */
import { buildHitQuery, decodeCtParam } from '../../../../legacy-adapter/src/codecs/hit-query.ts';
import type { TrackingContext } from '../domain/context.ts';
import { trackVisitor } from '../domain/contact.ts';
import type { TrackedVisitor } from '../domain/contact.ts';
import { finishHit, startHit } from '../domain/page-hit.ts';
import { headerOf } from '../domain/tracking-request.ts';
import type { TrackingRequest } from '../domain/tracking-request.ts';
import { TrackingError } from '../errors.ts';
import { jsonAnswer, pixelAnswer } from './answer.ts';
import type { TrackingHandler } from './run-handler.ts';

/** A page view that was tracked, or refused for a `ct` that is not an array. */
type PageView = { tracked: TrackedVisitor; cookies: string[] } | { badCt: string };

/**
 * hitPage(null, request): decode `ct` first (a bad one stops before anything is written),
 * track the visitor, record the hit (both phases, as Mautic's default `sync://`).
 */
async function trackPageView(ctx: TrackingContext, request: TrackingRequest): Promise<PageView> {
  const ct = decodeCtParam(request.merged);
  if (ct.error?.code === 'CT_OBJECT_REJECTED') throw new TrackingError('TRK_ERR_CT_OBJECT', {}, { cause: ct.error });
  if (ct.error?.code === 'CT_NOT_ARRAY') return { badCt: ct.error.code };
  // CT_MALFORMED: PHP's unserialize gave false and the hit goes on with ct = false.
  const query = buildHitQuery(request.merged, { referer: headerOf(request, 'referer') || undefined, clickthrough: ct.error ? false : ct.clickthrough });
  const tracked = await trackVisitor(ctx, request, { create: true, query: request.merged, byQuery: true, clickthrough: ct.clickthrough });
  const cookies = [...tracked.cookies];
  if (tracked.lead && tracked.device) {
    const { completion, cookie } = await startHit(ctx, request, tracked, { code: 200, query });
    cookies.push(cookie, ...(await finishHit(ctx, completion)));
  }
  return { tracked, cookies };
}

/** `/mtracking.gif`, any method (§3.2): a non-array `ct` is Mautic's uncaught 500. */
export const pixelHandler: TrackingHandler = async (ctx, request) => {
  const view = await trackPageView(ctx, request);
  if ('badCt' in view) throw new TrackingError('TRK_ERR_CT_NOT_ARRAY', { detail: view.badCt });
  return pixelAnswer(request.method, request.httpVersion, view.cookies);
};

/** `/mtc/event`, any method (§3.3): `{"success":0}` for a non-array `ct`. */
export const eventHandler: TrackingHandler = async (ctx, request) => {
  const view = await trackPageView(ctx, request);
  if ('badCt' in view) return jsonAnswer({ success: 0 });
  const sid = view.tracked.device?.trackingId ?? null;
  return jsonAnswer({ success: 1, id: view.tracked.lead?.id ?? null, sid, device_id: sid, events: [] }, view.cookies);
};

/** `GET /mtc` (§3.4): who the visitor is; may create the contact. */
export const whoAmIHandler: TrackingHandler = async (ctx, request) => {
  const tracked = await trackVisitor(ctx, request, { create: true, query: request.merged });
  const sid = tracked.device?.trackingId ?? null;
  return jsonAnswer({ id: tracked.lead?.id ?? null, sid, device_id: sid }, tracked.cookies);
};
