/**
 * Admin tokens: `Authorization: Bearer <token>`. Each token has a label that
 * the audit list records as "who": `admin` for ADMIN_TOKEN, or the label of an
 * entry in `admin.tokens`. Comparison is constant-time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { GatewayConfig } from '../config/schema.ts';

/** Returns the label of a valid token, or null. */
export type TokenCheck = (authorization: string | undefined) => string | null;

/**
 * Builds the token check from `admin.token` and `admin.tokens`.
 *
 * @example
 * const check = createTokenCheck(config.admin);
 * check('Bearer ' + token); // 'admin'
 */
export function createTokenCheck(admin: GatewayConfig['admin']): TokenCheck {
  const known = admin.tokens.map((t) => ({ label: t.label, digest: digest(t.token) }));
  if (admin.token !== undefined) known.unshift({ label: 'admin', digest: digest(admin.token) });
  return function checkToken(authorization) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    if (!match || known.length === 0) return null;
    const offered = digest(match[1] as string);
    // Compare with every token so the time taken does not tell which one matched.
    let label: string | null = null;
    for (const k of known) if (timingSafeEqual(k.digest, offered) && label === null) label = k.label;
    return label;
  };
}

// Hashing gives equal lengths, which timingSafeEqual needs.
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
