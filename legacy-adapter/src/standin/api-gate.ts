/**
 * Mautic's ApiSubscriber gates (docs/mautic/public-http.md §5.1), evaluated for
 * every request whose raw URI contains `/api` or `/oauth` — including a
 * tracking request whose query happens to contain `/api` (§1.5 caveat).
 */
import type { RequestHandler } from 'express';
import type { StandinConfig } from './deps.ts';
import { isApiRequest } from './error-handler.ts';
import { StandinError } from './errors.ts';

/**
 * 403 `api_disabled` when the API is off; 403 `access_denied` when Basic
 * credentials arrive while Basic auth is off. Mount before every router.
 */
export function apiGate(config: Pick<StandinConfig, 'apiEnabled' | 'apiEnableBasicAuth'>): RequestHandler {
  return function gateApi(req, _res, next) {
    if (!isApiRequest(req)) {
      next();
      return;
    }
    if (!config.apiEnabled) {
      next(new StandinError('STANDIN_ERR_API_DISABLED'));
      return;
    }
    if (!config.apiEnableBasicAuth && /^basic\s/i.test(req.get('authorization') ?? '')) {
      next(new StandinError('STANDIN_ERR_API_BASIC_AUTH_DISABLED'));
      return;
    }
    next();
  };
}
