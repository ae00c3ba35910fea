/**
 * Which header fields cross the gateway, in both directions (RFC 9110 §7.6.1).
 *
 * Request (client → upstream):
 * - hop-by-hop fields are removed: Connection, Keep-Alive, Proxy-Connection, TE,
 *   Trailer, Transfer-Encoding, Upgrade, HTTP2-Settings, and every field the
 *   Connection header names (except Host and Content-Length, which frame the message
 *   and are set by us);
 * - Proxy-Authorization is removed too: it is for a forward proxy and its
 *   credentials must not reach an upstream (Go's ReverseProxy does the same);
 * - Expect is removed: the gateway's own server already answered `100-continue`,
 *   and undici refuses to send it;
 * - every `X-Strangler-*` field is removed, so no client can forge a mode or ask for
 *   a dry run (docs/architecture.md §5); the dispatch stage adds its own afterwards;
 * - X-Forwarded-For is the chain the gateway resolved (client-address.ts): the
 *   client, then our trusted proxies, then the peer. An incoming X-Forwarded-For
 *   from an untrusted peer is dropped, and so are the other client-IP fields
 *   Mautic reads before or after it (Client-IP, X-Forwarded, X-Cluster-Client-IP,
 *   Forwarded-For, Forwarded, X-Real-IP): Mautic stores the first valid one, so a
 *   client could otherwise choose the IP recorded for it (docs/mautic/public-http.md §2.4);
 * - X-Forwarded-Proto, X-Forwarded-Host and X-Request-Id are set, replacing any sent;
 * - Host: legacy gets the client's Host, because the Host selects the tenant and
 *   Mautic's routing sees it (docs/mautic/public-http.md §1.1); a new upstream gets
 *   its own authority (undici fills it in) and reads the public host from
 *   X-Forwarded-Host.
 * Every other field passes unchanged.
 *
 * Response (upstream → client): the same hop-by-hop fields, Proxy-Authenticate and
 * the fields named in Connection are removed; everything else, including every
 * Set-Cookie, passes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { IP_HEADERS } from '../../../legacy-adapter/src/codecs/mautic-client-ip.ts';

/** What the gateway knows about the client's request. */
export interface ForwardContext {
  /** The resolved X-Forwarded-For chain (`resolveClientAddress(...).forwardedFor`); empty when unknown. */
  readonly forwardedFor: readonly string[];
  /** The scheme the client used. */
  readonly proto: 'http' | 'https';
  /** The request id of this request (already validated or generated). */
  readonly requestId: string;
  /** Which upstream receives the request: the tenant's legacy upstream or a new one. */
  readonly upstream: 'legacy' | 'new';
  /** The client's Host (authority), e.g. `mautic.example.com`. */
  readonly host: string;
}

/**
 * Request headers for undici as a flat list (name, value, name, value…):
 * lower-case names, a repeated field repeated. undici takes the list as it is.
 */
export type ForwardHeaders = string[];

/** Incoming headers as `req.rawHeaders` (name, value, name, value…), or as an object like `req.headers`. */
export type IncomingHeaderInput = readonly string[] | IncomingHttpHeaders;

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'http2-settings',
]);
/** Client-IP fields Mautic (and common proxies) read; the gateway sends only the X-Forwarded-For it resolved. */
const CLIENT_IP_FIELDS = [...IP_HEADERS, 'x-real-ip'];
const REQUEST_DROPPED = new Set([...HOP_BY_HOP, ...CLIENT_IP_FIELDS, 'proxy-authorization', 'expect', 'host',
  'x-forwarded-proto', 'x-forwarded-host', 'x-request-id',
  // The gateway sends its own span's traceparent (pipeline/request-trace.ts); the client's is its parent. tracestate passes.
  'traceparent']);
const RESPONSE_DROPPED = new Set([...HOP_BY_HOP, 'proxy-authenticate']);
// Connection may not remove these: they frame the message or are set by the gateway.
const PROTECTED = new Set(['host', 'content-length', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id']);

/**
 * Builds the headers sent upstream from the client's headers.
 *
 * @example
 * const headers = buildForwardHeaders(req.rawHeaders, {
 *   forwardedFor: ['203.0.113.9'], proto: 'https', requestId, upstream: 'legacy', host: 'mautic.example.com',
 * });
 */
export function buildForwardHeaders(incoming: IncomingHeaderInput, ctx: ForwardContext): ForwardHeaders {
  const raw = isRawList(incoming) ? incoming : flatten(incoming);
  const named = connectionNamed(raw);
  const out: string[] = [];
  let cookieAt = -1;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (REQUEST_DROPPED.has(name) || name.startsWith('x-strangler-') || (named !== null && named.has(name) && !PROTECTED.has(name))) continue;
    if (name === 'cookie') {
      // Several Cookie lines become one, as RFC 9110 §5.3 allows and PHP expects.
      if (cookieAt === -1) {
        cookieAt = out.length + 1;
        out.push(name, value);
      } else out[cookieAt] = `${out[cookieAt] as string}; ${value}`;
      continue;
    }
    out.push(name, value);
  }
  if (ctx.forwardedFor.length > 0) out.push('x-forwarded-for', ctx.forwardedFor.join(', '));
  out.push('x-forwarded-proto', ctx.proto);
  if (ctx.host) out.push('x-forwarded-host', ctx.host);
  out.push('x-request-id', ctx.requestId);
  if (ctx.upstream === 'legacy' && ctx.host) out.push('host', ctx.host);
  return out;
}

/**
 * The response's header fields for the client: the upstream's raw list
 * (name, value, name, value…) without the hop-by-hop fields and those named in
 * Connection, followed by `extra` (name, value…, lower-case names) that replace
 * any field of the same name, e.g. the gateway's X-Request-Id. Names keep the upstream's case;
 * every Set-Cookie passes. A flat list is what `res.writeHead` takes without
 * building an object.
 */
export function responseHeaderList(raw: readonly string[], extra: readonly string[] = []): string[] {
  const named = connectionNamed(raw);
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (RESPONSE_DROPPED.has(lower) || (named !== null && named.has(lower) && !PROTECTED.has(lower)) || replaced(extra, lower)) continue;
    out.push(name, raw[i + 1] as string);
  }
  for (let i = 0; i + 1 < extra.length; i += 2) out.push(extra[i] as string, extra[i + 1] as string);
  return out;
}

function replaced(extra: readonly string[], lower: string): boolean {
  for (let i = 0; i < extra.length; i += 2) if (extra[i] === lower) return true;
  return false;
}

function isRawList(incoming: IncomingHeaderInput): incoming is readonly string[] {
  return Array.isArray(incoming);
}

function flatten(record: IncomingHttpHeaders): string[] {
  const raw: string[] = [];
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) raw.push(name, item);
    else raw.push(name, value);
  }
  return raw;
}

/** The field names listed in every Connection field, lower-case, other than hop-by-hop ones (dropped anyway); null when none. */
function connectionNamed(raw: readonly string[]): Set<string> | null {
  let named: Set<string> | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length !== 10 || name.toLowerCase() !== 'connection') continue;
    for (const token of (raw[i + 1] as string).split(',')) {
      const trimmed = token.trim().toLowerCase();
      // `keep-alive` (nearly every response says it) names a field that is dropped anyway.
      if (trimmed && !HOP_BY_HOP.has(trimmed)) (named ??= new Set<string>()).add(trimmed);
    }
  }
  return named;
}
