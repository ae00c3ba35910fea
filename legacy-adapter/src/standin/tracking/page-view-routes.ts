/**
 * The page-view side of the tracking protocol (docs/mautic/public-http.md
 * §3.1–3.4): `/mtc.js`, `/mtracking.gif`, `/mtc/event` and `GET /mtc`.
 */
import type { Request, RequestHandler, Response } from 'express';
import { NON_GET_PIXEL_BODY, NON_GET_PIXEL_CONTENT_TYPE, TRACKING_GIF, trackingGifHeaders } from '../../codecs/gif.ts';
import { clockOf } from '../deps.ts';
import type { StandinDeps } from '../deps.ts';
import { StandinError } from '../errors.ts';
import { sendBody, sendJson, setHeaders } from '../responses.ts';
import { setCookies } from '../set-cookies.ts';
import { trackContact } from '../contact/contact-tracker.ts';
import type { TrackedContact } from '../contact/contact-tracker.ts';
import { buildHitQuery, decodeCtParam } from '../../codecs/hit-query.ts';
import { buildTrackingScript } from '../../codecs/mtc-script.ts';
import { recordPageHit } from './page-hit.ts';
import { readParameters } from './request-input.ts';

/** Writes the GIF for GET, one space for other methods (§2.6). */
export function sendTrackingPixel(req: Request, res: Response): void {
  if (req.method === 'GET') {
    setHeaders(res.status(200), trackingGifHeaders(req.httpVersion));
    res.end(TRACKING_GIF);
    return;
  }
  sendBody(res, 200, NON_GET_PIXEL_CONTENT_TYPE, NON_GET_PIXEL_BODY);
}

/**
 * hitPage(null, request) for the pixel and `/mtc/event`: decode `ct` first
 * (a bad one throws before anything is written), track, record the hit.
 *
 * @param onBadCt what the endpoint does with an undecodable `ct`.
 */
async function trackPageView(deps: StandinDeps, req: Request, res: Response, onBadCt: (code: string) => void): Promise<TrackedContact | undefined> {
  const params = await readParameters(req);
  const ct = decodeCtParam(params.merged);
  if (ct.error?.code === 'CT_OBJECT_REJECTED') throw new StandinError('STANDIN_ERR_CT_OBJECT', {}, { cause: ct.error });
  if (ct.error?.code === 'CT_NOT_ARRAY') {
    onBadCt(ct.error.code);
    return undefined;
  }
  // CT_MALFORMED: PHP's unserialize returned false and the hit goes on with ct = false.
  const clickthrough = ct.error ? false : ct.clickthrough;
  const query = buildHitQuery(params.merged, { referer: req.get('referer'), clickthrough });
  const tracked = await trackContact(deps, req, { persist: true, query: params.merged, identifyByQuery: true, clickthrough: ct.clickthrough });
  setCookies(res, tracked.cookies);
  if (tracked.lead && tracked.device) setCookies(res, (await recordPageHit(deps, req, tracked, { code: 200, query })).cookies);
  return tracked;
}

/** `/mtracking.gif`, any method (§3.2). A non-array `ct` is Mautic's uncaught 500. */
export function pixelHandler(deps: StandinDeps): RequestHandler {
  return async function trackingPixel(req, res) {
    const tracked = await trackPageView(deps, req, res, (detail) => {
      throw new StandinError('STANDIN_ERR_CT_NOT_ARRAY', { detail });
    });
    if (tracked) sendTrackingPixel(req, res);
  };
}

/** `/mtc/event`, any method (§3.3): JSON, `{"success":0}` for a non-array `ct`. */
export function eventHandler(deps: StandinDeps): RequestHandler {
  return async function trackingEvent(req, res) {
    let failed = false;
    const tracked = await trackPageView(deps, req, res, () => {
      failed = true;
    });
    if (failed || !tracked) {
      sendJson(res, 200, { success: 0 });
      return;
    }
    const sid = tracked.device?.trackingId ?? null;
    sendJson(res, 200, { success: 1, id: tracked.lead?.id ?? null, sid, device_id: sid, events: [] });
  };
}

/** `GET /mtc` (§3.4): who the visitor is; may create the contact. */
export function whoAmIHandler(deps: StandinDeps): RequestHandler {
  return async function whoAmI(req, res) {
    const params = await readParameters(req);
    const tracked = await trackContact(deps, req, { persist: true, query: params.merged });
    setCookies(res, tracked.cookies);
    const sid = tracked.device?.trackingId ?? null;
    sendJson(res, 200, { id: tracked.lead?.id ?? null, sid, device_id: sid });
  };
}

/** `/mtc.js` (§3.1): non-trackable; re-issues device cookies for a known visitor, never creates one. */
export function scriptHandler(deps: StandinDeps): RequestHandler {
  return async function trackingScript(req, res) {
    const params = await readParameters(req);
    const tracked = await trackContact(deps, req, { persist: false, query: params.merged });
    setCookies(res, tracked.cookies);
    const body = buildTrackingScript(deps.config.siteUrl, clockOf(deps)().getUTCFullYear());
    sendBody(res, 200, 'application/javascript', body);
  };
}
