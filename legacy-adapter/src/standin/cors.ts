/**
 * Mautic's CORSMiddleware (docs/mautic/public-http.md §2.3), which runs before any
 * route; the rules are `../codecs/mautic-cors.ts`, shared with the tracking service.
 */
import type { RequestHandler } from 'express';
import { decideCors } from '../codecs/mautic-cors.ts';
import type { CorsSettings } from '../codecs/mautic-cors.ts';

/**
 * The CORS middleware. Mount it first.
 *
 * @example
 * app.use(corsMiddleware(config))
 */
export function corsMiddleware(config: CorsSettings): RequestHandler {
  return function cors(req, res, next) {
    const decision = decideCors({
      method: req.method, origin: req.get('origin') ?? '',
      requestHeaders: req.get('access-control-request-headers'), requestedWith: req.get('x-requested-with'),
    }, config);
    if (decision.headers) res.set(decision.headers);
    if (decision.varyOrigin) res.vary('Origin');
    if (decision.answerNoContent) {
      res.status(204).end();
      return;
    }
    next();
  };
}
