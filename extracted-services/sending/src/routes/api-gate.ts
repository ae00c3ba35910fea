/**
 * Mautic's ApiSubscriber gates (docs/mautic/public-http.md §5.1), evaluated before anything
 * else for every request whose raw URI contains `/api` or `/oauth`: 403 `api_disabled` when
 * the API is off; 403 `access_denied` for Basic credentials while Basic auth is off.
 */
import type { RequestHandler } from 'express';
import type { SendingConfig } from '../config.ts';
import { SendingError } from '../errors.ts';
import { writeError } from './answer.ts';

/** The gate middleware. */
export function apiGate(mautic: Pick<SendingConfig['mautic'], 'apiEnabled' | 'apiEnableBasicAuth'>): RequestHandler {
  return function gateApi(req, res, next) {
    if (!req.originalUrl.includes('/api') && !req.originalUrl.includes('/oauth')) return next();
    if (!mautic.apiEnabled) return writeError(res, new SendingError('SND_ERR_API_DISABLED'));
    if (!mautic.apiEnableBasicAuth && /^basic\s/i.test(req.get('authorization') ?? '')) return writeError(res, new SendingError('SND_ERR_BASIC_AUTH_DISABLED'));
    next();
  };
}
