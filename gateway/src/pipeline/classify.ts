/**
 * Stage 1, classify: which route and which tenant a request belongs to. No I/O.
 * Failures: 414 (request-target too long), 400 (request-target not in origin or absolute form,
 * or no Host in HTTP/1.1),
 * 421 (unknown Host when unknown hosts are rejected).
 */
import { GatewayError } from '../errors.ts';
import type { Catalogue, RouteMatch } from '../routing/types.ts';
import type { Tenant, TenantTable } from '../tenants/tenant-table.ts';
import { resolveClientAddress, type ClientAddress, type ProxyTrust } from '../upstream/client-address.ts';

/** What classify found. */
export interface Classified {
  readonly match: RouteMatch;
  readonly tenant: Tenant;
  /** The request-target in origin form (`/path?query`), as sent upstream. */
  readonly requestTarget: string;
  /** The client, resolved through our trusted proxies only. */
  readonly client: ClientAddress;
}

/** What classify reads. */
export interface ClassifyInput {
  readonly method: string;
  /** The request-target as received. */
  readonly rawTarget: string;
  readonly host: string | undefined;
  /** e.g. `1.1`; HTTP/1.1 requires a Host header (RFC 9112 §3.2). */
  readonly httpVersion: string;
  /** The socket peer (`req.socket.remoteAddress`). */
  readonly peer: string | undefined;
  /** The incoming X-Forwarded-For, believed only from a trusted proxy. */
  readonly xForwardedFor: string | string[] | undefined;
}

/** What classify needs besides the request. */
export interface ClassifyContext {
  readonly catalogue: Catalogue;
  readonly tenants: TenantTable;
  /** Longest request-target accepted, in bytes (`server.maxTargetBytes`). */
  readonly maxTargetBytes: number;
  /** `server.trustedProxies`, compiled. */
  readonly proxyTrust: ProxyTrust;
}

/**
 * Classifies one request.
 *
 * @returns the route match and tenant, or the GatewayError to answer.
 */
export function classify(input: ClassifyInput, ctx: ClassifyContext): Classified | GatewayError {
  if (Buffer.byteLength(input.rawTarget) > ctx.maxTargetBytes) {
    return new GatewayError('GW_ERR_REQUEST_URI_TOO_LONG', { params: { limitBytes: ctx.maxTargetBytes } });
  }
  const requestTarget = originForm(input.method, input.rawTarget);
  if (requestTarget === null) {
    return new GatewayError('GW_ERR_REQUEST_BAD', { params: { detail: 'the request-target must start with "/" or be an absolute http(s) URL' } });
  }
  if (input.host === undefined && input.httpVersion !== '1.0') {
    return new GatewayError('GW_ERR_REQUEST_BAD', { params: { detail: 'an HTTP/1.1 request needs a Host header (RFC 9112 §3.2)' } });
  }
  const tenant = ctx.tenants.fromHost(input.host);
  if (tenant === null) {
    return new GatewayError('GW_ERR_TENANT_UNKNOWN_HOST', { params: { host: JSON.stringify((input.host ?? '').slice(0, 255)) } });
  }
  const client = resolveClientAddress(input.peer, input.xForwardedFor, ctx.proxyTrust);
  return { match: ctx.catalogue.match(input.method, requestTarget), tenant, requestTarget, client };
}

/**
 * The target in origin form. Absolute form (RFC 9112 §3.2.2) is reduced to its
 * path and query; `OPTIONS *` stays as is; anything else is null.
 */
function originForm(method: string, raw: string): string | null {
  if (raw.startsWith('/')) return raw;
  if (raw === '*' && method === 'OPTIONS') return raw;
  if (/^https?:\/\//i.test(raw)) {
    try {
      const url = new URL(raw);
      return `${url.pathname}${url.search}`;
    } catch {
      return null;
    }
  }
  return null;
}
