/**
 * The stand-in's tracking routes (docs/mautic/public-http.md §1.4, §3.1–3.6), in
 * the order Mautic matches them. Handlers are async; Express 5 hands their
 * rejections to the app's one error handler.
 */
import { Router } from 'express';
import type { StandinDeps } from '../deps.ts';
import { clickHandler } from './click-route.ts';
import type { ClickLog } from './click-route.ts';
import { emailOpenHandler } from './email-open-route.ts';
import { eventHandler, pixelHandler, scriptHandler, whoAmIHandler } from './page-view-routes.ts';

/**
 * Builds the tracking router.
 *
 * @param log receives Mautic's notices (e.g. an invalid clickthrough on a click).
 * @example
 * app.use(trackingRouter(deps))
 */
export function trackingRouter(deps: StandinDeps, log?: ClickLog): Router {
  const router = Router({ strict: true, caseSensitive: true });
  router.all('/mtc.js', scriptHandler(deps));
  router.all('/mtracking.gif', pixelHandler(deps));
  router.all('/mtc/event', eventHandler(deps));
  router.get('/mtc', whoAmIHandler(deps));
  // No capture groups: Express would decodeURIComponent them and fail on bytes
  // Symfony accepts; the handlers read the raw segment (path-segment.ts).
  router.all(/^\/(r|redirect)\/[^/]+$/, clickHandler(deps, log));
  // Symfony's default placeholder excludes '/' and, before '.gif', '.' (§1.5).
  router.all(/^\/email\/[^/.]+\.gif$/, emailOpenHandler(deps));
  return router;
}
