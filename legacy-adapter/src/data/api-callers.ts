import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { ApiCredentials } from '../codecs/api-credentials.ts';
import type { PermissionHolder } from '../codecs/mautic-api.ts';
import type { Db } from '../db/types.ts';
import { findAccessToken, findOAuth2ClientById, findRoleById, findUserById, findUserByUsername, listRolePermissions } from './users.ts';

/**
 * Who calls Mautic's REST API (docs/mautic/public-http.md §5.1): HTTP Basic against
 * `users` (bcrypt, `$2y$` hashes as PHP writes them), OAuth2 bearer tokens against
 * `oauth2_accesstokens` with their expiry. The caller carries its role's permissions.
 * Shared by the stand-in and the sending service; each turns a refusal into its own error.
 */

/** Why a request is not authenticated. */
export type ApiRefusal = 'no-credentials' | 'bad-credentials' | 'token-invalid' | 'token-expired';

/** The outcome of `findApiCaller`. */
export type ApiCallerResult = { ok: true; caller: PermissionHolder } | { ok: false; refusal: ApiRefusal };

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

async function roleOf(db: Db, roleId: number | null, userId: number | null): Promise<ApiCallerResult> {
  const role = roleId === null ? undefined : await findRoleById(db, roleId);
  if (!role) return { ok: true, caller: { userId, isAdmin: false, permissions: new Map() } };
  return { ok: true, caller: { userId, isAdmin: role.is_admin === true, permissions: await listRolePermissions(db, role.id) } };
}

async function basicCaller(db: Db, username: string, password: string): Promise<ApiCallerResult> {
  const user = await findUserByUsername(db, username);
  const ok = user !== undefined && user.is_published === true && (await passwordMatches(password, user.password));
  if (!ok) return { ok: false, refusal: 'bad-credentials' };
  return roleOf(db, user.role_id, user.id);
}

async function bearerCaller(db: Db, token: string, nowSeconds: number): Promise<ApiCallerResult> {
  const row = await findAccessToken(db, token);
  if (!row) return { ok: false, refusal: 'token-invalid' };
  if (row.expires_at !== null && row.expires_at < nowSeconds) return { ok: false, refusal: 'token-expired' };
  if (row.user_id !== null) {
    const user = await findUserById(db, row.user_id);
    if (!user || user.is_published !== true) return { ok: false, refusal: 'token-invalid' };
    return roleOf(db, user.role_id, user.id);
  }
  // client_credentials tokens act with the client's role (docs/mautic/schema.md oauth2_accesstokens).
  const client = await findOAuth2ClientById(db, row.client_id);
  return roleOf(db, client?.role_id ?? null, null);
}

/**
 * Resolves the caller of an API request. Malformed Basic credentials are bad
 * credentials; any other unreadable header counts as none.
 *
 * @param nowSeconds - Unix time in seconds, compared with `expires_at`
 */
export function findApiCaller(db: Db, credentials: ApiCredentials, nowSeconds: number): Promise<ApiCallerResult> {
  if (credentials.kind === 'basic') return basicCaller(db, credentials.username, credentials.password);
  if (credentials.kind === 'bearer') return bearerCaller(db, credentials.token, nowSeconds);
  const refusal: ApiRefusal = credentials.kind === 'malformed' && credentials.scheme === 'basic' ? 'bad-credentials' : 'no-credentials';
  return Promise.resolve({ ok: false, refusal });
}
