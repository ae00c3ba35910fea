/**
 * Admin tokens: `Authorization: Bearer <token>`. Each token has a role
 * (viewer: read only; operator: may change modes) and a label that the audit
 * records as "who": `admin` for ADMIN_TOKEN, `viewer` for ADMIN_VIEWER_TOKEN,
 * or the label of an entry in `admin.tokens`. Only SHA-256 digests are kept in
 * memory, and every offered token is compared with all of them in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { GatewayConfig } from '../config/schema.ts';

/** What a token may do. */
export type AdminRole = 'viewer' | 'operator';

/** Who called: the token's label and role. */
export interface AdminIdentity {
  readonly label: string;
  readonly role: AdminRole;
}

/** Returns who a valid token belongs to, or null. */
export type TokenCheck = (authorization: string | undefined) => AdminIdentity | null;

/**
 * Builds the token check from `admin.token`, `admin.viewerToken` and `admin.tokens`.
 *
 * @example
 * const check = createTokenCheck(config.admin);
 * check('Bearer ' + token); // { label: 'admin', role: 'operator' }
 */
export function createTokenCheck(admin: GatewayConfig['admin']): TokenCheck {
  const known = admin.tokens.map((t) => ({ label: t.label, role: t.role, digest: t.sha256 !== undefined ? Buffer.from(t.sha256, 'hex') : digest(t.token ?? '') }));
  if (admin.token !== undefined) known.unshift({ label: 'admin', role: 'operator', digest: digest(admin.token) });
  if (admin.viewerToken !== undefined) known.push({ label: 'viewer', role: 'viewer', digest: digest(admin.viewerToken) });
  return function checkToken(authorization) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    if (!match || known.length === 0) return null;
    const offered = digest(match[1] as string);
    // Compare with every token so the time taken does not tell which one matched.
    let found: AdminIdentity | null = null;
    for (const k of known) if (timingSafeEqual(k.digest, offered) && found === null) found = { label: k.label, role: k.role };
    return found;
  };
}

// Hashing gives equal lengths, which timingSafeEqual needs.
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
