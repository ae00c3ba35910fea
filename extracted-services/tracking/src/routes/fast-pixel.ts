/**
 * Fast mode's pixel (issue #12, beyond Mautic; README § Fast mode): the GIF is answered at
 * once, without touching the database, and the whole page view is queued for the worker,
 * so a database outage never fails the pixel (Mautic issues #6227, #6874, #8900,
 * docs/mautic/public-http.md §9.1). A new browser gets its `mautic_device_id` now (the
 * worker gives the new device that id); `mtc_id` and `mautic_referer_id` are not known yet
 * and are not sent. Redis down: the view is recorded inline (Mautic mode); database down
 * too: the hit is counted and logged as lost, and the pixel still answers.
 */
import type { RequestHandler } from 'express';
import { decodeCtParam } from '../../../../legacy-adapter/src/codecs/hit-query.ts';
import { generateDeviceTrackingId, isDeviceTrackingId } from '../../../../legacy-adapter/src/codecs/ids.ts';
import { deviceIdCookie } from '../../../../legacy-adapter/src/codecs/tracking-cookies.ts';
import { namedTrackingId } from '../../../service-kit/visitor/identify.ts';
import { recordPageView } from '../domain/page-view.ts';
import { readTrackingRequest } from '../../../service-kit/visitor/tracking-request.ts';
import type { TrackingRequest } from '../../../service-kit/visitor/tracking-request.ts';
import { inspectVisitor } from '../../../service-kit/visitor/visitor.ts';
import { TrackingError } from '../errors.ts';
import { encodeViewMessage } from '../queue/hit-message.ts';
import type { HitQueue } from '../queue/hit-queue.ts';
import { pixelAnswer, writeAnswer } from '../../../service-kit/answer.ts';
import { errorAnswer, toTrackingError } from './error-answer.ts';
import type { PhaseTwoDeps } from './phase-two.ts';
import { isDryRun } from '../../../service-kit/dry-run.ts';
import type { HandlerDeps } from './run-handler.ts';

/** The device cookie of a browser that has none, and the id the worker must give its device. */
function deviceIdFor(deps: HandlerDeps, request: TrackingRequest): { trackingId: string; cookies: string[] } {
  const named = namedTrackingId({ cookies: request.cookies, query: request.merged });
  if (isDeviceTrackingId(named)) return { trackingId: named, cookies: [] };
  const trackingId = generateDeviceTrackingId();
  return { trackingId, cookies: [deviceIdCookie(deps.config.mautic, trackingId, request.now)] };
}

/** Keeps the view: the queue, else inline, else counted and logged as lost. */
async function keepView(deps: HandlerDeps & { queue: HitQueue; phaseTwo: Omit<PhaseTwoDeps, 'db' | 'config'> }, request: TrackingRequest, trackingId: string): Promise<void> {
  const view = { request, newDeviceTrackingId: trackingId };
  const { metrics, logLost } = deps.phaseTwo;
  if (await deps.queue.enqueueView(view)) return void metrics.phaseTwo.inc({ outcome: 'queued' });
  try {
    await deps.db.transaction((tx) => recordPageView({ db: tx, config: deps.config }, request, trackingId));
    metrics.phaseTwo.inc({ outcome: 'inline' });
  } catch (err) {
    metrics.phaseTwo.inc({ outcome: 'lost' });
    logLost(err, encodeViewMessage(view));
  }
}

/** The fast-mode `/mtracking.gif` handler (any method). A dry run answers the same and queues nothing. */
export function fastPixelHandler(deps: HandlerDeps & { queue: HitQueue; phaseTwo: Omit<PhaseTwoDeps, 'db' | 'config'> }): RequestHandler {
  return async function fastPixel(req, res) {
    try {
      const request = await readTrackingRequest(req, deps.config.maxBodyBytes, deps.now());
      // A `ct` Mautic refuses is refused the same way, before anything is kept (§3.2).
      const ct = decodeCtParam(request.merged);
      if (ct.error?.code === 'CT_OBJECT_REJECTED') throw new TrackingError('TRK_ERR_CT_OBJECT');
      if (ct.error?.code === 'CT_NOT_ARRAY') throw new TrackingError('TRK_ERR_CT_NOT_ARRAY', { detail: ct.error.code });
      if (!inspectVisitor(request, deps.config.mautic, deps.config.botDetector).trackable) {
        writeAnswer(res, pixelAnswer(request.method, request.httpVersion, []));
        return;
      }
      const { trackingId, cookies } = deviceIdFor(deps, request);
      writeAnswer(res, pixelAnswer(request.method, request.httpVersion, cookies));
      if (!isDryRun(req)) await keepView(deps, request, trackingId);
    } catch (err) {
      writeAnswer(res, errorAnswer(toTrackingError(err), req.get('accept') ?? ''));
    }
  };
}
