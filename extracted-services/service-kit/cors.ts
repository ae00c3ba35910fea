/**
 * Mautic's CORS rules in front of every route (docs/mautic/public-http.md §2.3; the rules
 * are legacy-adapter's `codecs/mautic-cors.ts`): OPTIONS → 204, XHR answers get the CORS
 * headers.
 */
import type { RequestHandler } from 'express';
import { decideCors } from '../../legacy-adapter/src/codecs/mautic-cors.ts';
import type { CorsSettings } from '../../legacy-adapter/src/codecs/mautic-cors.ts';

/** The CORS middleware; mount it first. */
export function corsRules(settings: CorsSettings): RequestHandler {
  return function applyCors(req, res, next) {
    const decision = decideCors({
      method: req.method, origin: req.get('origin') ?? '',
      requestHeaders: req.get('access-control-request-headers'), requestedWith: req.get('x-requested-with'),
    }, settings);
    if (decision.headers) for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
    if (decision.varyOrigin) res.vary('Origin');
    if (decision.answerNoContent) {
      res.status(204).end();
      return;
    }
    next();
  };
}
