import type { Request } from 'express';
import { clockOf, type StandinDeps } from '../deps.ts';
import { authenticate, type ApiCaller } from './api-auth.ts';
import { readCredentials } from '../../codecs/api-credentials.ts';
import { readApiParams } from './read-api-body.ts';

/**
 * What happens to an `/api` request before the controller, in Mautic's
 * order (docs/mautic/public-http.md §5.1): the body listener (priority 10:
 * malformed body → 400), then the firewall (priority 8: 401). The
 * `ApiSubscriber` gates (priority 255: API disabled, Basic auth disabled)
 * run earlier, in the stand-in's `apiGate` mounted before every router.
 */

/** An authenticated API call: who and with which parameters. */
export interface ApiCall {
  caller: ApiCaller;
  params: Record<string, unknown>;
}

/**
 * Reads the body and authenticates; throws the `StandinError` to answer.
 *
 * @example
 * const { caller, params } = await openApiCall(deps, req);
 */
export async function openApiCall(deps: StandinDeps, req: Request): Promise<ApiCall> {
  const credentials = readCredentials(req.headers.authorization, req.query.access_token);
  const params = await readApiParams(req);
  const nowSeconds = Math.floor(clockOf(deps)().getTime() / 1000);
  const caller = await authenticate(deps.db, credentials, nowSeconds);
  return { caller, params };
}

export { parseEntityId as parseId } from '../../codecs/mautic-api.ts';
