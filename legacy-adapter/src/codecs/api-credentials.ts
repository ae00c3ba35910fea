/**
 * Reads the credentials of an `/api` request (docs/mautic/public-http.md §5.1):
 * HTTP Basic (RFC 7617) or an OAuth2 bearer token (RFC 6750), from the
 * `Authorization` header; a bearer token may also come as `access_token`
 * in the query, as FOSOAuthServer accepts.
 */

/** What the request presented. */
export type ApiCredentials =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; token: string }
  /** An `Authorization` header we cannot read (unknown scheme, bad base64, no colon). */
  | { kind: 'malformed'; scheme: string };

/**
 * Parses the credentials of a request.
 *
 * @example
 * readCredentials('Basic YWRtaW46cHc=', undefined) // { kind: 'basic', username: 'admin', password: 'pw' }
 */
export function readCredentials(authorization: string | undefined, accessTokenParam: unknown): ApiCredentials {
  const header = (authorization ?? '').trim();
  if (header === '') {
    return typeof accessTokenParam === 'string' && accessTokenParam !== ''
      ? { kind: 'bearer', token: accessTokenParam }
      : { kind: 'none' };
  }
  const space = header.indexOf(' ');
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  const value = space === -1 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer' && value !== '') return { kind: 'bearer', token: value };
  if (scheme === 'basic') {
    const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon > 0) return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    return { kind: 'malformed', scheme: 'basic' };
  }
  return { kind: 'malformed', scheme };
}
