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
 *   a dry run (design.md §5); the dispatch stage adds its own afterwards;
 * - X-Forwarded-For is the chain the gateway resolved (client-address.ts): the
 *   client, then our trusted proxies, then the peer. An incoming X-Forwarded-For
 *   from an untrusted peer is dropped, and so are the other client-IP fields
 *   Mautic reads before or after it (Client-IP, X-Forwarded, X-Cluster-Client-IP,
 *   Forwarded-For, Forwarded, X-Real-IP): Mautic stores the first valid one, so a
 *   client could otherwise choose the IP recorded for it (mautic-public-http.md §2.4);
 * - X-Forwarded-Proto, X-Forwarded-Host and X-Request-Id are set, replacing any sent;
 * - Host: legacy gets the client's Host, because the Host selects the tenant and
 *   Mautic's routing sees it (mautic-public-http.md §1.1); a new upstream gets
 *   its own authority (undici fills it in) and reads the public host from
 *   X-Forwarded-Host.
 * Every other field passes unchanged.
 *
 * Response (upstream → client): the same hop-by-hop fields, Proxy-Authenticate and
 * the fields named in Connection are removed; everything else, including every
 * Set-Cookie, passes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { IP_HEADERS } from '../../../legacy-adapter/src/forwarding/mautic-client-ip.ts';
import type { UpstreamHeaders } from './types.ts';

/** What the gateway knows about the client's request. */
export interface ForwardContext {
  /** The resolved X-Forwarded-For chain (`resolveClientAddress(...).forwardedFor`); empty when unknown. */
  readonly forwardedFor: readonly string[];
  /** The scheme the client used. */
  readonly proto: 'http' | 'https';
  /** The request id of this request (already validated or generated). */
  readonly requestId: string;
  /** Who receives the request: the tenant's legacy upstream or a new one. */
  readonly target: 'legacy' | 'new';
  /** The client's Host (authority), e.g. `mautic.example.com`. */
  readonly host: string;
}

/** Request headers for undici: lower-case names, repeated fields as arrays. */
export type ForwardHeaders = Record<string, string | string[]>;

/** Incoming headers as `req.headers`, or as `req.rawHeaders` (name, value, name, value…). */
export type IncomingHeaderInput = IncomingHttpHeaders | readonly string[];

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'http2-settings',
]);
/** Client-IP fields Mautic (and common proxies) read; the gateway sends only the X-Forwarded-For it resolved. */
const CLIENT_IP_FIELDS = [...IP_HEADERS, 'x-real-ip'];
const REQUEST_DROPPED = new Set([...HOP_BY_HOP, ...CLIENT_IP_FIELDS, 'proxy-authorization', 'expect', 'host',
  'x-forwarded-proto', 'x-forwarded-host', 'x-request-id']);
const RESPONSE_DROPPED = new Set([...HOP_BY_HOP, 'proxy-authenticate']);
// Connection may not remove these: they frame the message or are set by the gateway.
const PROTECTED = new Set(['host', 'content-length', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id']);

/**
 * Builds the headers sent upstream from the client's headers.
 *
 * @example
 * const headers = buildForwardHeaders(req.rawHeaders, {
 *   forwardedFor: ['203.0.113.9'], proto: 'https', requestId, target: 'legacy', host: req.headers.host ?? '',
 * });
 */
export function buildForwardHeaders(incoming: IncomingHeaderInput, ctx: ForwardContext): ForwardHeaders {
  const pairs = toPairs(incoming);
  const named = connectionTokens(pairs);
  const out: ForwardHeaders = {};
  for (const [name, value] of pairs) {
    if (REQUEST_DROPPED.has(name) || name.startsWith('x-strangler-') || (named.has(name) && !PROTECTED.has(name))) continue;
    append(out, name, value);
  }
  if (ctx.forwardedFor.length > 0) out['x-forwarded-for'] = ctx.forwardedFor.join(', ');
  out['x-forwarded-proto'] = ctx.proto;
  if (ctx.host) out['x-forwarded-host'] = ctx.host;
  out['x-request-id'] = ctx.requestId;
  if (ctx.target === 'legacy' && ctx.host) out.host = ctx.host;
  return out;
}

/**
 * Removes the hop-by-hop fields from an upstream's response headers, for the
 * client. Returns a new object; the input is not changed.
 */
export function filterResponseHeaders(upstreamHeaders: UpstreamHeaders): UpstreamHeaders {
  const connection = upstreamHeaders.connection;
  const named = connectionTokens(connection === undefined ? [] : [['connection', String(connection)]]);
  const out: UpstreamHeaders = {};
  for (const name of Object.keys(upstreamHeaders)) {
    const lower = name.toLowerCase();
    const value = upstreamHeaders[name];
    if (value === undefined || RESPONSE_DROPPED.has(lower) || (named.has(lower) && !PROTECTED.has(lower))) continue;
    out[lower] = value;
  }
  return out;
}

function toPairs(incoming: IncomingHeaderInput): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (Array.isArray(incoming)) {
    const raw = incoming as readonly string[];
    for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([(raw[i] as string).toLowerCase(), raw[i + 1] as string]);
    return pairs;
  }
  const record = incoming as IncomingHttpHeaders;
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (Array.isArray(value)) for (const item of value) pairs.push([lower, item]);
    else pairs.push([lower, value]);
  }
  return pairs;
}

function connectionTokens(pairs: ReadonlyArray<[string, string]>): Set<string> {
  const tokens = new Set<string>();
  for (const [name, value] of pairs) {
    if (name !== 'connection') continue;
    for (const token of value.split(',')) {
      const trimmed = token.trim().toLowerCase();
      if (trimmed) tokens.add(trimmed);
    }
  }
  return tokens;
}

function append(out: ForwardHeaders, name: string, value: string): void {
  const existing = out[name];
  if (existing === undefined) out[name] = value;
  // Several Cookie lines become one, as RFC 9110 §5.3 allows and PHP expects.
  else if (name === 'cookie') out[name] = `${existing as string}; ${value}`;
  else if (Array.isArray(existing)) existing.push(value);
  else out[name] = [existing, value];
}
