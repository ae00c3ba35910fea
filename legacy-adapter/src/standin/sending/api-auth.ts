import type { ApiCredentials } from '../../codecs/api-credentials.ts';
import type { PermissionHolder } from '../../codecs/mautic-api.ts';
import { findApiCaller, type ApiRefusal } from '../../data/api-callers.ts';
import type { Db } from '../../db/types.ts';
import { StandinError, type StandinErrorCode } from '../errors.ts';

/**
 * Authentication of `/api` requests (docs/mautic/public-http.md §5.1) through
 * `data/api-callers.ts`, each refusal turned into the 401 Mautic answers.
 */

/** Who is calling. `userId` is null for client-credentials tokens, which act with the client's role. */
export type ApiCaller = PermissionHolder;

const REFUSALS: Record<ApiRefusal, StandinErrorCode> = {
  'no-credentials': 'STANDIN_ERR_API_UNAUTHORIZED',
  'bad-credentials': 'STANDIN_ERR_API_BAD_CREDENTIALS',
  'token-invalid': 'STANDIN_ERR_API_TOKEN_INVALID',
  'token-expired': 'STANDIN_ERR_API_TOKEN_EXPIRED',
};

/**
 * Resolves the caller or throws the 401 `StandinError` Mautic answers: no credentials
 * (`API authorization denied.`, inferred; §5.1 leaves the exact body open),
 * bad Basic credentials, unknown or expired bearer token.
 *
 * @param nowSeconds - Unix time in seconds, compared with `expires_at`
 */
export async function authenticate(db: Db, credentials: ApiCredentials, nowSeconds: number): Promise<ApiCaller> {
  const result = await findApiCaller(db, credentials, nowSeconds);
  if (!result.ok) throw new StandinError(REFUSALS[result.refusal]);
  return result.caller;
}

export { hasPermission, PERMISSION_BITS } from '../../codecs/mautic-api.ts';
