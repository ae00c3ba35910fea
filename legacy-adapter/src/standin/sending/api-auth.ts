import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { findAccessToken, findOAuth2ClientById, findRoleById, findUserById, findUserByUsername, listRolePermissions } from '../../data/users.ts';
import type { Db } from '../../db/types.ts';
import type { ApiCredentials } from '../../codecs/api-credentials.ts';
import type { PermissionHolder } from '../../codecs/mautic-api.ts';
import { StandinError } from '../errors.ts';

/**
 * Authentication of `/api` requests against Mautic's tables
 * (docs/mautic/public-http.md §5.1): HTTP Basic against `users` (bcrypt), OAuth2
 * bearer tokens against `oauth2_accesstokens` with their expiry. The result
 * carries the role, for the permission checks of the send endpoints.
 */

/** Who is calling. `userId` is null for client-credentials tokens, which act with the client's role. */
export type ApiCaller = PermissionHolder;

/** Successful Basic checks are remembered so repeated calls do not pay bcrypt again (cost 12–13 ≈ 0.3–1 s in JS). */
const verified = new Map<string, true>();
const VERIFIED_MAX = 256;

async function passwordMatches(password: string, hash: string): Promise<boolean> {
  const key = createHash('sha256').update(`${hash}\u0000${password}`).digest('hex');
  if (verified.has(key)) return true;
  let ok: boolean;
  try {
    ok = await bcrypt.compare(password, hash);
  } catch {
    ok = false; // a stored value that is not a bcrypt hash never matches
  }
  if (ok) {
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.set(key, true);
  }
  return ok;
}

async function roleOf(db: Db, roleId: number | null, userId: number | null): Promise<ApiCaller> {
  const role = roleId === null ? undefined : await findRoleById(db, roleId);
  if (!role) return { userId, isAdmin: false, permissions: new Map() };
  return { userId, isAdmin: role.is_admin === true, permissions: await listRolePermissions(db, role.id) };
}

async function basicCaller(db: Db, username: string, password: string): Promise<ApiCaller> {
  const user = await findUserByUsername(db, username);
  const ok = user !== undefined && user.is_published === true && (await passwordMatches(password, user.password));
  if (!ok) throw new StandinError('STANDIN_ERR_API_BAD_CREDENTIALS');
  return roleOf(db, user.role_id, user.id);
}

async function bearerCaller(db: Db, token: string, nowSeconds: number): Promise<ApiCaller> {
  const row = await findAccessToken(db, token);
  if (!row) throw new StandinError('STANDIN_ERR_API_TOKEN_INVALID');
  if (row.expires_at !== null && row.expires_at < nowSeconds) throw new StandinError('STANDIN_ERR_API_TOKEN_EXPIRED');
  if (row.user_id !== null) {
    const user = await findUserById(db, row.user_id);
    if (!user || user.is_published !== true) throw new StandinError('STANDIN_ERR_API_TOKEN_INVALID');
    return roleOf(db, user.role_id, user.id);
  }
  // client_credentials tokens act with the client's role (docs/mautic/schema.md oauth2_accesstokens).
  const client = await findOAuth2ClientById(db, row.client_id);
  return roleOf(db, client?.role_id ?? null, null);
}

/**
 * Resolves the caller or throws the 401 `StandinError` Mautic answers: no credentials
 * (`API authorization denied.`, inferred; §5.1 leaves the exact body open),
 * bad Basic credentials, unknown or expired bearer token.
 *
 * @param nowSeconds - Unix time in seconds, compared with `expires_at`
 */
export async function authenticate(db: Db, credentials: ApiCredentials, nowSeconds: number): Promise<ApiCaller> {
  if (credentials.kind === 'basic') return basicCaller(db, credentials.username, credentials.password);
  if (credentials.kind === 'bearer') return bearerCaller(db, credentials.token, nowSeconds);
  if (credentials.kind === 'malformed' && credentials.scheme === 'basic') {
    throw new StandinError('STANDIN_ERR_API_BAD_CREDENTIALS');
  }
  throw new StandinError('STANDIN_ERR_API_UNAUTHORIZED');
}

export { hasPermission, PERMISSION_BITS } from '../../codecs/mautic-api.ts';
