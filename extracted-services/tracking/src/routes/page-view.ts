/**
 * The page-view side of the tracking protocol (docs/mautic/public-http.md §3.2–3.4):
 * `/mtracking.gif`, `/mtc/event` and `GET /mtc`.
 */
import { trackVisitor } from '../../../service-kit/visitor/contact.ts';
import { recordPageView } from '../domain/page-view.ts';
import { TrackingError } from '../errors.ts';
import { jsonAnswer, pixelAnswer } from '../../../service-kit/answer.ts';
import type { TrackingHandler } from './run-handler.ts';

/** `/mtracking.gif`, any method (§3.2): a non-array `ct` is Mautic's uncaught 500. */
export const pixelHandler: TrackingHandler = async (ctx, request) => {
  const view = await recordPageView(ctx, request);
  if ('badCt' in view) throw new TrackingError('TRK_ERR_CT_NOT_ARRAY', { detail: view.badCt });
  return pixelAnswer(request.method, request.httpVersion, view.cookies);
};

/** `/mtc/event`, any method (§3.3): `{"success":0}` for a non-array `ct`. */
export const eventHandler: TrackingHandler = async (ctx, request) => {
  const view = await recordPageView(ctx, request);
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
